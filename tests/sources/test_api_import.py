"""``POST /api/v1/sources/import/`` (sources/api_import.py): 202 and a job a real worker runs."""

from __future__ import annotations

import socket

import pytest
from django.db import connection

from claims import demo
from jobs.models import Job
from sources.models import Quote, Source
from tests.api_helpers import assert_error, fresh_throttles, session_client  # noqa: F401
from tests.jobs.helpers import JOB_TESTS, empty_queue, queue_statuses, run_jobs  # noqa: F401
from tests.sources.test_extraction import DEMO_EXPECTED

pytestmark = [pytest.mark.usefixtures("fresh_throttles")]

URL = "/api/v1/sources/import/"
TEXT = demo.ARTICLE_FILE.read_text(encoding="utf-8")
PRIVATE = ("The page's address is a private or local address, which the importer does not reach. "
           "An administrator can allow a trusted internal address (FACTCHECK_OUTBOUND_ALLOW).")


@JOB_TESTS
def test_import_answers_202_with_a_job_that_a_worker_runs(editor):
    client = session_client(editor)
    payload = {"url": demo.ARTICLE_URL, "content": TEXT, "format": "text", "title": "Sovereignty",
               "published_at": "2025-05-03T18:00:00Z"}

    response = client.post(URL, payload, format="json")

    assert response.status_code == 202, response.content
    body = response.json()
    assert response["Location"] == f"/api/v1/jobs/{body['id']}/"
    assert {key: body[key] for key in ("kind", "status", "attempts", "result", "error", "started_at")} == {
        "kind": "article_import", "status": "queued", "attempts": 0, "result": None, "error": None,
        "started_at": None}
    assert not Source.objects.exists()  # nothing happens inside the request
    assert list(queue_statuses().values()) == ["todo"]

    run_jobs()

    done = client.get(response["Location"])
    assert done.status_code == 200
    job = done.json()
    assert (job["status"], job["attempts"], job["error"]) == ("succeeded", 1, None)
    assert job["started_at"] and job["finished_at"]
    source = Source.objects.get(url=demo.ARTICLE_URL)
    result = job["result"]
    assert result["source"] == {"id": source.pk, "url": source.url, "title": "Sovereignty",
                                "content_sha256": source.content_sha256}
    assert result["created"] is True and result["content_changed"] is False
    assert len(result["quotes_created"]) == len(DEMO_EXPECTED)
    assert set(Quote.objects.filter(source=source).values_list("is_candidate", flat=True)) == {True}
    assert result["summary"][0].startswith("Created source")
    assert source.published_at == demo.ARTICLE_PUBLISHED
    assert list(queue_statuses().values()) == ["succeeded"]

    # Idempotent: the same URL and text again changes nothing.
    again = client.post(URL, payload, format="json")
    assert again.status_code == 202
    run_jobs()
    second = client.get(again["Location"]).json()
    assert second["status"] == "succeeded"
    assert second["result"]["quotes_created"] == [] and second["result"]["created"] is False
    assert Quote.objects.filter(source=source).count() == len(DEMO_EXPECTED)


@pytest.mark.django_db
def test_import_needs_an_editor(anon_client, outsider):
    payload = {"url": demo.ARTICLE_URL, "content": TEXT}
    assert_error(anon_client.post(URL, payload, format="json"), 401)
    assert_error(session_client(outsider).post(URL, payload, format="json"), 403)
    assert not Job.objects.exists()


@pytest.fixture
def anon_client():
    return session_client(None)


@pytest.mark.django_db
def test_bad_input_is_refused_in_the_error_shape(editor):
    client = session_client(editor)
    error = assert_error(client.post(URL, {}, format="json"), 400)
    assert "url" in error["fields"]
    assert_error(client.post(URL, {"url": demo.ARTICLE_URL, "content": TEXT, "format": "pdf"},
                             format="json"), 400)
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_url_written_as_a_private_address_is_refused_at_once_in_words(editor):
    response = session_client(editor).post(URL, {"url": "http://169.254.169.254/latest/"}, format="json")
    error = assert_error(response, 400, "fetch_blocked")
    assert error["message"] == PRIVATE
    assert not Job.objects.exists() and not Source.objects.exists()


@pytest.mark.django_db
def test_a_scheme_other_than_http_is_refused_in_words(editor):
    response = session_client(editor).post(URL, {"url": "ftp://example.org/a"}, format="json")
    error = assert_error(response, 400, "fetch_blocked")
    assert error["message"] == "Only http:// and https:// addresses can be fetched."
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM procrastinate_jobs")
        assert cursor.fetchone() == (0,)


@JOB_TESTS
def test_name_resolving_to_a_private_address_fails_the_job_in_words(editor, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo",
                        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80))])
    client = session_client(editor)
    response = client.post(URL, {"url": "http://cms.newsroom.example/article"}, format="json")
    assert response.status_code == 202

    run_jobs()

    job = client.get(response["Location"]).json()
    assert (job["status"], job["attempts"]) == ("failed", 1)  # a refusal is not retried
    assert job["error"] == {"code": "fetch_blocked", "message": PRIVATE, "fields": {}}
    assert list(queue_statuses().values()) == ["failed"]
    assert not Source.objects.exists()


@JOB_TESTS
def test_unreachable_page_is_retried_then_fails_recorded_on_the_source(editor, monkeypatch):
    """A name that does not resolve: the fetch fails (not refused) — retried with back-off, then
    failed after the last attempt; editors see the failure on the source."""
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # no DNS needed to test this
    url = "http://unreachable.invalid/article"
    client = session_client(editor)
    response = client.post(URL, {"url": url}, format="json")

    run_jobs()

    job = client.get(response["Location"]).json()
    failed = {"code": "fetch_failed", "message": "The page could not be fetched.", "fields": {}}
    assert (job["status"], job["attempts"], job["error"]) == ("queued", 1, failed)
    with connection.cursor() as cursor:  # the retry waits (exponential back-off): 2 s after try 1
        cursor.execute("SELECT status, attempts, scheduled_at > now() FROM procrastinate_jobs "
                       "WHERE queue_name = 'imports'")
        assert cursor.fetchall() == [("todo", 1, True)]
        # Skip the waits: make the retry due and the next attempt the last one.
        cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now(), attempts = 4 "
                       "WHERE queue_name = 'imports'")

    run_jobs()

    job = client.get(response["Location"]).json()
    assert (job["status"], job["attempts"], job["error"]) == ("failed", 5, failed)
    assert list(queue_statuses().values()) == ["failed"]
    source = Source.objects.get()
    assert (source.url, source.content, source.fetch_error) == (url, "", failed["message"])
