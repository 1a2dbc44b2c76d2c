from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SavedSearch(models.Model):
    """A claims list query (``query``: the ``/api/v1/claims/`` query string, validated by the
    list's own filters) that its owner named."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="saved_searches")
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=2000, blank=True, help_text="Query string of /api/v1/claims/, "
                             "e.g. q=troops&rating=false&language=es")
    last_seen_at = models.DateTimeField(default=timezone.now, help_text="Claims published or "
                                        "created after this count as new.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["owner", "name"]
        verbose_name_plural = "saved searches"
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_search_owner_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name
