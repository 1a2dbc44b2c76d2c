"""Writes of ``Job`` rows: deferring work, and the worker's reports on each attempt.

``job_defer`` creates the row and defers the procrastinate job in ONE transaction, always through
Django's own connection (procrastinate's Django connector) — also inside a worker, whose app
otherwise defers through its separate pool: when the caller's transaction rolls back, neither
the job nor its queue entry exists; when it commits, a worker picks it up and finds the row.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from procrastinate import sql
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.manager import JobManager
from procrastinate.tasks import configure_task

from jobs.models import Job


@functools.cache
def _django_job_manager() -> JobManager:
    return JobManager(DjangoConnector())


def defer_in_transaction(task, **task_kwargs) -> int:
    """``task.defer(**task_kwargs)`` on Django's connection, in the current transaction."""
    return configure_task(
        name=task.name, job_manager=_django_job_manager(), queue=task.queue, lock=task.lock,
        queueing_lock=task.queueing_lock, priority=task.priority,
    ).defer(**task_kwargs)


def _user_or_none(actor):
    """The user row of ``actor``; ``None`` for the system (scheduled work, commands)."""
    return actor if getattr(actor, "pk", None) is not None else None


@transaction.atomic
def job_defer(*, task, kind: str, actor, arguments: dict[str, Any] | None = None,
              subject: str = "") -> Job:
    """Create a queued Job and defer ``task(job_id=…)`` for it, in the caller's transaction."""
    job = Job.objects.create(kind=kind, created_by=_user_or_none(actor), subject=subject[:100],
                             arguments=arguments or {})
    job.queue_job_id = defer_in_transaction(task, job_id=job.pk)
    job.save(update_fields=["queue_job_id"])
    return job


def job_start(job_id: int, *, attempt: int) -> Job | None:
    """A worker starts attempt number ``attempt`` (1-based). Committed at once, so the resource
    says "running" while the work goes on. ``None`` when the Job no longer exists."""
    now = timezone.now()
    updated = Job.objects.filter(pk=job_id).exclude(status=Job.Status.SUCCEEDED).update(
        status=Job.Status.RUNNING, attempts=attempt, started_at=now, finished_at=None,
    )
    job = Job.objects.filter(pk=job_id).select_related("created_by").first()
    if job is not None and not updated:
        return None  # already succeeded (a repeated delivery): nothing to do again
    return job


def job_succeed(job_id: int, result: dict[str, Any]) -> None:
    Job.objects.filter(pk=job_id).update(status=Job.Status.SUCCEEDED, result=result, error=None,
                                         finished_at=timezone.now())


def job_fail(job_id: int, *, code: str, message: str, fields: dict | None = None,
             final: bool) -> None:
    """Record a failed attempt: ``final`` → failed with the error; otherwise back to queued (a
    retry is scheduled), the error kept so the caller sees why it is being retried."""
    error = {"code": code, "message": message, "fields": fields or {}}
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED if final else Job.Status.QUEUED, error=error,
        finished_at=timezone.now() if final else None,
    )


def jobs_requeued(queue_job_ids: list[int]) -> int:
    """Stalled attempts put back in the queue (``jobs.recovery``): their Jobs are queued again."""
    return Job.objects.filter(queue_job_id__in=queue_job_ids, status=Job.Status.RUNNING).update(
        status=Job.Status.QUEUED, finished_at=None,
    )


# procrastinate's final states: its entries in them are done with (a retry is a new attempt of a
# job still "todo" or "doing").
FINISHED_QUEUE_STATUSES = ["succeeded", "failed", "cancelled", "aborted"]


@transaction.atomic
def jobs_prune(*, older_than: dt.timedelta) -> tuple[int, int]:
    """Forget finished work: the Jobs that succeeded or failed more than ``older_than`` ago, and
    procrastinate's entries (with their events) that reached a final state that long ago. Queued
    and running work is never touched, whatever its age. Returns ``(jobs, queue entries)``
    deleted."""
    cutoff = timezone.now() - older_than
    jobs, _ = Job.objects.filter(status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED],
                                 finished_at__lt=cutoff).delete()
    with connection.cursor() as cursor:
        # procrastinate's own statement (what its builtin remove_old_jobs task runs), on Django's
        # connection; it takes whole hours.
        cursor.execute(sql.queries["delete_old_jobs"],
                       {"nb_hours": max(int(older_than.total_seconds() // 3600), 0), "queue": None,
                        "statuses": FINISHED_QUEUE_STATUSES})
        entries = cursor.rowcount
    return jobs, entries
