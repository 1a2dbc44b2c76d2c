"""Forgetting finished work (jobs.services.jobs_prune, run daily by jobs.tasks.prune_finished_jobs):
old finished Jobs and queue entries go, queued and running work and recent results stay."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import override_settings
from django.utils import timezone

from jobs import services
from jobs.models import Job
from jobs.tasks import noop, prune_finished_jobs
from tests.jobs.helpers import JOB_TESTS, empty_queue, run_jobs, schedule_of  # noqa: F401

OLD = timezone.now() - dt.timedelta(days=45)
RECENT = timezone.now() - dt.timedelta(days=3)


def make_job(status: str, finished_at: dt.datetime | None) -> Job:
    return Job.objects.create(kind="article_import", status=status, finished_at=finished_at)


def queue_entry(status: str, at: dt.datetime) -> int:
    """A procrastinate entry in ``status`` whose last event happened ``at``."""
    entry = services.defer_in_transaction(noop)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET status = %s WHERE id = %s", [status, entry])
        cursor.execute("UPDATE procrastinate_events SET at = %s WHERE job_id = %s", [at, entry])
    return entry


def entries() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM procrastinate_jobs WHERE queue_name = 'bench'")
        return {row[0] for row in cursor.fetchall()}


@JOB_TESTS
def test_finished_work_older_than_the_retention_goes_and_the_rest_stays():
    gone = [make_job("succeeded", OLD), make_job("failed", OLD)]
    kept = [make_job("succeeded", RECENT), make_job("failed", RECENT), make_job("queued", None),
            make_job("running", None)]
    Job.objects.filter(pk__in=[job.pk for job in kept if not job.finished_at]).update(
        created_at=OLD)  # old but unfinished: never pruned
    old_entries = [queue_entry(status, OLD) for status in ("succeeded", "failed", "cancelled", "aborted")]
    kept_entries = [queue_entry("succeeded", RECENT), queue_entry("todo", OLD), queue_entry("doing", OLD)]

    assert services.jobs_prune(older_than=dt.timedelta(days=30)) == (2, 4)

    assert set(Job.objects.values_list("pk", flat=True)) == {job.pk for job in kept}
    assert entries() == set(kept_entries)
    assert not Job.objects.filter(pk__in=[job.pk for job in gone]).exists()
    assert set(old_entries).isdisjoint(entries())


@JOB_TESTS
@override_settings(FACTCHECK_JOB_RETENTION_DAYS=2)
def test_the_daily_task_prunes_with_the_configured_retention():
    make_job("succeeded", RECENT)  # 3 days ago: older than 2
    kept = make_job("succeeded", timezone.now() - dt.timedelta(hours=12))
    prune_finished_jobs.defer(timestamp=int(timezone.now().timestamp()))
    run_jobs(queues=["maintenance"])
    assert list(Job.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_pruning_is_scheduled_daily():
    assert schedule_of("prune_finished_jobs") == "11 4 * * *"
