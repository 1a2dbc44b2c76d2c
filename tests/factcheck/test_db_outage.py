"""A database that hangs or is gone: requests answer 503 with Retry-After within the connect
time-out (JSON under /api/, an HTML page elsewhere), a request stuck on an open connection is freed
at its deadline, and the site recovers by itself when the database is back (settings.py time-outs,
factcheck/db_outage.py, factcheck/db_watchdog.py, factcheck/api/errors_views.py).

Real connections, no mocks: the default connection is pointed at a local server that accepts TCP
connections and never says a word (the attack run's "hanging database"), or at a closed port.
"""

from __future__ import annotations

import copy
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client

from factcheck.db_outage import is_database_unavailable
from tests.api_helpers import assert_error

# Tests with real connection changes: committed data, flushed afterwards (keep seeded rows).
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("fresh_throttles")]

CONNECT_TIMEOUT = 2  # libpq's (and psycopg's) smallest connect_timeout
# With sslmode=prefer (the default) a client tries with TLS, then without: two attempts.
WORST_WAIT = 2 * CONNECT_TIMEOUT + 1


@pytest.fixture
def silent_database_port():
    """A TCP server on 127.0.0.1 that accepts every connection and never answers."""
    server = socket.create_server(("127.0.0.1", 0), backlog=64)
    server.settimeout(0.1)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept_forever():
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for sock in accepted:
        sock.close()
    server.close()


@pytest.fixture
def closed_port():
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@contextmanager
def database_at(port: int):
    """Point the default connection at 127.0.0.1:``port`` (with a short connect time-out) until
    the block ends, then back at the test database."""
    saved = copy.deepcopy(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=port)
    connection.settings_dict["OPTIONS"]["connect_timeout"] = CONNECT_TIMEOUT
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_api_answers_json_503_with_retry_after_while_the_database_hangs(silent_database_port):
    """Found: every request hung 30 s until gunicorn killed the worker."""
    client = Client(raise_request_exception=False)
    with database_at(silent_database_port):
        response, elapsed = timed(lambda: client.get("/api/v1/claims/"))
    error = assert_error(response, 503, "service_unavailable")
    assert error["message"] == "The service is temporarily unavailable; try again shortly."
    assert response["Retry-After"] == "5"
    assert elapsed < WORST_WAIT, elapsed


def test_public_pages_answer_an_html_503_while_the_database_hangs(silent_database_port):
    client = Client(raise_request_exception=False)
    with database_at(silent_database_port):
        response, elapsed = timed(lambda: client.get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert "<h1>Temporarily unavailable</h1>" in response.content.decode()
    assert elapsed < WORST_WAIT, elapsed


def test_admin_answers_503_not_500_when_the_database_is_gone(closed_port):
    client = Client(raise_request_exception=False)
    with database_at(closed_port):
        response, elapsed = timed(lambda: client.post("/admin/login/", {"username": "ed", "password": "x"}))
        api = client.get("/api/v1/topics/")
    assert response.status_code == 503
    assert elapsed < WORST_WAIT, elapsed
    assert_error(api, 503, "service_unavailable")


def test_readyz_fails_and_healthz_stays_green_during_the_outage(closed_port):
    client = Client()
    with database_at(closed_port):
        ready = client.get("/readyz")
        alive = client.get("/healthz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable",
                            "checks": {"database": "failed: OperationalError", "cache": "ok",
                                       "queue": "failed: RuntimeError"}}
    assert ready["Retry-After"] == "5"
    assert alive.status_code == 200


def test_the_site_recovers_by_itself_when_the_database_comes_back(silent_database_port, claim_in):
    claim = claim_in("published")
    client = Client(raise_request_exception=False)
    with database_at(silent_database_port):
        assert client.get(f"/api/v1/claims/{claim.pk}/").status_code == 503
        assert client.get("/readyz").status_code == 503
    assert client.get("/readyz").status_code == 200
    response = client.get(f"/api/v1/claims/{claim.pk}/")
    assert response.status_code == 200
    assert response.json()["id"] == claim.pk
    assert client.get(f"/claims/{claim.slug}/").status_code == 200


def test_connections_carry_the_connect_and_statement_time_outs(settings):
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
    assert connection.connection.info.get_parameters()["connect_timeout"] == "3"
    assert settings.DATABASE_STATEMENT_TIMEOUT == 30_000


def test_a_statement_past_its_time_out_counts_as_unavailable():
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 100")
        with pytest.raises(OperationalError) as raised:
            cursor.execute("SELECT pg_sleep(2)")
        cursor.execute("RESET statement_timeout")
    assert "canceling statement due to statement timeout" in str(raised.value)
    assert is_database_unavailable(raised.value)


class StallingRelay:
    """A TCP relay to the test database that can stop forwarding while keeping its connections
    open: the kernel still acknowledges, nothing ever answers (a hung server on an open
    connection, which no connect or statement time-out catches)."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.stalled = threading.Event()
        self.stopped = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopped.is_set():
            try:
                client = self.listener.accept()[0]
            except TimeoutError:
                continue
            except OSError:  # closed
                break
            server = self._connect_upstream()
            self.sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _connect_upstream(self) -> socket.socket:
        host, port = self.upstream
        if host.startswith("/"):  # the embedded server listens on a unix socket only
            sock = socket.socket(socket.AF_UNIX)
            sock.connect(f"{host}/.s.PGSQL.{port}")
            return sock
        return socket.create_connection((host, port))

    def _pump(self, source, target):
        try:
            while not self.stopped.is_set():
                if self.stalled.is_set():
                    time.sleep(0.05)  # read nothing, answer nothing
                    continue
                source.settimeout(0.1)
                try:
                    data = source.recv(65536)
                except TimeoutError:
                    continue
                if not data:
                    break
                if not self.stalled.is_set():  # read during the switch: swallowed, never answered
                    target.sendall(data)
        except OSError:
            pass

    def close(self):
        self.stopped.set()
        for sock in self.sockets:
            sock.close()
        self.listener.close()


@pytest.fixture
def stalling_relay():
    relay = StallingRelay((connection.settings_dict["HOST"] or "127.0.0.1",
                           int(connection.settings_dict["PORT"] or 5432)))
    yield relay
    relay.close()


def test_a_server_that_hangs_on_an_open_connection_frees_the_request_at_the_deadline(
        stalling_relay, settings):
    """Without the watchdog this request never ends (gthread workers do not kill stuck threads)."""
    settings.DATABASE_REQUEST_DEADLINE = 2
    client = Client(raise_request_exception=False)
    worker = ThreadPoolExecutor(1)  # one thread, so both requests share its persistent connection
    try:
        with database_at(stalling_relay.port):
            assert worker.submit(client.get, "/api/v1/topics/").result(timeout=30).status_code == 200
            stalling_relay.stalled.set()
            started = time.monotonic()
            response = worker.submit(client.get, "/api/v1/topics/").result(timeout=30)
            elapsed = time.monotonic() - started
            ready = worker.submit(client.get, "/readyz").result(timeout=30)
    finally:
        worker.submit(connections.close_all).result(timeout=30)
        worker.shutdown()
    assert_error(response, 503, "service_unavailable")
    assert 2 <= elapsed < 5, elapsed
    assert ready.status_code == 503
