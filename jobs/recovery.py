"""Stalled-job recovery: an attempt whose worker died (killed, machine lost) is put back in the
queue. procrastinate's workers send a heartbeat (every ``update_heartbeat_interval`` s); a job
in ``doing`` whose worker has been silent for ``STALLED_AFTER`` seconds is stalled. Its Job goes
back to "queued" and the next worker runs the next attempt — the work being atomic, the dead
attempt left nothing behind."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from procrastinate.contrib.django import app

from jobs import services

STALLED_AFTER = 30.0  # seconds without a heartbeat (workers send one every 10 s by default)


async def retry_stalled_jobs_async(*, seconds_since_heartbeat: float = STALLED_AFTER,
                                   job_manager=None) -> list[int]:
    """Retry every stalled job now; returns their queue ids."""
    manager = job_manager or app.job_manager
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=seconds_since_heartbeat))
    for job in stalled:
        await manager.retry_job(job)
    return [job.id for job in stalled]


def retry_stalled_jobs(*, seconds_since_heartbeat: float = STALLED_AFTER) -> list[int]:
    """Synchronous form (uses Django's connection): retry the stalled jobs, requeue their Jobs."""
    ids = async_to_sync(retry_stalled_jobs_async)(seconds_since_heartbeat=seconds_since_heartbeat)
    services.jobs_requeued(ids)
    return ids
