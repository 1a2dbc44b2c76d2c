"""What the load tools (``bench.ops_load``, ``bench.public_load``) share to serve the app with
gunicorn on this machine: the local PostgreSQL server of ``DATABASE_URL``, a free port, and
waiting until the app answers ``/readyz``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from urllib.parse import SplitResult, urlsplit

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def local_database_url() -> SplitResult:
    """``DATABASE_URL``, split; exits unless it names a PostgreSQL server on this machine."""
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    if url.hostname not in LOCAL_HOSTS:
        sys.exit("DATABASE_URL must name a PostgreSQL server on this machine (127.0.0.1)")
    return url


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on (for the server to bind next)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(is_ready: Callable[[], bool], process: subprocess.Popen, *, seconds: float,
               log: str) -> None:
    """Return once ``is_ready()`` (the app answers ``/readyz`` with 200); exit if gunicorn
    (``process``) exits first — its log is ``log`` — or after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited; see {log}")
        if is_ready():
            return
        time.sleep(0.5)
    sys.exit("the app never became ready")
