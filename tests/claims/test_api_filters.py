"""Every /api/v1/claims/ filter, pairs of them, each ordering, and cursor stability (claims/filters.py)."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

import pytest
from django.utils import timezone

from claims.models import Claim, Evidence
from claims.services import claim_correct
from tests import factories
from tests.api_helpers import assert_error, session_client
from tests.conftest import bring_to, make_ready_claim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


@pytest.fixture
def world(editor, reviewer, other_reviewer):
    """Three published claims that differ in every filtered attribute, a retracted one, a draft."""
    economy = factories.TopicFactory(slug="economy", name="Economy")
    health = factories.TopicFactory(slug="health", name="Health")
    alice = factories.PersonFactory(name="Alice Mayor", slug="alice")
    bob = factories.PersonFactory(name="Bob Minister", slug="bob")
    outlet = factories.OutletFactory(domain="daily.example", name="Daily")

    def make(state, *, text, claimant, rating, language="en", claim_date=dt.date(2025, 1, 1), topics=()):
        claim = make_ready_claim(editor, text=text, claimant=claimant, rating=rating, language=language,
                                 claim_date=claim_date)
        claim.topics.set(topics)
        return bring_to(claim, state, author=editor, reviewer=reviewer)

    a = make("published", text="Taxes doubled under the mayor.", claimant=alice, rating="false",
             claim_date=dt.date(2024, 3, 1), topics=[economy])
    b = make("published", text="Hospitals closed last winter.", claimant=bob, rating="true",
             language="es", claim_date=dt.date(2025, 6, 1), topics=[health])
    c = make("published", text="Bridges collapsed in the north.", claimant=alice, rating="mostly-true",
             claim_date=dt.date(2025, 9, 1), topics=[economy, health])
    retracted = make("retracted", text="Schools shut everywhere.", claimant=bob, rating="false")
    draft = make("draft", text="Secret draft about lighthouses.", claimant=alice, rating="false")
    # c cites a source of the Daily outlet with a quote by Bob; it also has a correction.
    quote = factories.QuoteFactory(speaker=bob, text="the bridges fell one by one")
    quote.source.outlet = outlet
    quote.source.save()
    factories.EvidenceFactory(claim=c, source=quote.source, quote=quote, relation=Evidence.Relation.CONTEXT)
    claim_correct(claim_id=c.pk, actor=other_reviewer, kind="update", note="Added context.")
    for claim in (a, b, c, retracted, draft):
        claim.refresh_from_db()
    return {"a": a, "b": b, "c": c, "retracted": retracted, "draft": draft, "quote": quote,
            "alice": alice, "bob": bob}


def ids(client, query: str) -> set[int]:
    response = client.get(f"/api/v1/claims/?page_size=100&{query}")
    assert response.status_code == 200, (query, response.content)
    return {c["id"] for c in response.json()["results"]}


def expected(world, *names) -> set[int]:
    return {world[name].pk for name in names}


def filter_cases(world) -> dict[str, set[str]]:
    """query string → the claims (fixture names) the public should get."""
    published_at = world["b"].published_at
    return {
        "q=taxes": {"a"},
        "query=hospitals": {"b"},
        f"slug={world['c'].slug}": {"c"},
        "status=retracted": {"retracted"},
        "rating=false": {"a", "retracted"},
        "rating=true&rating=mostly-true": {"b", "c"},
        "claimant=alice": {"a", "c"},
        f"claimant={world['bob'].pk}": {"b", "retracted"},
        "speaker=bob": {"c"},
        "topic=economy": {"a", "c"},
        "topic=economy&topic=health": {"a", "b", "c"},
        f"source={world['quote'].source.pk}": {"c"},
        f"source_url={world['quote'].source.url}": {"c"},
        "outlet=daily.example": {"c"},
        "language=es": {"b"},
        "languageCode=es": {"b"},
        "claim_date_after=2025-05-01": {"b", "c"},
        "claim_date_before=2024-12-31": {"a"},
        f"published_after={published_at.isoformat().replace('+00:00', 'Z')}": {"b", "c", "retracted"},
        f"published_before={published_at.isoformat().replace('+00:00', 'Z')}": {"a", "b"},
        "updated_after=2000-01-01T00:00:00Z": {"a", "b", "c", "retracted"},
        "has_corrections=true": {"c", "retracted"},
        "has_corrections=false": {"a", "b"},
        "maxAgeDays=1": {"a", "b", "c", "retracted"},
        "origin=own": {"a", "b", "c", "retracted"},
        "origin=external": set(),  # no imported review here (tests/public/test_external_reviews.py)
        "evidence=attention": set(),  # staff only (tests/claims/test_evidence_health.py)
    }


def test_every_filter_alone(world):
    client = session_client(None)
    for query, names in filter_cases(world).items():
        assert ids(client, query) == expected(world, *names), query


def test_every_filter_has_a_case(world):
    """A filter added to ClaimFilter without a case above fails here (ordering has its own tests)."""
    from claims.filters import ClaimFilter

    covered = {part.split("=")[0] for query in filter_cases(world) for part in query.split("&")}
    assert set(ClaimFilter.base_filters) - {"ordering"} == covered


def test_every_pair_of_filters_intersects(world):
    client = session_client(None)
    cases = filter_cases(world)
    # Pairs of different parameters only (the same parameter twice means "any of").
    single = {q: n for q, n in cases.items() if "&" not in q}
    aliases = {"query": "q", "languageCode": "language"}
    for (q1, n1), (q2, n2) in combinations(single.items(), 2):
        p1, p2 = (aliases.get(q.split("=")[0], q.split("=")[0]) for q in (q1, q2))
        if p1 == p2:
            continue
        assert ids(client, f"{q1}&{q2}") == expected(world, *(n1 & n2)), (q1, q2)


def test_status_filter_is_staff_only(world, editor):
    assert ids(session_client(None), "status=draft") == set()
    assert ids(session_client(editor), "status=draft") == expected(world, "draft")
    both = ids(session_client(editor), "status=draft&status=retracted")
    assert both == expected(world, "draft", "retracted")


@pytest.mark.parametrize("query, parameter", [
    ("rating=nonexistent", "rating"),
    ("topic=nope", "topic"),
    ("claimant=nobody-here", "claimant"),
    ("speaker=nobody-here", "speaker"),
    ("source=987654", "source"),
    ("source_url=https://nowhere.example/x", "source_url"),
    ("outlet=nowhere.example", "outlet"),
    ("status=bogus", "status"),
    ("ordering=sideways", "ordering"),
    ("ordering=relevance", "ordering"),
    ("claim_date_after=2025-13-45", "claim_date_after"),
    ("published_after=yesterday", "published_after"),
    ("has_corrections=perhaps", "has_corrections"),
    ("maxAgeDays=-3", "maxAgeDays"),
    ("origin=theirs", "origin"),
    ("page_size=ten", "page_size"),
    ("q=a", "q"),
    ("q=the of and", "q"),
])
def test_bad_filter_values_are_400_naming_the_parameter(world, query, parameter):
    error = assert_error(session_client(None).get(f"/api/v1/claims/?{query}"), 400)
    assert parameter in error["fields"], error


def test_private_claimant_is_unknown_to_the_public(world, editor):
    lonely = factories.PersonFactory(slug="only-in-drafts")
    make_ready_claim(editor, claimant=lonely)
    assert_error(session_client(None).get("/api/v1/claims/?claimant=only-in-drafts"), 400, "unknown_value")


@pytest.mark.parametrize("ordering, key", [
    ("published_at", "published_at"), ("-published_at", "published_at"),
    ("claim_date", "claim_date"), ("-claim_date", "claim_date"),
    ("updated_at", "updated_at"), ("-updated_at", "updated_at"),
])
def test_each_ordering_sorts_and_pages_consistently(world, ordering, key):
    client = session_client(None)
    everything = client.get(f"/api/v1/claims/?ordering={ordering}&page_size=100").json()["results"]
    values = [(c[key], c["id"]) for c in everything]
    assert values == sorted(values, reverse=ordering.startswith("-"))
    paged, url = [], f"/api/v1/claims/?ordering={ordering}&page_size=1"
    while url:
        body = client.get(url).json()
        paged += [c["id"] for c in body["results"]]
        url = body["next"]
    assert paged == [c["id"] for c in everything]


def test_staff_ordering_by_published_at_places_unpublished_claims_consistently(world, editor):
    client = session_client(editor)
    for ordering in ("published_at", "-published_at"):
        everything = [c["id"] for c in client.get(f"/api/v1/claims/?ordering={ordering}&page_size=100")
                      .json()["results"]]
        paged, url = [], f"/api/v1/claims/?ordering={ordering}&page_size=2"
        while url:
            body = client.get(url).json()
            paged += [c["id"] for c in body["results"]]
            url = body["next"]
        assert paged == everything and world["draft"].pk in everything


def test_relevance_ordering_is_default_with_q(world):
    client = session_client(None)
    body = client.get("/api/v1/claims/?q=bridges").json()
    assert [c["id"] for c in body["results"]][0] == world["c"].pk


def test_cursor_is_stable_while_claims_are_inserted(world, editor, reviewer):
    client = session_client(None)
    first = client.get("/api/v1/claims/?page_size=2").json()
    seen = [c["id"] for c in first["results"]]
    newer = bring_to(make_ready_claim(editor), "published", author=editor, reviewer=reviewer)
    url = first["next"]
    while url:
        body = client.get(url).json()
        seen += [c["id"] for c in body["results"]]
        url = body["next"]
    assert newer.pk not in seen  # newer than the cursor: it belongs to earlier pages
    assert sorted(seen) == sorted(expected(world, "a", "b", "c", "retracted"))
    assert len(seen) == len(set(seen))


def test_cursor_from_another_ordering_is_rejected(world):
    client = session_client(None)
    next_url = client.get("/api/v1/claims/?page_size=1").json()["next"]
    cursor = next_url.split("cursor=")[1].split("&")[0]
    assert_error(client.get(f"/api/v1/claims/?ordering=claim_date&cursor={cursor}"), 400, "invalid_cursor")


def test_page_size_is_capped_at_100(editor):
    """A page never holds more than 100 claims, however many are asked for (staff see drafts)."""
    factories.ClaimFactory.create_batch(101, author=editor)
    body = session_client(editor).get("/api/v1/claims/?page_size=1000000").json()
    assert len(body["results"]) == 100
    assert body["next"] is not None


def test_max_age_days_excludes_old_reviews(world):
    Claim.objects.filter(pk=world["a"].pk).update(published_at=timezone.now() - dt.timedelta(days=10))
    assert ids(session_client(None), "maxAgeDays=5") == expected(world, "b", "c", "retracted")
