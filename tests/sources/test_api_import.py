"""``POST /api/v1/sources/import/`` (sources/api_import.py)."""

from __future__ import annotations

import socket

import pytest

from claims import demo
from sources.models import Quote, Source
from tests.api_helpers import assert_error, fresh_throttles, session_client  # noqa: F401
from tests.sources.test_extraction import DEMO_EXPECTED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

URL = "/api/v1/sources/import/"
TEXT = demo.ARTICLE_FILE.read_text(encoding="utf-8")


def test_editor_imports_an_article_and_reimporting_changes_nothing(editor):
    client = session_client(editor)
    payload = {"url": demo.ARTICLE_URL, "content": TEXT, "format": "text", "title": "Sovereignty",
               "published_at": "2025-05-03T18:00:00Z"}

    response = client.post(URL, payload, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    source = Source.objects.get(url=demo.ARTICLE_URL)
    assert body["source"] == {"id": source.pk, "url": source.url, "title": "Sovereignty",
                              "content_sha256": source.content_sha256}
    assert body["created"] is True and body["content_changed"] is False
    assert len(body["quotes_created"]) == len(DEMO_EXPECTED)
    assert set(Quote.objects.filter(source=source).values_list("is_candidate", flat=True)) == {True}
    assert body["summary"][0].startswith("Created source")
    assert source.published_at == demo.ARTICLE_PUBLISHED

    again = client.post(URL, payload, format="json")
    assert again.status_code == 200
    assert again.json()["quotes_created"] == [] and again.json()["created"] is False


def test_import_needs_an_editor(anon_client, outsider):
    payload = {"url": demo.ARTICLE_URL, "content": TEXT}
    assert_error(anon_client.post(URL, payload, format="json"), 401)
    assert_error(session_client(outsider).post(URL, payload, format="json"), 403)
    assert not Source.objects.exists()


@pytest.fixture
def anon_client():
    return session_client(None)


def test_bad_input_is_refused_in_the_error_shape(editor):
    client = session_client(editor)
    error = assert_error(client.post(URL, {"content": TEXT, "format": "text"}, format="json"), 400)
    assert "url" in error["fields"]
    error = assert_error(client.post(URL, {}, format="json"), 400)
    assert "url" in error["fields"]
    assert_error(client.post(URL, {"url": demo.ARTICLE_URL, "content": TEXT, "format": "pdf"},
                             format="json"), 400)


def test_url_to_a_private_address_is_refused_without_fetching(editor):
    response = session_client(editor).post(URL, {"url": "http://169.254.169.254/latest/"}, format="json")
    error = assert_error(response, 400, "fetch_blocked")
    assert error["message"] == "The page's address is not allowed."


def test_url_to_a_private_address_creates_no_source(editor):
    session_client(editor).post(URL, {"url": "http://10.1.2.3/article"}, format="json")
    assert not Source.objects.exists()


def test_unreachable_page_is_a_502_recorded_on_a_new_source(editor, monkeypatch):
    """A name that does not resolve: the fetch fails (not refused), the editor sees it on the source."""
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # no DNS needed to test this
    url = "http://unreachable.invalid/article"
    error = assert_error(session_client(editor).post(URL, {"url": url}, format="json"), 502, "fetch_failed")
    assert error["message"] == "The page could not be fetched."
    source = Source.objects.get()
    assert (source.url, source.content, source.fetch_error) == (url, "", error["message"])
