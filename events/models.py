"""The change feed's rows (an outbox).

Rows are written only by the triggers of migration ``events.0002`` — in the same transaction as
the change that causes them, for every door (admin, API, commands, jobs, raw SQL) — and read in
commit-safe order by ``events.selectors``. Ids of objects are plain numbers, not foreign keys: an
event outlives a deleted draft.
"""

from __future__ import annotations

from django.db import models


class Event(models.Model):
    class Type(models.TextChoices):
        CLAIM_CREATED = "claim.created"
        CLAIM_SUBMITTED = "claim.submitted"
        CLAIM_CHANGES_REQUESTED = "claim.changes_requested"
        CLAIM_PUBLISHED = "claim.published"
        CLAIM_UPDATED = "claim.updated"
        CLAIM_CORRECTED = "claim.corrected"
        CLAIM_RETRACTED = "claim.retracted"
        CLAIM_DELETED = "claim.deleted"
        EVIDENCE_ADDED = "evidence.added"
        EVIDENCE_REMOVED = "evidence.removed"
        RATING_CHANGED = "rating.changed"
        SOURCE_REFETCHED = "source.refetched"
        QUOTE_DRIFTED = "quote.drifted"
        QUOTE_ORPHANED = "quote.orphaned"

    type = models.CharField(max_length=40, choices=Type.choices)
    created_at = models.DateTimeField()
    # The writing transaction's id (pg_current_xact_id): the feed's order, so that no reader ever
    # passes an event whose transaction had not committed yet.
    txid = models.BigIntegerField()
    object_kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    claim_id = models.BigIntegerField(null=True, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)
    # Whether the object was public when it happened (claims: published or retracted).
    was_public = models.BooleanField(default=False)

    class Meta:
        ordering = ["txid", "id"]
        indexes = [
            models.Index(fields=["txid", "id"], name="event_feed_order_idx"),
            models.Index(fields=["claim_id"], name="event_claim_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.object_kind} {self.object_id}"
