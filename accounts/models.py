"""API tokens for programs (stored hashed, scoped, expiring and revocable), and organisations:
teams whose members share webhook endpoints and saved searches."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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


class Organisation(models.Model):
    """A newsroom or team whose members share webhook endpoints and saved searches."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True,
                            help_text=_("Names the organisation in the API (organisation=<slug>)."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place in an organisation: members see what it shares, managers also change it."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member (sees the organisation's webhooks and searches)")
        MANAGER = "manager", _("Manager (also changes and deletes them)")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships",
                                     verbose_name=_("organisation"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} ({self.role})"


class OwnedByUserOrOrganisation(models.Model):
    """Something that belongs to one user (``owner``) or to one organisation (``organisation``),
    never both nor neither (a database check). ``created_by`` is who made it: for an
    organisation's object, the one member besides its managers who may change it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"),
                              help_text=_("The user it belongs to (empty when an organisation's)."))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation"),
                                     help_text=_("The organisation it belongs to (empty when a user's)."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", editable=False,
                                   verbose_name=_("created by"))

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False, organisation__isnull=True)
                | Q(owner__isnull=True, organisation__isnull=False),
                name="%(app_label)s_%(class)s_one_owner",
            ),
        ]

    @property
    def owner_label(self) -> str:
        return str(self.organisation) if self.organisation_id else str(self.owner)
