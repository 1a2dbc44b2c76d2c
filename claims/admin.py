from django.contrib import admin

from claims import services
from claims.models import Claim, Evidence, Rating, Topic


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    autocomplete_fields = ["source", "quote"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["text", "claimant", "status", "rating", "assignee", "updated_at"]
    list_filter = ["status", "rating", "topics"]
    search_fields = ["text", "claimant__name"]
    inlines = [EvidenceInline]
    readonly_fields = ["status", "slug", "author", "reviewer", "published_at", "version"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data
                  if name in services.EDITABLE_FIELDS and name != "topics"}
        if change:
            services.claim_update(claim_id=obj.pk, actor=request.user, **fields)
        else:
            created = services.claim_create(actor=request.user, **{
                name: form.cleaned_data.get(name) for name in services.EDITABLE_FIELDS
                if name in form.cleaned_data and name != "topics"
            })
            obj.pk = created.pk
        obj.refresh_from_db()


admin.site.register(Rating)
admin.site.register(Topic)
