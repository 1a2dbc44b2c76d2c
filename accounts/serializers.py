"""Token API input and output; the ``organisation`` input other apps' APIs share."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from accounts.models import ApiToken
from factcheck.api.serializers import StrictInputSerializer

ORGANISATION_HELP = ("Slug of one of your organisations: it will belong to the organisation (its "
                     "members see it; its managers and you change it) instead of to you.")


class TokenCreateSerializer(StrictInputSerializer):
    protected_fields = ("id", "prefix", "key_hash", "created_by", "revoked_at", "last_used_at")

    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(choices=ApiToken.Scope.choices, default=ApiToken.Scope.READ)
    expires_at = serializers.DateTimeField(allow_null=True, required=False)
    user = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.all(), required=False,
        help_text="Administrators only: issue the token for this user (username).")


class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    user = serializers.CharField(help_text="Username of the token's owner.")
    prefix = serializers.CharField(help_text="Identifies the token; the secret is never shown again.")
    scope = serializers.ChoiceField(choices=ApiToken.Scope.choices)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)


class IssuedTokenSerializer(TokenSerializer):
    token = serializers.CharField(help_text="The secret: send as `Authorization: Bearer <token>`. "
                                            "Shown only in this response.")


def token_dict(token: ApiToken) -> dict:
    """Needs ``select_related("user")``."""
    iso = lambda value: value.isoformat() if value else None  # noqa: E731
    return {"id": token.pk, "name": token.name, "user": token.user.get_username(),
            "prefix": token.prefix, "scope": token.scope, "created_at": iso(token.created_at),
            "expires_at": iso(token.expires_at), "revoked_at": iso(token.revoked_at),
            "last_used_at": iso(token.last_used_at)}
