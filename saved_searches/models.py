from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OwnedByUserOrOrganisation


class SavedSearch(OwnedByUserOrOrganisation):
    """A claims list query (``query``: the ``/api/v1/claims/`` query string, validated by the
    list's own filters) that a user, or an organisation's member, named. With ``notify_endpoint``,
    each claim published (or corrected or updated while published) that it matches is posted to
    that webhook endpoint of the same owner."""

    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("query"), max_length=2000, blank=True,
                             help_text=_("Query string of /api/v1/claims/, e.g. "
                                         "q=troops&rating=false&language=es"))
    notify_endpoint = models.ForeignKey(
        "webhooks.WebhookEndpoint", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("notify webhook"),
        help_text=_("A webhook endpoint of the same owner that receives saved_search.matched."))
    # Only events after this count for notifications (set when notify_endpoint is set).
    notify_since = models.DateTimeField(null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(default=timezone.now, help_text=_("Claims published or "
                                        "created after this count as new."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta(OwnedByUserOrOrganisation.Meta):
        ordering = ["name", "id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            *OwnedByUserOrOrganisation.Meta.constraints,
            models.UniqueConstraint(fields=["owner", "name"], name="saved_search_owner_name_unique"),
            models.UniqueConstraint(fields=["organisation", "name"],
                                    name="saved_search_organisation_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name
