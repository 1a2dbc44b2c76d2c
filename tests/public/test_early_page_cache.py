"""Cached public pages answered before the rest of the middleware (public/middleware.py): an
anonymous reader's hit runs no session, authentication or view code and carries the same headers
as the full stack's answer; a reader with a session, a token or a replica pin goes the whole way."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from claims import services
from factcheck.db_routers import PIN_COOKIE

pytestmark = pytest.mark.django_db

EARLY = "public.middleware.EarlyPageCacheMiddleware"
# Differ on every response whatever serves it.
PER_RESPONSE = {"X-Request-ID", "Date"}


def answered_early(response) -> bool:
    """AuthenticationMiddleware (below the early middleware) sets ``request.user``."""
    return not hasattr(response.wsgi_request, "user")


@pytest.fixture(autouse=True)
def _language_reset():
    """A LocaleMiddleware activates the reader's language for the thread: back to the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def page(claim_in):
    return claim_in("published", text="Bridges rust faster in fresh water.").get_absolute_url()


def test_a_hit_is_answered_before_sessions_auth_and_the_view(client, page, django_assert_num_queries):
    first = client.get(page)
    assert first.status_code == 200 and first.templates and not answered_early(first)
    with django_assert_num_queries(1):  # the fingerprint; the page from this process's copy
        second = client.get(page)
    assert answered_early(second)
    assert second.status_code == 200 and second.templates == [] and second.content == first.content


@pytest.mark.parametrize("localized", [False, True], ids=["one-language", "locale-middleware"])
def test_an_early_answer_has_the_full_stacks_headers(client, page, settings, localized):
    if localized:  # a LocaleMiddleware in the stack: the early answer chooses the language as it does
        at = settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1
        settings.MIDDLEWARE = [*settings.MIDDLEWARE[:at], "django.middleware.locale.LocaleMiddleware",
                               *settings.MIDDLEWARE[at:]]
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    with_early = list(settings.MIDDLEWARE)
    for url in (page, "/", "/sitemap.xml", "/feeds/claims.atom"):
        client.get(url)
        early = client.get(url)
        assert answered_early(early), url
        settings.MIDDLEWARE = [name for name in with_early if name != EARLY]
        # (a new client loads the middleware) from the cache too, the long way
        full = Client(**client.defaults).get(url)
        settings.MIDDLEWARE = with_early
        assert not answered_early(full) and full.templates == []
        assert early.content == full.content
        headers = {name: value for name, value in early.items() if name not in PER_RESPONSE}
        assert headers == {name: value for name, value in full.items() if name not in PER_RESPONSE}, url
        assert early["X-Frame-Options"] == "DENY" and int(early["Content-Length"]) == len(early.content)
        if localized:
            assert early["Content-Language"] == "es" and "Accept-Language" in early["Vary"]


def test_a_change_shows_at_once(client, page, reviewer, claim_in):
    client.get(page)
    claim = claim_in("published", text="Rivers flow uphill in spring.")
    client.get("/")
    services.claim_update(claim_id=claim.pk, actor=reviewer, text="Rivers flow downhill in spring.")
    response = client.get("/")
    assert "Rivers flow downhill" in response.content.decode() and not answered_early(response)
    again = client.get("/")
    assert answered_early(again) and again.content == response.content


def test_a_conditional_request_gets_its_304_early(client, page, django_assert_num_queries):
    etag = client.get(page)["ETag"]
    with django_assert_num_queries(1):
        response = client.get(page, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and answered_early(response)


def test_readers_with_a_session_a_token_or_a_pin_go_through_the_stack(client, page, editor):
    client.get(page)
    assert not answered_early(client.get(page, HTTP_AUTHORIZATION="Bearer x"))
    client.cookies[PIN_COOKIE] = "1"
    assert not answered_early(client.get(page))
    del client.cookies[PIN_COOKIE]
    client.force_login(editor)
    assert not answered_early(client.get(page))


def test_pages_the_public_may_not_see_and_other_urls_are_left_to_their_views(client, claim_in):
    draft = claim_in("draft").get_absolute_url()
    assert client.get(draft).status_code == 404
    response = client.get(draft)
    assert response.status_code == 404 and not answered_early(response)
    response = client.get("/api/v1/topics/")
    assert response.status_code == 200 and not answered_early(response)
    client.get("/")
    response = client.post("/")  # never answered early, even where a GET would be
    assert response.status_code == 405 and not answered_early(response)


def test_with_the_page_cache_off_nothing_is_answered_early(client, page, settings):
    settings.FACTCHECK_PAGE_CACHE_SECONDS = 0
    client.get(page)
    assert not answered_early(client.get(page))
