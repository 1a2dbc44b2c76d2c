"""Other fact-checkers' verdicts are never shown as ours: an imported ClaimReview says whose it is
everywhere (claim page, lists, API), is dated with its own review date, and stays out of our
"Latest fact checks", feeds, ClaimReview markup, DataFeed and sitemap unless a reader asks."""

from __future__ import annotations

import json

import orjson
import pytest
from lxml import html

from claims.claimreview_import import claimreview_import
from claims.models import Claim
from factcheck.actors import SYSTEM
from tests.api_helpers import assert_error, session_client
from tests.public.conftest import SITE, xml

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("canonical_site", "fresh_throttles")]

ATOM = {"atom": "http://www.w3.org/2005/Atom"}
REVIEW_URL = "https://sciencewatch.example/reviews/vaccine-microchips/"
REVIEW = {
    "@context": "https://schema.org", "@type": "ClaimReview",
    "url": REVIEW_URL,
    "claimReviewed": "Vaccines contain tracking microchips.",
    "datePublished": "2024-03-10",
    "author": {"@type": "Organization", "name": "Example Science Watch",
               "url": "https://sciencewatch.example/"},
    "reviewRating": {"@type": "Rating", "alternateName": "False",
                     "ratingExplanation": "No vaccine contains any electronic component."},
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A. Blogger"},
                     "datePublished": "2024-03-01",
                     "appearance": [{"@type": "CreativeWork", "url": "https://blog.example/chips"}]},
}


@pytest.fixture
def external() -> Claim:
    claimreview_import(actor=SYSTEM, content=json.dumps(REVIEW))
    return Claim.objects.get(external_review_url=REVIEW_URL)


@pytest.fixture
def ours(claim_in) -> Claim:
    return claim_in("published")


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return html.fromstring(response.content)


def text(tree, selector: str) -> str:
    return " ".join(" ".join(" ".join(n.itertext()).split()) for n in tree.cssselect(selector)).strip()


# --- The claim page ---------------------------------------------------------------------------


def test_import_keeps_the_original_review_date(external):
    assert external.external_reviewed_at.isoformat() == "2024-03-10T00:00:00+00:00"
    assert external.reviewed_at == external.external_reviewed_at


def test_imported_review_page_names_its_publisher_and_not_our_rating(client, external):
    tree = page(client, external.get_absolute_url())
    verdict = text(tree, ".verdict")
    assert "Our rating" not in text(tree, "main")
    assert text(tree, ".verdict__external") == "Rated False by Example Science Watch"
    link = tree.cssselect(".verdict__external a")[0]
    assert link.get("href") == REVIEW_URL
    assert "Reviewed by Example Science Watch on 10 March 2024" in verdict
    assert "not ours" in verdict
    assert text(tree, ".eyebrow") == "Fact check by Example Science Watch"
    assert text(tree, "#sources-heading") == "Where the claim appeared"
    title = tree.findtext(".//title")
    assert title.startswith("Rated False by Example Science Watch: Vaccines contain")
    og_title = tree.cssselect('meta[property="og:title"]')[0].get("content")
    assert og_title == "Rated False by Example Science Watch: Vaccines contain tracking microchips."
    description = tree.cssselect('meta[name="description"]')[0].get("content")
    assert "Our rating" not in description
    # Dated with the review's date, not the import day.
    published = tree.cssselect('meta[property="article:published_time"]')[0].get("content")
    assert published.startswith("2024-03-10")
    assert not tree.cssselect('script[type="application/ld+json"]')


def test_our_claim_page_still_says_our_rating(client, ours):
    tree = page(client, ours.get_absolute_url())
    assert text(tree, "#verdict-heading") == "Our rating"
    assert not tree.cssselect(".verdict__external")
    assert len(tree.cssselect('script[type="application/ld+json"]')) == 1


# --- Lists, feeds, sitemap, DataFeed -----------------------------------------------------------


def test_home_lists_our_fact_checks_only(client, ours, external):
    tree = page(client, "/")
    titles = [a.text_content() for a in tree.cssselect(".card__title a")]
    assert titles == [ours.text]
    assert text(tree, "h1") == "Latest fact checks"


def test_other_fact_checkers_view_is_linked_and_names_publishers(client, ours, external):
    home = page(client, "/")
    assert home.cssselect('nav a[href="/?origin=external"]')[0].text_content() == "From other fact-checkers"
    tree = page(client, "/?origin=external")
    assert text(tree, "h1") == "From other fact-checkers"
    assert [a.text_content() for a in tree.cssselect(".card__title a")] == [external.text]
    card = text(tree, ".card")
    assert "Rated False by Example Science Watch" in card.replace("✗ ", "")
    assert "reviewed by Example Science Watch on 10 March 2024" in card
    both = page(client, "/?origin=all")
    assert {a.text_content() for a in both.cssselect(".card__title a")} == {ours.text, external.text}
    assert page(client, "/?origin=bogus").cssselect(".card") == []


def test_claims_feed_sitemap_and_corrections_hold_our_reviews_only(client, ours, external):
    feed = xml(client, "/feeds/claims.atom")
    links = [e.get("href") for e in feed.findall("atom:entry/atom:link", ATOM)]
    assert links == [f"{SITE}{ours.get_absolute_url()}"]
    sitemap = client.get("/sitemap-claims.xml").content.decode()
    assert ours.get_absolute_url() in sitemap
    assert external.get_absolute_url() not in sitemap


def test_data_feed_carries_our_reviews_only(client, ours, external):
    body = orjson.loads(b"".join(client.get("/api/v1/claimreview/feed/").streaming_content))
    urls = [item["item"][0]["url"] for item in body["dataFeedElement"]]
    assert urls == [f"{SITE}{ours.get_absolute_url()}"]
    response = client.get(f"/api/v1/claims/{external.pk}/claimreview/")
    assert response.status_code == 404


def test_person_page_lists_other_fact_checkers_reviews_apart(client, external):
    tree = page(client, f"/people/{external.claimant.slug}/")
    assert text(tree, "#claims-heading + .message") == "None yet."
    assert text(tree, "#external-heading") == "Reviewed by other fact-checkers"


def test_ratings_page_counts_our_fact_checks_only(client, ours, external):
    tree = page(client, "/ratings/")
    assert text(tree, "#rating-false dd a") == "1 fact check rated False"


# --- API --------------------------------------------------------------------------------------


def test_api_claim_has_a_review_object_telling_whose_it_is(ours, external, settings):
    settings.PUBLISHER = {**settings.PUBLISHER, "name": "factcheck", "url": SITE}
    anon = session_client(None)
    theirs = anon.get(f"/api/v1/claims/{external.pk}/").json()["review"]
    assert theirs == {
        "origin": "external",
        "publisher": {"name": "Example Science Watch", "site": "sciencewatch.example"},
        "url": REVIEW_URL,
        "reviewed_at": "2024-03-10T00:00:00+00:00",
    }
    mine = anon.get(f"/api/v1/claims/{ours.pk}/").json()
    assert mine["review"] == {
        "origin": "own",
        "publisher": {"name": "factcheck", "site": "factcheck.example.org"},
        "url": f"{SITE}{ours.get_absolute_url()}",
        "reviewed_at": mine["published_at"],
    }


def test_api_filters_by_origin(ours, external):
    anon = session_client(None)
    own = anon.get("/api/v1/claims/?origin=own").json()["results"]
    assert [c["id"] for c in own] == [ours.pk]
    theirs = anon.get("/api/v1/claims/?origin=external").json()["results"]
    assert [c["id"] for c in theirs] == [external.pk]
    assert_error(anon.get("/api/v1/claims/?origin=theirs"), 400)


def test_api_list_query_count_is_unchanged_by_the_review_object(ours, external,
                                                                django_assert_num_queries):
    anon = session_client(None)
    anon.get("/api/v1/claims/")  # warm caches (content types, throttles)
    with django_assert_num_queries(2):
        response = anon.get("/api/v1/claims/?origin=external")
    assert response.status_code == 200


def test_openapi_documents_the_review_object_and_origin_filter():
    schema = session_client(None).get("/api/schema/?format=json").json()
    claim = schema["components"]["schemas"]["Claim"]
    assert "review" in claim["properties"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}
    assert "origin" in parameters


def test_google_search_names_the_other_publisher_with_its_review_date(external):
    body = session_client(None).get("/api/v1/claims:search?query=microchips").json()
    review = body["claims"][0]["claimReview"][0]
    assert review["publisher"] == {"name": "Example Science Watch", "site": "sciencewatch.example"}
    assert review["url"] == REVIEW_URL
    assert review["reviewDate"] == "2024-03-10T00:00:00Z"
