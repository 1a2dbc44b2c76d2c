"""A bound on requests stuck on a database connection that stopped answering.

The connect time-out bounds new connections and ``statement_timeout`` bounds statements the server
is still running, but a server that hangs on an already open (persistent) connection while its host
still acknowledges TCP answers nothing, ever — and gunicorn's ``gthread`` workers never kill a stuck
thread. So ``DatabaseDeadlineMiddleware`` arms a deadline for each request; a request still running
when it passes has its database sockets shut down by one watchdog thread per process. The blocked
call then fails with ``OperationalError`` — a 503 with Retry-After (factcheck/db_outage.py) — and
the thread is free again. The deadline (``DATABASE_REQUEST_DEADLINE``, seconds; default the
statement time-out plus 5 s, 0 = off) is longer than any statement the server would allow.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("factcheck.db_watchdog")


class DatabaseWatchdog:
    """Shuts down the sockets of database connections whose deadline passed (one thread)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._armed: dict[int, tuple[float, list]] = {}
        self._queue: list[tuple[float, int]] = []
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, wrappers: list, seconds: float) -> int:
        """Watch ``wrappers`` (this thread's Django connection wrappers) for ``seconds``."""
        deadline = time.monotonic() + seconds
        with self._condition:
            token = next(self._tokens)
            self._armed[token] = (deadline, wrappers)
            heapq.heappush(self._queue, (deadline, token))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="db-watchdog", daemon=True)
                self._thread.start()
            if self._queue[0][1] == token:  # the earliest deadline now: the watchdog must wake sooner
                self._condition.notify()
        return token

    def disarm(self, token: int) -> None:
        with self._condition:
            self._armed.pop(token, None)

    def _run(self) -> None:
        while True:
            with self._condition:
                while self._queue and self._queue[0][1] not in self._armed:
                    heapq.heappop(self._queue)  # disarmed in time
                timeout = self._queue[0][0] - time.monotonic() if self._queue else None
                if timeout is None or timeout > 0:
                    self._condition.wait(timeout)
                    continue
                _deadline, token = heapq.heappop(self._queue)
                _deadline, wrappers = self._armed.pop(token)
                for wrapper in wrappers:
                    self._shut_down(wrapper)

    @staticmethod
    def _shut_down(wrapper) -> None:
        connection = getattr(wrapper, "connection", None)
        if connection is None:
            return
        try:
            fd = connection.pgconn.socket
            # A duplicate of the descriptor: shutting it down ends the connection for the blocked
            # thread too, and closing the duplicate leaves the original to its owner.
            with socket.socket(fileno=os.dup(fd)) as sock:
                sock.shutdown(socket.SHUT_RDWR)
        except Exception as exc:  # noqa: BLE001 - the connection may have closed meanwhile
            logger.debug("watchdog: nothing to shut down (%s)", exc)
            return
        logger.warning("database connection %s stopped answering; shut it down", wrapper.alias)


watchdog = DatabaseWatchdog()


class DatabaseDeadlineMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.DATABASE_REQUEST_DEADLINE
        if not seconds:
            return self.get_response(request)
        token = watchdog.arm([connections[alias] for alias in connections], seconds)
        try:
            return self.get_response(request)
        finally:
            watchdog.disarm(token)
