"""Admin for API tokens (see and revoke them; issue them with the API or create_api_token) and
organisations (their members and managers)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, Membership, Organisation
from accounts.services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "scope", "created_at", "expires_at", "revoked_at",
                    "last_used_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "scope", "created_by", "created_at", "expires_at",
                       "revoked_at", "last_used_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # a token's secret must be shown once, which the admin cannot do safely

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the row stays for the record

    @admin.action(description=_("Revoke selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(actor=request.user, token_id=token.pk)
        messages.success(request, f"Revoked {queryset.count()} token(s).")


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Organisations and who is in them (administrators): members see the webhooks and saved
    searches it owns, managers also change and delete them."""

    list_display = ["name", "slug", "member_count", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members=Count("memberships"))

    @admin.display(description=_("members"), ordering="members")
    def member_count(self, organisation: Organisation) -> int:
        return organisation.members
