"""The queue's own periodic work (found by procrastinate's task autodiscovery)."""

from __future__ import annotations

import datetime as dt

from asgiref.sync import sync_to_async
from django.conf import settings
from procrastinate.contrib.django import app

from jobs import recovery, services


@app.periodic(cron="* * * * *", periodic_id="retry_stalled_jobs")
@app.task(queue="maintenance", queueing_lock="retry_stalled_jobs", pass_context=True)
async def retry_stalled_jobs(context, timestamp: int) -> None:
    """Every minute: put attempts whose worker died back in the queue."""
    ids = await recovery.retry_stalled_jobs_async(job_manager=context.app.job_manager)
    await sync_to_async(services.jobs_requeued)(ids)


@app.periodic(cron="11 4 * * *", periodic_id="prune_finished_jobs")
@app.task(queue="maintenance", queueing_lock="prune_finished_jobs")
def prune_finished_jobs(timestamp: int) -> None:
    """Every day at 04:11: forget the work that finished more than ``FACTCHECK_JOB_RETENTION_DAYS``
    ago (its Job rows and its queue entries), so the queue's tables stay the size of a month's
    work rather than growing with every import, feed pull and delivery."""
    services.jobs_prune(older_than=dt.timedelta(days=settings.FACTCHECK_JOB_RETENTION_DAYS))


@app.task(queue="bench")
def noop() -> None:
    """Does nothing: ``bench/jobs_throughput.py`` measures the queue's own cost with it."""
