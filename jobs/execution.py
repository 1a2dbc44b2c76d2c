"""Running one attempt of a Job inside a procrastinate task, with honest status reports.

A task module declares its task with ``RETRY`` and calls ``run_attempt(context, job_id, work)``:

- the Job is marked running (committed) with the attempt number;
- ``work(job, actor)`` does the job and returns its JSON result → succeeded;
- a ``DomainError`` that is the other side's fault (5xx, e.g. an unreachable page) and any
  unexpected exception are retried with exponential back-off (``RETRY``) until the last attempt,
  which records the job as failed with the error; a refusal (4xx: bad input, a private address,
  a permission) fails at once — retrying would not change the answer. The exception is re-raised
  either way, so procrastinate's own record of the job agrees (``failed`` or ``todo``).

The work itself must be idempotent (running it twice does what running it once does) and
atomic: a worker killed mid-job leaves nothing half-written, and the stalled attempt is retried
(``jobs.recovery``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from procrastinate import RetryStrategy

from factcheck.actors import SYSTEM
from factcheck.errors import DomainError
from jobs import services
from jobs.models import Job

logger = logging.getLogger(__name__)

class JobRetry(RetryStrategy):
    """procrastinate's RetryStrategy, except that a refusal (a 4xx DomainError) is never retried."""

    def get_retry_decision(self, *, exception: BaseException, job):
        if isinstance(exception, DomainError) and exception.status < 500:
            return None
        return super().get_retry_decision(exception=exception, job=job)


# Four retries, after 2, 4, 8 and 16 s (procrastinate counts retries in ``max_attempts``).
RETRY = JobRetry(max_attempts=4, exponential_wait=2)


def run_attempt(context, job_id: int, work: Callable[[Job, Any], dict]) -> None:
    attempt = context.job.attempts + 1
    job = services.job_start(job_id, attempt=attempt)
    if job is None:
        logger.info("job %s: nothing to do (gone or already succeeded)", job_id)
        return
    actor = job.created_by or SYSTEM
    try:
        result = work(job, actor)
    except DomainError as exc:
        final = RETRY.get_retry_decision(exception=exc, job=context.job) is None
        services.job_fail(job_id, code=exc.code, message=exc.message, fields=exc.fields, final=final)
        logger.info("job %s attempt %s: %s (%s)", job_id, attempt, exc.code, exc.message)
        raise
    except Exception as exc:
        final = RETRY.get_retry_decision(exception=exc, job=context.job) is None
        logger.exception("job %s: attempt %s raised", job_id, attempt)
        services.job_fail(job_id, code="internal_error",
                          message="The job failed unexpectedly; the error is in the worker's log.",
                          final=final)
        raise
    services.job_succeed(job_id, result)
