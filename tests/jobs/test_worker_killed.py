"""A worker killed mid-job (kill -9) leaves nothing half-written; the stalled job is retried and
then succeeds (jobs/recovery.py, sources/tasks.py) — with a real worker process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from claims import demo
from jobs.models import Job
from jobs.recovery import retry_stalled_jobs
from sources.models import Quote, Source
from tests.api_helpers import session_client
from tests.jobs.helpers import JOB_TESTS, empty_queue, queue_statuses, run_jobs  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
TEXT = demo.ARTICLE_FILE.read_text(encoding="utf-8").encode()


class StallingArticle(BaseHTTPRequestHandler):
    """Serves the demo article; the first request hangs until the test releases it."""

    started = threading.Event()
    release = threading.Event()

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 (http.server's naming)
        if not StallingArticle.started.is_set():
            StallingArticle.started.set()
            StallingArticle.release.wait(60)
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(TEXT)))
            self.end_headers()
            self.wfile.write(TEXT)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the worker that asked is dead


@pytest.fixture
def article_server():
    StallingArticle.started.clear()
    StallingArticle.release.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), StallingArticle)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    StallingArticle.release.set()
    httpd.shutdown()
    httpd.server_close()


def database_url() -> str:
    db = connection.settings_dict
    host = quote(db["HOST"] or "", safe="")
    auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker() -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(), "FACTCHECK_OUTBOUND_ALLOW": "127.0.0.1"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "imports",
         "--fetch-job-polling-interval", "0.2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


@JOB_TESTS
def test_worker_killed_mid_job_leaves_nothing_and_the_job_is_retried(editor, article_server, settings):
    settings.FACTCHECK_OUTBOUND_ALLOW = ["127.0.0.1"]  # the in-process worker of the retry
    url = f"http://127.0.0.1:{article_server}/politics/sovereignty"
    client = session_client(editor)
    response = client.post("/api/v1/sources/import/", {"url": url}, format="json")
    assert response.status_code == 202
    job_id = response.json()["id"]

    worker = start_worker()
    try:
        assert StallingArticle.started.wait(60), "the worker never fetched the page"
        job = Job.objects.get(pk=job_id)
        assert (job.status, job.attempts) == ("running", 1)
        os.kill(worker.pid, signal.SIGKILL)  # mid-job: the fetch is under way
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)

    # Nothing half-done: no source, no quote, no person; the queue still says "doing".
    assert not Source.objects.exists() and not Quote.objects.exists()
    assert list(queue_statuses().values()) == ["doing"]
    assert Job.objects.get(pk=job_id).status == "running"

    time.sleep(1.5)  # the dead worker's last heartbeat gets older than the threshold below
    assert retry_stalled_jobs(seconds_since_heartbeat=1) == list(queue_statuses())
    assert Job.objects.get(pk=job_id).status == "queued"
    assert list(queue_statuses().values()) == ["todo"]

    StallingArticle.release.set()
    run_jobs()

    body = client.get(response["Location"]).json()
    assert (body["status"], body["attempts"], body["error"]) == ("succeeded", 2, None)
    source = Source.objects.get(url=url)
    assert body["result"]["created"] is True and body["result"]["source"]["id"] == source.pk
    assert Quote.objects.filter(source=source).count() == len(body["result"]["quotes_created"]) > 0
