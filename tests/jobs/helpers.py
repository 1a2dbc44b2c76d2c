"""Running the queue for real in tests: a worker in this process until the queue is empty.

Workers connect on their own, so tests that run jobs use committed data: ``@JOB_TESTS`` marks
them ``django_db(transaction=True, serialized_rollback=True)`` and starts them with an empty
queue (import ``empty_queue`` into the test module too, for pytest to find the fixture).
"""

from __future__ import annotations

import pytest
from django.db import connection
from procrastinate.contrib.django import app

from jobs.models import Job
from jobs.worker import run_until_idle


def JOB_TESTS(test):  # noqa: N802 - used like a mark
    marks = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
             pytest.mark.usefixtures("empty_queue")]
    for mark in marks:
        test = mark(test)
    return test


def clear_queue() -> None:
    """procrastinate's tables are not Django-managed: a flush between tests leaves them; start
    each test with an empty queue."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_periodic_defers")
        cursor.execute("DELETE FROM procrastinate_jobs")


def run_jobs(queues=("imports",)) -> None:
    """Run every queued job of ``queues`` through a real worker, until none is left. The worker's
    threads close their Django connections after each job (no persistent connection is left
    behind to keep the test database busy)."""
    settings_dict = connection.settings_dict
    kept = settings_dict.get("CONN_MAX_AGE")
    settings_dict["CONN_MAX_AGE"] = 0
    try:
        run_until_idle(queues=queues)
    finally:
        settings_dict["CONN_MAX_AGE"] = kept


def queue_statuses(queue: str = "imports") -> dict[int, str]:
    """procrastinate's view of the jobs in ``queue``: {id: status}."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, status FROM procrastinate_jobs WHERE queue_name = %s ORDER BY id",
                       [queue])
        return dict(cursor.fetchall())


def job_of(body: dict) -> Job:
    return Job.objects.get(pk=body["id"])


@pytest.fixture
def empty_queue(transactional_db):
    clear_queue()
    yield
    clear_queue()


def schedule_of(periodic_id: str) -> str:
    """The cron expression the workers run the periodic task ``periodic_id`` on."""
    periodic = {task.periodic_id: task for task in app.periodic_registry.periodic_tasks.values()}
    return periodic[periodic_id].cron

