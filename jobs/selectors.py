"""Reads of Jobs: who may see which."""

from __future__ import annotations

from django.db.models import QuerySet

from jobs.models import Job


def jobs_visible_to(user) -> QuerySet[Job]:
    """Staff see every job; another signed-in user only the jobs they created; nobody else any."""
    if not (user and user.is_authenticated and user.is_active):
        return Job.objects.none()
    if user.is_staff:
        return Job.objects.all()
    return Job.objects.filter(created_by=user)


def job_dict(job: Job) -> dict:
    """The job resource (the API's body and the admin status page's data)."""
    return {
        "id": job.pk, "kind": job.kind, "status": job.status,
        "created_at": _iso(job.created_at), "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at), "attempts": job.attempts,
        "result": job.result, "error": job.error,
    }


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def queue_counts() -> dict[str, int]:
    """Jobs waiting in procrastinate's queue per status (for operators)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM procrastinate_jobs GROUP BY status")
        return dict(cursor.fetchall())
