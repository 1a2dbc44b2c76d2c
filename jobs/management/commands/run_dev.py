"""``manage.py run_dev [addr:port]``: the development server and a job worker, as one command.

Starts ``runserver --noreload`` and ``procrastinate worker`` as child processes and waits. Ctrl-C
(or SIGTERM, or either child exiting) stops both; the embedded PostgreSQL, which every process
that uses it registers with, stops when the last of them has exited (factcheck/embedded_db.py).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


class Command(BaseCommand):
    help = "Run the development server and a background-job worker together; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        children = [
            subprocess.Popen([sys.executable, MANAGE, "runserver", "--noreload", addrport]),  # noqa: S603
            subprocess.Popen([sys.executable, MANAGE, "procrastinate", "worker"]),  # noqa: S603
        ]
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        # Ctrl-C even when started from a script that left SIGINT ignored (a background job).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            stop(children)
        failed = [child.returncode for child in children
                  if child.returncode not in (0, 1, 143, -signal.SIGINT, -signal.SIGTERM)]
        if failed:
            self.stderr.write(f"A process exited with status {failed[0]}.")


def stop(children: list[subprocess.Popen], timeout: float = 10.0) -> None:
    """Ask every child still running to stop (SIGTERM: the worker finishes its job, the server and
    the embedded database exit cleanly), then kill what is left after ``timeout`` seconds."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
