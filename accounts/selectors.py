"""Reads for API tokens."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import TOKEN_MARK, hash_secret


def api_tokens_visible_to(user) -> QuerySet[ApiToken]:
    """A user's own tokens; a superuser sees everyone's."""
    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    return tokens if user.is_superuser else tokens.filter(user=user)


def api_token_for_raw(raw: str) -> ApiToken | None:
    """The active (not revoked, not expired) token matching ``raw``, with its user, or None."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_MARK or not parts[1] or len(parts[1]) > 16:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(prefix=parts[1], key_hash=hash_secret(raw), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .first()
    )
