"""Writes for API tokens: issue and revoke. The secret is shown once and only its hash is kept."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken
from factcheck.concurrency import ExpectedEtag, check_expected
from factcheck.errors import InvalidInput, NotFound, NotPermitted

TOKEN_MARK = "fct"  # noqa: S105 (a public marker, not a secret)


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # "fct_<prefix>_<secret>": shown once to the client, never stored


@transaction.atomic
def api_token_create(
    *, actor, user=None, name: str, scope: str = ApiToken.Scope.READ,
    expires_at: datetime | None = None,
) -> IssuedToken:
    """Issue a token for ``user`` (default: the actor). Only superusers issue tokens for others.

    Returns the token row and the raw secret; only the SHA-256 of the whole raw token is stored.
    Raises NotPermitted, InvalidInput.
    """
    user = user or actor
    if user.pk != actor.pk and not actor.is_superuser:
        raise NotPermitted("Only administrators may create tokens for other people.")
    if not user.is_active:
        raise InvalidInput("That user is inactive.", fields={"user": ["Inactive user."]})
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Name the token (what is it for?).", fields={"name": ["Required."]})
    if scope not in ApiToken.Scope.values:
        raise InvalidInput("Unknown scope.", fields={"scope": [f"Use one of {ApiToken.Scope.values}."]})
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput("The expiry is in the past.", fields={"expires_at": ["Must be in the future."]})
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=user, name=name, scope=scope, expires_at=expires_at, prefix=prefix,
        key_hash=hash_secret(raw), created_by=actor,
    )
    token.full_clean()
    token.save()
    return IssuedToken(token=token, raw=raw)


@transaction.atomic
def api_token_revoke(*, actor, token_id: int, expected: ExpectedEtag | None = None) -> ApiToken:
    """Revoke a token of the actor's own (or anyone's, for a superuser). Idempotent.

    Locks the token; ``expected`` (the API's If-Match) is compared under the lock (StaleVersion).
    Raises NotFound when the token does not exist or is not the actor's to see.
    """
    token = (ApiToken.objects.select_for_update(of=("self",)).select_related("user")
             .filter(pk=token_id).first())
    if token is None or (token.user_id != actor.pk and not actor.is_superuser):
        raise NotFound("No such token.")
    check_expected(expected, token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record use at most once a minute (avoids a write on every request)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
