"""Read replicas: anonymous reads go to a streaming replica, everything else to the primary.

``DATABASE_REPLICA_URLS`` (settings) adds ``replica_0``, ``replica_1``… to ``DATABASES`` and this
router. ``ReplicaRoutingMiddleware`` decides once per request whether its reads may use a replica:
only a safe method (GET, HEAD), outside ``/admin/``, with no ``Authorization`` header, no logged-in
user and no primary pin. Every write, the admin, the workflow (POST/PATCH…), API tokens and
sessions stay on the primary. After an unsafe request the client gets a short-lived cookie that
pins its next reads to the primary, so it reads its own write even while the replica lags.

One request reads from ONE replica (chosen at its first read), so the page cache's fingerprint and
the page it keys come from the same snapshot line. A replica that does not answer is skipped for
``DATABASE_REPLICA_RETRY_SECONDS`` and the reads go to the primary.

Ground floor: imports no app (tests/factcheck/test_ground_floor.py).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import itertools
import logging
import threading
import time
from collections.abc import Iterator

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.utils import DatabaseError

logger = logging.getLogger(__name__)

PIN_COOKIE = "fc_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Tables read to decide or to count (sessions, cache entries: rate limits, the change feed's
# snapshot functions): always the primary.
PRIMARY_ONLY_APPS = frozenset({"sessions", "django_cache", "auth", "accounts", "axes", "events",
                               "saved_searches", "admin", "pghistory"})

# The replica this request may read from: None = the primary; "" = allowed, not chosen yet.
_replica: contextvars.ContextVar[str | None] = contextvars.ContextVar("factcheck_replica", default=None)
_down_until: dict[str, float] = {}
_lock = threading.Lock()
_turn = itertools.count()


def replica_aliases() -> list[str]:
    return [alias for alias in connections.settings if alias.startswith("replica_")]


def retry_seconds() -> float:
    return float(getattr(settings, "DATABASE_REPLICA_RETRY_SECONDS", 5))


def _usable(alias: str) -> bool:
    """Connects (or finds the open connection alive); a failure marks the replica down for a while."""
    if _down_until.get(alias, 0) > time.monotonic():
        return False
    connection = connections[alias]
    try:
        # A connection held from an earlier request to a replica that has since stopped is dead:
        # the per-request health check (CONN_HEALTH_CHECKS) closes it here, so that connecting
        # again decides, rather than the page's first query failing.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as error:
        with _lock:
            _down_until[alias] = time.monotonic() + retry_seconds()
        logger.warning("replica %s unavailable, reading from the primary: %s", alias, error)
        return False
    return True


def _choose() -> str:
    aliases = replica_aliases()
    start = next(_turn)
    for offset in range(len(aliases)):
        alias = aliases[(start + offset) % len(aliases)]
        if _usable(alias):
            return alias
    return DEFAULT_DB_ALIAS


def read_alias() -> str:
    """The database this request's reads go to."""
    chosen = _replica.get()
    if chosen is None:
        return DEFAULT_DB_ALIAS
    if chosen == "":
        chosen = _choose()
        _replica.set(chosen)
    return chosen


class _ShownStatement:
    """What Django's debug cursor shows of a prepared statement (it reads ``cursor._query.query``,
    which psycopg leaves unset when it runs a prepared statement): the SQL with its parameters
    inlined, composed only if something reads it (captured queries in tests, DEBUG's log)."""

    def __init__(self, connection, query, params) -> None:
        self._connection, self._statement, self._params = connection, query, params

    @functools.cached_property
    def query(self) -> bytes:
        return psycopg.ClientCursor(self._connection).mogrify(self._statement, self._params).encode()


class _PreparedCursor(psycopg.Cursor):
    """Server-side binding, and every statement prepared on its connection (psycopg keeps the
    prepared statements per connection) — unless the connection's ``prepare_threshold`` is None:
    behind PgBouncer in transaction mode (``DATABASE_PGBOUNCER``, settings) a prepared statement
    may not be there next time."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        result = super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)
        if self._query is None:
            self._query = _ShownStatement(self.connection, query, params)
        return result


def read_cursor(model, *, prepared: bool = False):
    """A cursor on the database the reads of ``model`` go to (a replica for an anonymous reader,
    like the ORM's reads of that request), for the hand-written SQL of a read.

    ``prepared``: the statement is prepared once per connection and its plan reused (Django's own
    cursors bind on the client and never prepare). For a fixed statement run on every request
    whose planning costs a noticeable part of its run (a claim document: 2 ms of 9 at 1,000,000
    claims, docs/benchmarks.md); its parameters must not change which plan is best. Such a
    statement begins with ``SELECT``: during a request django-pghistory tracks, it puts its
    ``set_config`` statement before any other kind (a ``WITH`` …), and a prepared statement holds
    one command."""
    database = connections[router.db_for_read(model)]
    if not prepared:
        return database.cursor()
    # What database.cursor() does, with another psycopg cursor class (Django's wrapper kept: the
    # query is logged, counted and its errors translated like any other).
    database.close_if_health_check_failed()
    database.ensure_connection()
    with database.wrap_database_errors:
        return database._prepare_cursor(_PreparedCursor(database.connection))


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas are copies of the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def replica_allowed(request) -> bool:
    if request.method not in SAFE_METHODS or request.path.startswith("/admin/"):
        return False
    if request.COOKIES.get(PIN_COOKIE) or "HTTP_AUTHORIZATION" in request.META:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:  # a session: maybe a logged-in editor
        user = getattr(request, "user", None)
        return user is None or not user.is_authenticated
    return True


@contextlib.contextmanager
def replica_reads(request) -> Iterator[None]:
    """Within this block the request's reads go to a replica when ``replica_allowed``."""
    allowed = bool(replica_aliases()) and replica_allowed(request)
    token = _replica.set("" if allowed else None)
    try:
        yield
    finally:
        _replica.reset(token)


class ReplicaRoutingMiddleware:
    """Marks the request's reads as replica-allowed or not, and pins a writing client to the
    primary for ``DATABASE_REPLICA_PIN_SECONDS``. After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with replica_reads(request):
            response = self.get_response(request)
        if request.method not in SAFE_METHODS and replica_aliases():
            seconds = int(getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 10))
            response.set_cookie(PIN_COOKIE, "1", max_age=seconds, httponly=True, samesite="Lax",
                                secure=request.is_secure())
        return response
