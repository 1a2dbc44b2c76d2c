"""ClaimReview served (public/views.py, public/api.py): the JSON-LD parsed out of the claim page
and checked field by field; the API serves the same object, for published claims only. The
builder's validator, the publish gate and validate_claimreview: tests/claims/test_claimreview.py."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from claims.claimreview import claim_review_problems
from claims.models import Claim
from tests import factories

pytestmark = pytest.mark.django_db

SITE = "https://factcheck.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.PUBLISHER = {"name": "Example Checks", "url": SITE, "logo": f"{SITE}/static/factcheck/logo.png"}


def json_ld_of(client, claim: Claim) -> dict:
    tree = html.fromstring(client.get(claim.get_absolute_url()).content)
    scripts = tree.cssselect('script[type="application/ld+json"]')
    assert len(scripts) == 1, "exactly one JSON-LD block"
    return json.loads(scripts[0].text)


def test_claim_page_json_ld_meets_every_rule(client, claim_in):
    claim = claim_in("published")
    claimant = claim.claimant
    claimant.wikidata_id, claimant.url = "Q42", "https://example.org/who"
    claimant.save(update_fields=["wikidata_id", "url"])
    appearance = claim.evidence.get(relation="appearance")
    refutes = claim.evidence.get(relation="refutes")
    claim.refresh_from_db()
    data = json_ld_of(client, claim)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == claim.text
    assert data["url"] == f"{SITE}/claims/{claim.slug}/"
    assert data["author"] == {
        "@type": "Organization", "name": "Example Checks", "url": SITE,
        "logo": {"@type": "ImageObject", "url": f"{SITE}/static/factcheck/logo.png"},
    }
    assert data["datePublished"] == claim.published_at.isoformat().replace("+00:00", "Z")
    assert data["dateModified"] >= data["datePublished"]
    assert data["reviewRating"] == {
        "@type": "Rating", "alternateName": "False", "ratingValue": 1, "bestRating": 5,
        "worstRating": 1, "ratingExplanation": "The figures say otherwise.",
    }
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["datePublished"] == "2025-05-03"
    assert item["author"] == {
        "@type": "Person", "name": claimant.name, "jobTitle": "Spokesperson",
        "sameAs": ["https://www.wikidata.org/wiki/Q42", "https://example.org/who"],
    }
    source = appearance.source
    expected_work = {
        "@type": "CreativeWork", "url": source.url, "headline": source.title,
        "datePublished": source.published_at.isoformat().replace("+00:00", "Z"),
        "publisher": {"@type": "Organization", "name": source.outlet.name},
    }
    assert item["appearance"] == [expected_work]
    assert item["firstAppearance"] == expected_work
    assert [work["url"] for work in data["citation"]] == [source.url, refutes.source.url]
    assert claim_review_problems(data) == []


def test_non_ordinal_rating_and_organization_claimant(client, claim_in):
    organization = factories.PersonFactory(kind="organization", name="Ministry of Truth")
    claim = claim_in("published", rating="misleading", claimant=organization)
    data = json_ld_of(client, claim)
    assert data["reviewRating"]["alternateName"] == "Misleading"
    assert "ratingValue" not in data["reviewRating"] and "bestRating" not in data["reviewRating"]
    assert data["itemReviewed"]["author"] == {"@type": "Organization", "name": "Ministry of Truth"}


def test_json_ld_cannot_break_out_of_its_script_element(client, claim_in):
    claim = claim_in("published", text="Taxes </script><script>alert(1)</script> & more")
    body = client.get(claim.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in body
    assert json_ld_of(client, claim)["claimReviewed"] == claim.text


def test_api_serves_the_same_claimreview_as_the_page(client, claim_in):
    claim = claim_in("published")
    response = client.get(f"/api/v1/claims/{claim.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert json.loads(response.content) == json_ld_of(client, claim)


@pytest.mark.parametrize("state", ["draft", "in_review", "retracted"])
def test_api_claimreview_is_404_unless_published(client, claim_in, state):
    claim = claim_in(state)
    response = client.get(f"/api/v1/claims/{claim.pk}/claimreview/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- The DataFeed -----------------------------------------------------------------------------


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


def test_claimreview_feed_date_modified_is_never_before_date_created(client, claim_in):
    claim = claim_in("published")
    later = claim.updated_at + dt.timedelta(hours=2)
    Claim.objects.filter(pk=claim.pk).update(published_at=later)  # updated_at := now() < later
    claim.refresh_from_db()
    assert claim.updated_at < claim.published_at
    item = streamed_json(client, "/api/v1/claimreview/feed/")["dataFeedElement"][0]
    created = dt.datetime.fromisoformat(item["dateCreated"])
    modified = dt.datetime.fromisoformat(item["dateModified"])
    assert modified >= created
    review = item["item"][0]
    assert review["dateModified"] >= review["datePublished"]
