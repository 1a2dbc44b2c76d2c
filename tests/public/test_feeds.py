"""Atom feeds, the sitemap (claims/feeds.py, claims/sitemaps.py) and the ClaimReview DataFeed
(public/api.py): they parse, and they list public claims only."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from claims import services

pytestmark = pytest.mark.django_db

ATOM = {"atom": "http://www.w3.org/2005/Atom"}
SITEMAP = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "https://factcheck.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def xml(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return etree.fromstring(response.content)


@pytest.fixture
def claims(claim_in, other_reviewer):
    published = claim_in("published")
    services.claim_correct(claim_id=published.pk, actor=other_reviewer, kind="correction",
                           note="We fixed a figure.")
    return {state: claim_in(state) for state in ["draft", "in_review", "retracted"]} | {
        "published": published}


def test_claims_feed_lists_public_claims_only(client, claims):
    feed = xml(client, "/feeds/claims.atom")
    links = [e.get("href") for e in feed.findall("atom:entry/atom:link", ATOM)]
    assert links == [f"{SITE}/claims/{claims[s].slug}/" for s in ["retracted", "published"]]
    titles = [e.text for e in feed.findall("atom:entry/atom:title", ATOM)]
    assert titles[0].startswith("Retracted: False: ")
    assert feed.find("atom:link[@rel='self']", ATOM).get("href") == f"{SITE}/feeds/claims.atom"


def test_corrections_feed_lists_corrections_and_retractions(client, claims):
    feed = xml(client, "/feeds/corrections.atom")
    titles = [e.text for e in feed.findall("atom:entry/atom:title", ATOM)]
    assert titles == [f"Retraction: {claims['retracted'].text}", f"Correction: {claims['published'].text}"]
    summaries = [e.text for e in feed.findall("atom:entry/atom:summary", ATOM)]
    assert "We fixed a figure." in summaries[1]


def test_sitemap_index_and_sections_list_public_pages_at_canonical_urls(client, claims):
    index = xml(client, "/sitemap.xml")
    sections = [loc.text for loc in index.findall("sm:sitemap/sm:loc", SITEMAP)]
    assert sections == [f"{SITE}/sitemap-{name}.xml" for name in ["pages", "claims", "people", "sources"]]
    claim_urls = [loc.text for loc in xml(client, "/sitemap-claims.xml").findall("sm:url/sm:loc", SITEMAP)]
    public = ["published", "retracted"]
    assert sorted(claim_urls) == sorted(f"{SITE}/claims/{claims[s].slug}/" for s in public)
    people = [loc.text for loc in xml(client, "/sitemap-people.xml").findall("sm:url/sm:loc", SITEMAP)]
    assert f"{SITE}/people/{claims['published'].claimant.slug}/" in people
    assert f"{SITE}/people/{claims['draft'].claimant.slug}/" not in people
    # Speakers quoted by a public claim have a public page too, so they are listed.
    speaker = claims["published"].evidence.exclude(quote=None).first().quote.speaker
    assert f"{SITE}/people/{speaker.slug}/" in people
    sources = [loc.text for loc in xml(client, "/sitemap-sources.xml").findall("sm:url/sm:loc", SITEMAP)]
    draft_source = claims["draft"].evidence.get(relation="appearance").source_id
    assert f"{SITE}/sources/{draft_source}/" not in sources and len(sources) == 4
    pages = [loc.text for loc in xml(client, "/sitemap-pages.xml").findall("sm:url/sm:loc", SITEMAP)]
    assert pages == [f"{SITE}/", f"{SITE}/ratings/", f"{SITE}/corrections/"]


def streamed_json(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/ld+json"
    return json.loads(b"".join(response.streaming_content))


def test_claimreview_feed_is_a_datafeed_of_published_reviews_only(client, claims):
    feed = streamed_json(client, "/api/v1/claimreview/feed/")
    assert feed["@context"] == "https://schema.org" and feed["@type"] == "DataFeed"
    elements = feed["dataFeedElement"]
    assert [e["@type"] for e in elements] == ["DataFeedItem"]
    review = elements[0]["item"][0]
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"{SITE}/claims/{claims['published'].slug}/"
    page_review = client.get(f"/api/v1/claims/{claims['published'].pk}/claimreview/").json()
    assert review == {k: v for k, v in page_review.items() if k != "@context"}


def test_claimreview_feed_streams_in_batches_with_constant_queries_per_batch(client, claim_in, monkeypatch):
    monkeypatch.setattr("public.api.FEED_BATCH_SIZE", 2)
    created = [claim_in("published") for _ in range(5)]

    with CaptureQueriesContext(connection) as captured:
        feed = streamed_json(client, "/api/v1/claimreview/feed/")
    urls = [e["item"][0]["url"] for e in feed["dataFeedElement"]]
    assert urls == [f"{SITE}/claims/{c.slug}/" for c in created]
    # fingerprint + rating scale + 3 batches × (claims + evidence)
    assert len(captured) == 2 + 3 * 2


def test_empty_claimreview_feed_is_valid_json(client, db):
    feed = streamed_json(client, "/api/v1/claimreview/feed/")
    assert feed["dataFeedElement"] == []


def test_claimreview_feed_reads_one_batch_at_a_time(client, claim_in, monkeypatch):
    """Bounded memory: the response is a generator that has fetched only the first batch when the
    first items go out, whatever the number of claims."""
    monkeypatch.setattr("public.api.FEED_BATCH_SIZE", 2)
    for _ in range(5):
        claim_in("published")
    response = client.get("/api/v1/claimreview/feed/")
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as captured:
        header, first_item = next(chunks), next(chunks)
    assert header.startswith(b'{"@context"') and b'"DataFeedItem"' in first_item
    claim_batches = [q for q in captured if 'FROM "claims_claim"' in q["sql"]]
    assert len(claim_batches) == 1 and "LIMIT 2" in claim_batches[0]["sql"]
