"""``jobs.health.queue_ready`` (for /readyz)."""

from __future__ import annotations

import pytest
from django.db import connection

from jobs.health import queue_ready


@pytest.mark.django_db
def test_queue_is_ready_when_its_table_answers():
    assert queue_ready() == (True, "ok")


@pytest.mark.django_db
def test_queue_is_not_ready_without_its_tables():
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE procrastinate_jobs RENAME TO procrastinate_jobs_away")
    try:
        assert queue_ready() == (False, "the job queue's tables are missing (run manage.py migrate)")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE procrastinate_jobs_away RENAME TO procrastinate_jobs")
