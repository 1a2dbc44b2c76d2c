"""ClaimReview markup pages created through Google's ``pages`` API.

A page created by a client becomes draft claims for the desk (one per markup, in order); the
page keeps what the claims do not (its URL, publish date, author, each markup's review URL and
location) so that reading it back gives the client what it wrote. Our published reviews are read
as pages too, but those are the claims themselves: they need no row here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from claims.models import Claim


class MarkupPage(models.Model):
    page_url = models.URLField(max_length=1000, blank=True)
    publish_date = models.DateField(null=True, blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    author_image_url = models.URLField(max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="markup_pages")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at", "-id"], name="markuppage_owner_idx")]

    def __str__(self) -> str:
        return self.page_url or f"Markup page {self.pk}"


class MarkupPageClaim(models.Model):
    """One markup of a page: the draft claim it became, and the markup fields claims don't hold."""

    page = models.ForeignKey(MarkupPage, on_delete=models.CASCADE, related_name="markups")
    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="markup_page_entry")
    position = models.PositiveSmallIntegerField()
    review_url = models.URLField(max_length=1000, blank=True)
    claim_location = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["page", "position"]
        constraints = [
            models.UniqueConstraint(fields=["page", "position"], name="markup_page_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.page_id}#{self.position}"
