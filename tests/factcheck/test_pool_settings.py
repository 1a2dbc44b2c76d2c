"""Connections: Django's pool (psycopg_pool) with DATABASE_POOL=1, and what PgBouncer in transaction
mode needs with DATABASE_PGBOUNCER=1 (no server-side cursors, no prepared statements, no startup
``options``). Settings are built in a fresh process with the variables, as a server would; the
pool and PgBouncer settings also serve real requests and queries against the test database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.factcheck.test_serving import database_url

PRINT_DATABASE = """
import json, django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({"CONN_MAX_AGE": db["CONN_MAX_AGE"], "OPTIONS": db["OPTIONS"],
                  "DISABLE_SERVER_SIDE_CURSORS": db.get("DISABLE_SERVER_SIDE_CURSORS", False)}))
"""


def in_a_process(tmp_path: Path, code: str, **env: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own code, our interpreter
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
             "FACTCHECK_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "factcheck.settings",
             "DJANGO_LOG_LEVEL": "ERROR", "DATABASE_URL": database_url(), **env})
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def database_settings(tmp_path: Path, **env: str) -> dict:
    return json.loads(in_a_process(tmp_path, PRINT_DATABASE, **env))


def test_by_default_connections_persist_and_nothing_is_pooled(tmp_path):
    db = database_settings(tmp_path)
    assert db["CONN_MAX_AGE"] == 60
    assert "pool" not in db["OPTIONS"]
    assert db["OPTIONS"]["prepare_threshold"] == 5  # only server-binding cursors prepare
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is False
    assert "-c statement_timeout=30000" in db["OPTIONS"]["options"]


def test_database_pool_turns_on_djangos_pool_and_off_persistent_connections(tmp_path):
    db = database_settings(tmp_path, DATABASE_POOL="1", DATABASE_POOL_MIN_SIZE="1",
                           DATABASE_POOL_MAX_SIZE="7", DATABASE_POOL_TIMEOUT="2.5")
    assert db["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 7, "timeout": 2.5}
    assert db["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections


def test_database_pgbouncer_turns_off_server_side_cursors_prepared_statements_and_options(tmp_path):
    db = database_settings(tmp_path, DATABASE_PGBOUNCER="1")
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert db["OPTIONS"]["prepare_threshold"] is None
    assert "options" not in db["OPTIONS"]  # PgBouncer refuses startup options


# A request through the pool: the connection is borrowed and given back, not closed.
POOLED_REQUEST = """
import json
from wsgiref.util import setup_testing_defaults
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
from django.db import connection

def get(path):  # as a WSGI server calls the app: close() ends the request (request_finished)
    environ = {"PATH_INFO": path, "HTTP_HOST": "127.0.0.1"}
    setup_testing_defaults(environ)
    statuses = []
    body = application(environ, lambda status, headers: statuses.append(int(status[:3])))
    b"".join(body)
    body.close()
    return statuses[0]

statuses = [get("/ratings/") for _ in range(3)]
stats = connection.pool.get_stats()
print(json.dumps({"statuses": statuses, "returned": connection.connection is None,
                  "borrowed": stats.get("requests_num", 0), "opened": stats.get("connections_num", 0),
                  "max_size": connection.pool.max_size}))
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_is_served_through_the_pool(tmp_path):
    result = json.loads(in_a_process(tmp_path, POOLED_REQUEST, DATABASE_POOL="1",
                                     DATABASE_POOL_MIN_SIZE="1", DATABASE_POOL_MAX_SIZE="3",
                                     FACTCHECK_PAGE_CACHE_SECONDS="0"))
    assert result["statuses"] == [200, 200, 200]
    assert result["returned"] is True  # given back to the pool at the end of the request
    assert result["borrowed"] >= 3  # at least once per request
    assert result["opened"] <= 3 and result["max_size"] == 3


# Run two queries 8 times (psycopg prepares a query from its 5th run by default), then read from
# the same session what the server holds: prepared statements, and the open cursors while
# iterating a queryset with .iterator() (Django's server-side cursor).
SERVER_STATE = """
import json, django
django.setup()
from django.db import connection, transaction
from django.contrib.auth.models import AnonymousUser
from claims.models import Rating
from claims.search import build_tsquery
from claims.selectors import claim_documents
from public.cache import site_fingerprint
for _ in range(8):
    list(Rating.objects.filter(slug="false"))
    # Three reads ask for a prepared statement: the page cache's fingerprint, a search's word
    # lookup and the claim documents (factcheck.db_routers.read_cursor).
    site_fingerprint()
    build_tsquery("bridge")
    claim_documents([1], AnonymousUser())
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM pg_prepared_statements")
    prepared = cursor.fetchone()[0]
with transaction.atomic():
    for _ in Rating.objects.all().iterator(chunk_size=1):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_cursors")
            cursors = cursor.fetchone()[0]
        break
print(json.dumps({"prepared": prepared, "cursors": cursors}))
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_behind_pgbouncer_no_statement_is_prepared_and_no_cursor_is_kept_on_the_server(tmp_path):
    default = json.loads(in_a_process(tmp_path, SERVER_STATE))
    pgbouncer = json.loads(in_a_process(tmp_path, SERVER_STATE, DATABASE_PGBOUNCER="1"))
    assert default["cursors"] >= 1  # the check sees Django's server-side cursor when it is used
    assert default["prepared"] == 3  # the three reads' (Django's client-bound queries never)
    assert pgbouncer == {"prepared": 0, "cursors": 0}
