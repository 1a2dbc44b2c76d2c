"""The queue's own periodic work (found by procrastinate's task autodiscovery)."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from procrastinate.contrib.django import app

from jobs import recovery, services


@app.periodic(cron="* * * * *", periodic_id="retry_stalled_jobs")
@app.task(queue="maintenance", queueing_lock="retry_stalled_jobs", pass_context=True)
async def retry_stalled_jobs(context, timestamp: int) -> None:
    """Every minute: put attempts whose worker died back in the queue."""
    ids = await recovery.retry_stalled_jobs_async(job_manager=context.app.job_manager)
    await sync_to_async(services.jobs_requeued)(ids)


@app.task(queue="bench")
def noop() -> None:
    """Does nothing: ``bench/jobs_throughput.py`` measures the queue's own cost with it."""
