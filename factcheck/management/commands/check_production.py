"""`manage.py check_production`: run by `make serve` before anything starts."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from factcheck.serving import production_problems, worker_count


class Command(BaseCommand):
    help = ("Check that the production variables are set and the settings fit several workers; "
            "names everything that is missing.")

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=None,
                            help="worker processes that will start (default: as gunicorn.conf.py)")

    def handle(self, *args, workers: int | None, **options):
        problems = production_problems(dict(os.environ), settings,
                                       workers=workers if workers is not None else worker_count())
        if problems:
            raise CommandError("Not ready for production:\n" + "\n".join(f"  - {p}" for p in problems))
        self.stdout.write("Production settings are complete.")
