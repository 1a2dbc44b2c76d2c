from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from factcheck.errors import InvalidInput
from saved_searches import selectors, services
from saved_searches.models import SavedSearch


class SavedSearchForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["name", "query"]

    def clean_query(self):
        try:
            selectors.claims_filter(self.cleaned_data["query"].lstrip("?"), self.user)
        except InvalidInput as error:
            raise forms.ValidationError(
                [f"{name.removeprefix('query.')}: {' '.join(map(str, messages))}"
                 for name, messages in error.fields.items()] or [error.message]) from None
        return self.cleaned_data["query"]


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    """Each editor's own saved searches, with what is new and links to the list and its export."""

    form = SavedSearchForm
    list_display = ["name", "query", "new", "links", "last_seen_at"]
    search_fields = ["name", "query"]

    def get_queryset(self, request):
        return selectors.saved_searches_of(request.user)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    @admin.display(description=_("new since last visit"))
    def new(self, obj):
        return selectors.new_matches(obj, obj.owner)

    @admin.display(description=_("open"))
    def links(self, obj):
        return format_html('<a href="/api/v1/claims/?{}">claims</a> · <a href="/api/v1/saved-searches/'
                           '{}/export/?format=csv">CSV</a>', obj.query, obj.pk)

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.saved_search_update(actor=request.user, search_id=obj.pk, name=obj.name,
                                                 query=obj.query)
        else:
            saved = services.saved_search_create(actor=request.user, name=obj.name, query=obj.query)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.saved_search_delete(actor=request.user, search_id=obj.pk)
