"""API tokens for programs: stored hashed, scoped, expiring and revocable."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q

from factcheck.audit import audited

# Never copied into the audit trail: the secret's hash, and the use stamp (a write per request).
UNAUDITED_TOKEN_FIELDS = ["key_hash", "last_used_at"]


@pghistory.track(*audited(), exclude=UNAUDITED_TOKEN_FIELDS)
class ApiToken(models.Model):
    """A bearer token. Only ``key_hash`` (SHA-256 of the secret) is stored; ``prefix`` finds it."""

    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(key_hash__regex=r"^[0-9a-f]{64}$"), name="apitoken_hash_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.scope})"

    @property
    def read_only(self) -> bool:
        """A read-scope token may only use GET/HEAD/OPTIONS (read by the API permissions)."""
        return self.scope == self.Scope.READ
