"""Webhook test helpers: a local receiver (answers each POST with the next planned status; tests
verify the Standard Webhooks signatures it received), running the webhooks queue for real, and
subscribing through the API."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection

from jobs.worker import run_until_idle
from tests.api_helpers import session_client


class Receiver:
    """An HTTP receiver on 127.0.0.1 answering each POST with the next planned status."""

    def __init__(self, plan=(200,), delay: float = 0.0):
        self.plan, self.delay, self.received = list(plan), delay, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body.decode()))
                time.sleep(receiver.delay)
                status = receiver.plan.pop(0) if len(receiver.plan) > 1 else receiver.plan[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    made = []

    def make(*plan, delay=0.0):
        made.append(Receiver(plan or (200,), delay))
        settings.FACTCHECK_OUTBOUND_ALLOW = [f"127.0.0.1:{made[-1].server.server_port}"]
        return made[-1]

    yield make
    for item in made:
        item.close()


def run_queue() -> None:
    """Run the webhooks queue until empty; retries scheduled for later are made due at once."""
    for _ in range(6):
        settings_dict = connection.settings_dict
        kept, settings_dict["CONN_MAX_AGE"] = settings_dict.get("CONN_MAX_AGE"), 0
        try:
            run_until_idle(queues=["webhooks"])
        finally:
            settings_dict["CONN_MAX_AGE"] = kept
        with connection.cursor() as cursor:
            cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() "
                           "WHERE queue_name = 'webhooks' AND status = 'todo' RETURNING id")
            if not cursor.fetchall():
                return


def subscribe(user, url: str, events=None, **fields) -> dict:
    response = session_client(user).post("/api/v1/webhooks/", {"url": url, "events": events or [],
                                                                **fields}, format="json")
    assert response.status_code == 201, response.content
    return response.json()
