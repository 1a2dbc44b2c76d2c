"""Which generation of the public data this process has seen, moved by PostgreSQL notifications.

Every write to a table the public pages show (claims, ratings, topics, corrections, evidence,
relations, sources, quotes, people, outlets) notifies the channel ``factcheck_pages`` when its
transaction commits (a statement trigger, ``public`` migration 0001). One thread per process
listens on its own connection to the primary and counts the notifications: ``generation()``
moves within milliseconds of every committed change.

``public.middleware.EarlyPageCacheMiddleware`` keeps an anonymous page it answered, with the
generation read *before* the page's fingerprint, and answers the same request again without any
query while the generation has not moved — so a cached page costs no database round trip, and
any change sends the next request back through the fingerprint (the precise check) at once.

The shortcut is off (``generation()`` is None) while the listener is not connected (starting,
or reconnecting after the server went away: every process revalidates after a gap), behind
PgBouncer in transaction mode (``DATABASE_PGBOUNCER``: LISTEN needs a session), with read
replicas (``DATABASE_REPLICA_URLS``: a notification from the primary could arrive before the
replica the fingerprint is read from replays the change) and when ``FACTCHECK_PAGE_EXPRESS`` is
off. Each process then checks the fingerprint on every request, as without it.
"""

from __future__ import annotations

import logging
import threading

import psycopg
from django.conf import settings
from django.db import connections

from factcheck.db_routers import replica_aliases

logger = logging.getLogger(__name__)

CHANNEL = "factcheck_pages"
RETRY_SECONDS = (1, 2, 5, 10, 30)
POLL_SECONDS = 1.0  # how often the thread looks up from waiting (to stop)


def enabled() -> bool:
    return (getattr(settings, "FACTCHECK_PAGE_EXPRESS", True)
            and not getattr(settings, "DATABASE_PGBOUNCER", False)
            and not replica_aliases())


class Listener:
    """The process's listening thread and the generation it counts (thread-safe reads: an int)."""

    def __init__(self) -> None:
        self._generation = 0
        self._connected = False
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def generation(self) -> int | None:
        """The current generation, or None when changes cannot be heard (no shortcut)."""
        if self._thread is None:
            self._start()
        return self._generation if self._connected else None

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="factcheck-page-changes",
                                                daemon=True)
                self._thread.start()

    def stop(self) -> None:
        """Close the listening connection and end the thread (tests: before the test database
        is dropped); the next ``generation()`` starts it again."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._stopping.set()
            thread.join()
            self._stopping.clear()

    def _moved(self, *, connected: bool) -> None:
        with self._lock:
            self._generation += 1
            self._connected = connected

    def _run(self) -> None:
        attempt = 0
        while not self._stopping.is_set():
            try:
                params = connections["default"].get_connection_params()
                with psycopg.connect(**params, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._moved(connected=True)  # whatever was kept before now is suspect
                    attempt = 0
                    while not self._stopping.is_set():
                        for _notification in connection.notifies(timeout=POLL_SECONDS):
                            self._moved(connected=True)
            except Exception as error:  # noqa: BLE001 (any failure: stop the shortcut, retry)
                logger.warning("page change listener disconnected: %s", error)
            self._moved(connected=False)
            self._stopping.wait(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
            attempt += 1


LISTENER = Listener()


def generation() -> int | None:
    """This process's generation of the public data; None when the shortcut is off."""
    return LISTENER.generation() if enabled() else None
