"""Admin for API tokens: see and revoke them (issue them with the API or create_api_token)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken
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
