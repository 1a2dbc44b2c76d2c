"""``python -m bench.jobs_throughput [--jobs 1000] [--concurrency 1]``: the job queue's own cost.

Defers ``--jobs`` no-op jobs (``jobs.tasks.noop``, queue ``bench``) in one transaction, then times
one in-process worker (``jobs.worker.run_until_idle``) until the queue is empty, and prints jobs
per second. Runs against the app's database (``DATABASE_URL`` or the embedded server; migrated),
touches only the ``bench`` queue and deletes its jobs afterwards. Bounded: at most 20,000 jobs.
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=1)
    options = parser.parse_args()
    count = max(1, min(options.jobs, 20_000))

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("procrastinate").setLevel(logging.WARNING)
    from django.db import connection, transaction

    from jobs.services import defer_in_transaction
    from jobs.tasks import noop
    from jobs.worker import run_until_idle

    def clear() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM procrastinate_jobs WHERE queue_name = 'bench'")

    clear()
    started = time.perf_counter()
    with transaction.atomic():
        for _ in range(count):
            defer_in_transaction(noop)
    deferred = time.perf_counter() - started

    started = time.perf_counter()
    run_until_idle(queues=["bench"], concurrency=options.concurrency)
    ran = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM procrastinate_jobs WHERE queue_name = 'bench' "
                       "GROUP BY status")
        statuses = dict(cursor.fetchall())
    clear()
    print(f"deferred {count} jobs in {deferred:.2f} s ({count / deferred:,.0f}/s)")
    print(f"worker (concurrency {options.concurrency}) ran them in {ran:.2f} s "
          f"({count / ran:,.0f} jobs/s); final statuses: {statuses}")


if __name__ == "__main__":
    main()
