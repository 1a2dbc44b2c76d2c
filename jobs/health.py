"""Readiness check for /readyz: the queue's table answers (the database is reachable and
procrastinate's migrations are applied)."""

from __future__ import annotations

from django.db import connection


def queue_ready() -> tuple[bool, str]:
    """``(True, "ok")`` when procrastinate's job table answers, else ``(False, why)``."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")
            (present,) = cursor.fetchone()
            if not present:
                return False, "the job queue's tables are missing (run manage.py migrate)"
            cursor.execute("SELECT 1 FROM procrastinate_jobs LIMIT 1")
    except Exception as exc:  # noqa: BLE001 - a readiness probe reports any failure
        return False, f"the job queue cannot be reached: {exc.__class__.__name__}"
    return True, "ok"


def check_queue() -> None:
    """The /readyz form of ``queue_ready`` (settings.FACTCHECK_READINESS_CHECKS): raises when not."""
    ready, why = queue_ready()
    if not ready:
        raise RuntimeError(why)
