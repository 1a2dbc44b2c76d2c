"""The periodic tasks, run through the queue by a real worker: re-checking sources for changes
(sources/tasks.py) and pulling other fact-checkers' ClaimReview feeds (claims/tasks.py)."""

from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from claims import demo
from claims.models import Claim, ClaimReviewFeed
from claims.tasks import pull_claimreview_feeds
from factcheck.actors import SYSTEM
from jobs.models import Job
from sources.importing import article_import
from sources.models import Quote, Source
from sources.tasks import recheck_sources
from tests.jobs.helpers import JOB_TESTS, empty_queue, run_jobs  # noqa: F401

TEXT = demo.ARTICLE_FILE.read_text(encoding="utf-8")
FEED = (Path(__file__).resolve().parent.parent / "fixtures" / "claimreview-feed.json").read_bytes()
CHANGED = TEXT.replace("Sheinbaum", "Sheinbaum Pardo", 1)


class Pages(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 (http.server's naming)
        body, kind = {"/article": (CHANGED.encode(), "text/plain; charset=utf-8"),
                      "/feed.json": (FEED, "application/json")}.get(self.path, (b"", ""))
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", kind or "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site(settings):
    settings.FACTCHECK_OUTBOUND_ALLOW = ["127.0.0.1"]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def run_schedule(task) -> None:
    """What the worker's periodic deferrer does at the scheduled time, then the worker itself."""
    task.defer(timestamp=int(timezone.now().timestamp()))
    run_jobs(queues=["maintenance"])
    run_jobs(queues=["imports"])


@JOB_TESTS
def test_recheck_reimports_stale_articles_and_reanchors_their_quotes(site):
    url = f"{site}/article"
    stale = Source.objects.get(pk=article_import(url=url, content=TEXT, format="text",
                                                 actor=SYSTEM).source.id)
    fresh = Source.objects.get(pk=article_import(url=f"{site}/fresh", content=TEXT + "\nMore.",
                                                 format="text", actor=SYSTEM).source.id)
    Source.objects.filter(pk=stale.pk).update(retrieved_at=timezone.now() - dt.timedelta(hours=30))
    quotes_before = Quote.objects.filter(source=stale).count()

    run_schedule(recheck_sources)

    job = Job.objects.get()
    assert (job.kind, job.subject, job.status, job.created_by) == (
        "article_import", f"source:{stale.pk}", "succeeded", None)
    assert job.result["content_changed"] is True and sum(job.result["reanchored"].values()) == quotes_before
    stale.refresh_from_db()
    assert "Sheinbaum Pardo" in stale.content
    assert stale.retrieved_at > timezone.now() - dt.timedelta(minutes=5)
    assert Source.objects.get(pk=fresh.pk).content == fresh.content  # not due

    run_schedule(recheck_sources)  # checked within the hour: nothing queued again
    assert Job.objects.count() == 1


@JOB_TESTS
def test_enabled_feeds_are_pulled_on_schedule_and_recorded(site):
    feed = ClaimReviewFeed.objects.create(name="Other desk", url=f"{site}/feed.json")
    ClaimReviewFeed.objects.create(name="Paused", url=f"{site}/paused.json", enabled=False)
    broken = ClaimReviewFeed.objects.create(name="Broken", url=f"{site}/missing.json")

    run_schedule(pull_claimreview_feeds)

    jobs = {job.subject: job for job in Job.objects.all()}
    assert set(jobs) == {f"feed:{feed.pk}", f"feed:{broken.pk}"}
    pulled = jobs[f"feed:{feed.pk}"]
    assert (pulled.kind, pulled.status) == ("claimreview_pull", "succeeded")
    assert pulled.result["summary"][0] == (
        "Reviews: 3 imported, 0 changed since the last import, 0 already there")
    assert Claim.objects.exclude(external_review_url="").count() == 3
    feed.refresh_from_db()
    assert feed.last_pulled_at is not None and feed.last_error == ""
    failing = jobs[f"feed:{broken.pk}"]
    assert (failing.status, failing.error["code"]) == ("queued", "fetch_failed")  # retried later
    broken.refresh_from_db()
    assert (broken.last_pulled_at, broken.last_error) == (None, "The page could not be fetched.")

    run_schedule(pull_claimreview_feeds)  # idempotent: the same reviews change nothing
    again = Job.objects.filter(subject=f"feed:{feed.pk}").latest("pk")
    assert again.result["summary"][0].endswith("3 already there")
