"""The every-minute ``retry_stalled_jobs`` task, run through the queue: a job whose worker went
silent is queued again (procrastinate and the Job row agree) and then runs."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from claims import demo
from factcheck.actors import SYSTEM
from jobs.models import Job
from jobs.tasks import retry_stalled_jobs
from sources.models import Source
from sources.tasks import defer_article_import
from tests.jobs.helpers import JOB_TESTS, empty_queue, queue_statuses, run_jobs  # noqa: F401

TEXT = demo.ARTICLE_FILE.read_text(encoding="utf-8")


@JOB_TESTS
def test_the_periodic_task_requeues_jobs_of_silent_workers():
    job = defer_article_import(actor=SYSTEM, url=demo.ARTICLE_URL, content=TEXT, format="text")
    with connection.cursor() as cursor:  # a worker took it, then died an hour ago
        cursor.execute("INSERT INTO procrastinate_workers (last_heartbeat) "
                       "VALUES (now() - interval '1 hour') RETURNING id")
        (worker_id,) = cursor.fetchone()
        cursor.execute("UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = %s",
                       [worker_id, job.queue_job_id])
    Job.objects.filter(pk=job.pk).update(status="running", attempts=1, started_at=timezone.now())

    retry_stalled_jobs.defer(timestamp=int(timezone.now().timestamp()))
    run_jobs(queues=["maintenance"])

    assert queue_statuses() == {job.queue_job_id: "todo"}
    assert Job.objects.get(pk=job.pk).status == "queued"

    run_jobs()

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("succeeded", 2)
    assert job.result["source"]["id"] == Source.objects.get(url=demo.ARTICLE_URL).pk
