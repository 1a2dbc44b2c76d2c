"""The shared page cache (public/cache.py, ``cached_page``): a second request for an unchanged page
renders nothing and costs the fingerprint query (plus one cache get); every change a page shows
(publication, edit, correction, retraction, a person's or a rating's rename) gives the next
request the new content at once."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Rating
from public.cache import LOCAL_PAGES

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(client, django_assert_num_queries):
    """``cached(url)``: fetch ``url`` twice; the first renders (the fingerprint and the page's
    own queries), the second is the stored bytes (no template rendered, only the fingerprint
    query: the tests' cache is in memory). Returns the page's text."""

    def fetch(url: str) -> str:
        with CaptureQueriesContext(connection) as rendering:
            first = client.get(url)
        assert first.status_code == 200, url
        assert len(rendering) > 1, f"{url} was not rendered the first time"
        with django_assert_num_queries(1):
            second = client.get(url)
        assert second.status_code == 200
        assert second.templates == [], f"{url} was rendered again"
        assert second.content == first.content
        assert second["ETag"] == first["ETag"]
        assert second["Content-Type"] == first["Content-Type"]
        return second.content.decode()

    return fetch


def test_a_publication_shows_on_the_home_page_and_the_feed(cached, claim_in, reviewer, client):
    claim = claim_in("in_review", text="Wind farms kill more birds than cats do.")
    assert "Wind farms kill" not in cached("/")
    assert "Wind farms kill" not in cached("/feeds/claims.atom")
    assert client.get(claim.get_absolute_url()).status_code == 404
    services.claim_publish(claim_id=claim.pk, actor=reviewer)
    assert "Wind farms kill" in cached("/")
    assert "Wind farms kill" in cached("/feeds/claims.atom")
    assert "Wind farms kill" in cached(claim.get_absolute_url())
    assert claim.slug in cached("/sitemap-claims.xml")


def test_an_edit_shows_on_the_claim_page_and_the_home_page(cached, claim_in, reviewer):
    claim = claim_in("published", text="The moon is made of cheese.")
    assert "made of cheese" in cached(claim.get_absolute_url())
    assert "made of cheese" in cached("/")
    services.claim_update(claim_id=claim.pk, actor=reviewer, text="The moon is made of rock.")
    page = cached(claim.get_absolute_url())
    assert "made of rock" in page and "made of cheese" not in page
    assert "made of rock" in cached("/")


def test_a_correction_shows_on_the_claim_page_and_the_corrections_list(cached, claim_in, other_reviewer):
    claim = claim_in("published")
    assert "We fixed a unit." not in cached(claim.get_absolute_url())
    assert "We fixed a unit." not in cached("/corrections/")
    services.claim_correct(claim_id=claim.pk, actor=other_reviewer, kind="correction",
                           note="We fixed a unit.")
    assert "We fixed a unit." in cached(claim.get_absolute_url())
    assert "We fixed a unit." in cached("/corrections/")
    assert "We fixed a unit." in cached("/feeds/corrections.atom")


def test_a_retraction_shows_on_the_claim_page(cached, claim_in, reviewer):
    claim = claim_in("published")
    assert "notice--retraction" not in cached(claim.get_absolute_url())
    services.claim_retract(claim_id=claim.pk, actor=reviewer, note="The source was forged.")
    page = cached(claim.get_absolute_url())
    assert "notice--retraction" in page and "The source was forged." in page


def test_a_person_rename_shows_on_the_claim_page_the_lists_and_the_person_page(cached, claim_in):
    claim = claim_in("published")
    person = claim.claimant
    for url in (claim.get_absolute_url(), "/", f"/people/{person.slug}/"):
        assert "Ada Renamed-Lovelace" not in cached(url)
    person.name = "Ada Renamed-Lovelace"
    person.save()
    for url in (claim.get_absolute_url(), "/", f"/people/{person.slug}/"):
        assert "Ada Renamed-Lovelace" in cached(url), url


def test_a_rating_rename_shows_on_the_claim_page_and_the_ratings_page(cached, claim_in):
    claim = claim_in("published")
    rating = Rating.objects.get(pk=claim.rating_id)
    for url in (claim.get_absolute_url(), "/", "/ratings/"):
        assert "Pants on Fire Renamed" not in cached(url)
    rating.label = "Pants on Fire Renamed"
    rating.save()
    for url in (claim.get_absolute_url(), "/", "/ratings/"):
        assert "Pants on Fire Renamed" in cached(url), url


def test_each_query_string_and_host_is_its_own_entry(cached, claim_in, client):
    claim_in("published", text="Tariffs are paid by exporters.")
    claim_in("published", text="Vaccines contain microchips.")
    tariffs, microchips = cached("/?q=tariffs"), cached("/?q=microchips")
    assert "Tariffs" in tariffs and "microchips" not in tariffs
    assert "microchips" in microchips and "Tariffs" not in microchips
    cached("/feeds/claims.atom")
    with CaptureQueriesContext(connection) as rendering:  # another host: its own entry
        assert client.get("/feeds/claims.atom", HTTP_HOST="localhost").status_code == 200
    assert len(rendering) > 1


def test_a_conditional_request_still_gets_its_304_first(cached, claim_in, client, django_assert_num_queries):
    claim = claim_in("published")
    cached(claim.get_absolute_url())
    etag = client.get(claim.get_absolute_url())["ETag"]
    with django_assert_num_queries(1):
        assert client.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_head_is_answered_from_the_same_entry(cached, claim_in, client):
    claim = claim_in("published")
    cached(claim.get_absolute_url())
    response = client.head(claim.get_absolute_url())
    assert response.status_code == 200 and response.templates == []


def test_the_page_cache_can_be_turned_off(client, claim_in, settings):
    settings.FACTCHECK_PAGE_CACHE_SECONDS = 0
    claim = claim_in("published")
    client.get(claim.get_absolute_url())
    assert client.get(claim.get_absolute_url()).templates


def test_missing_claims_and_the_api_are_not_stored(client, claim_in):
    claim = claim_in("draft")
    assert client.get(claim.get_absolute_url()).status_code == 404
    published = claim_in("published")
    client.get(f"/api/v1/claims/{published.pk}/claimreview/")
    assert caches["default"]._cache == {} or all(  # locmem: nothing but API throttle counters
        "factcheck:page:" not in key for key in caches["default"]._cache)


def test_the_database_cache_serves_a_hit_with_two_queries(client, claim_in, settings,
                                                         django_assert_num_queries):
    """Production's default cache, shared by every worker: in a process that has not kept the page
    itself, a hit costs the fingerprint and one cache read."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": settings.CACHE_TABLE}}
    DatabaseCache(settings.CACHE_TABLE, {}).clear()
    claim = claim_in("published")
    first = client.get(claim.get_absolute_url())
    assert first.templates
    LOCAL_PAGES.clear()  # another worker
    with django_assert_num_queries(2) as captured:
        second = client.get(claim.get_absolute_url())
    assert second.templates == [] and second.content == first.content
    assert settings.CACHE_TABLE in captured.captured_queries[1]["sql"]
    with django_assert_num_queries(1):  # this process now keeps it too: the fingerprint only
        third = client.get(claim.get_absolute_url())
    assert third.content == first.content
