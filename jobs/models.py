from __future__ import annotations

from django.conf import settings
from django.db import models


class Job(models.Model):
    """One piece of background work someone (or a schedule) asked for, as users see it.

    procrastinate's ``procrastinate_jobs`` row runs it (``queue_job_id``); this row says what it is
    and how it went. Only ``jobs.services`` writes it: queued when deferred (in the same
    transaction as the change that causes it), running when a worker starts an attempt,
    succeeded with the ``result`` or failed with the ``error`` when the last attempt ends.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Who asked for it; empty for scheduled work (run as the system).",
    )
    subject = models.CharField(max_length=100, blank=True, db_index=True,
                               help_text='What it works on, e.g. "source:12" or "feed:3".')
    arguments = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    queue_job_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "subject", "-created_at"], name="job_kind_subject")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}
