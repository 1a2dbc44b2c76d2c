"""Webhook endpoints, their deliveries, and the dispatcher's place in the change feed."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import OwnedByUserOrOrganisation
from events.models import Event


class WebhookEndpoint(OwnedByUserOrOrganisation):
    """An endpoint of a user or of an organisation (``accounts.OwnedByUserOrOrganisation``)."""

    url = models.URLField(max_length=1000)
    event_types = ArrayField(models.CharField(max_length=40, choices=Event.Type.choices), blank=True,
                             default=list, help_text="Empty: every event the owner may see.")
    # The Standard Webhooks signing secret ("whsec_" + base64). Shown once, when created.
    secret = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OwnedByUserOrOrganisation.Meta):
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SUCCEEDED = "succeeded", _("succeeded")
        RETRYING = "retrying", _("retrying")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    # Empty for the event itself; else what the event is delivered about, e.g. "saved_search:12"
    # (a saved search it matched), whose ``payload`` is posted instead of the event's document.
    subject = models.CharField(max_length=60, blank=True, default="")
    payload = models.JSONField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event", "subject"], name="delivery_once_per_event"),
            # A subject's delivery of an event goes out once, whichever endpoint it goes to.
            models.UniqueConstraint(fields=["event", "subject"], condition=~Q(subject=""),
                                    name="delivery_once_per_subject_event"),
        ]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.type} → {self.endpoint.url}"

    @property
    def type(self) -> str:
        return (self.payload or {}).get("type") or self.event.type


class DispatchCursor(models.Model):
    """Where a dispatcher is in the change feed (a row per dispatcher, by ``name``)."""

    name = models.CharField(max_length=40, unique=True, default="webhooks")
    txid = models.BigIntegerField(default=0)
    event_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"after event {self.event_id}"
