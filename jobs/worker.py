"""Running a worker from Python: until the queue is empty (tests, the benchmark).

In production the worker is its own process: ``python manage.py procrastinate worker`` (see
docs/jobs.md). Workers use their own database connection (procrastinate's psycopg connector with
Django's connection parameters), not the caller's: what they read must be committed.
"""

from __future__ import annotations

from collections.abc import Iterable

from procrastinate.contrib.django import app
from procrastinate.periodic import PeriodicRegistry


def run_until_idle(*, queues: Iterable[str] | None = None, concurrency: int = 1, **options) -> None:
    """Run a worker in this thread until no job is waiting in ``queues`` (all when None), with a
    connector workers can use (Django's own is for deferring), as ``manage.py procrastinate
    worker`` does. Meanwhile the app defers through it: do not defer from other threads then.

    Unlike a real worker it starts no periodic task by itself (a run must not depend on the
    clock): defer one (``task.defer(timestamp=…)``) to run it."""
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        schedules, worker_app.periodic_registry = worker_app.periodic_registry, PeriodicRegistry()
        try:
            worker_app.run_worker(
                queues=list(queues) if queues is not None else None, concurrency=concurrency,
                wait=False, install_signal_handlers=False, listen_notify=False, delete_jobs="never",
                **options,
            )
        finally:
            worker_app.periodic_registry = schedules
