"""``GET /api/v1/claims:search`` (public/api.py): Google Fact Check Tools' request
parameters and response shape, served from our published claims, with signed nextPageToken paging."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from claims.models import Claim

pytestmark = pytest.mark.django_db

SITE = "https://factcheck.example.org"
URL = "/api/v1/claims:search"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.PUBLISHER = {"name": "Example Checks", "url": SITE, "logo": f"{SITE}/logo.png"}


def search(client, status: int = 200, **params):
    response = client.get(URL, params)
    assert response.status_code == status, response.content
    return response.json()


def test_response_has_the_documented_shape(client, claim_in):
    claim = claim_in("published", text="Unemployment fell by half last year.")
    body = search(client, query="unemployment")
    assert body == {"claims": [{
        "text": claim.text,
        "claimant": claim.claimant.name,
        "claimDate": "2025-05-03T00:00:00Z",
        "claimReview": [{
            "publisher": {"name": "Example Checks", "site": "factcheck.example.org"},
            "url": f"{SITE}/claims/{claim.slug}/",
            "title": claim.text,
            "reviewDate": claim.published_at.isoformat().replace("+00:00", "Z"),
            "textualRating": "False",
            "languageCode": "en",
        }],
    }]}


def test_only_published_claims_are_served(client, claim_in):
    for state in ["draft", "in_review", "retracted", "published"]:
        claim_in(state, text=f"Unemployment claim that is {state}.")
    body = search(client, query="unemployment")
    assert [c["text"] for c in body["claims"]] == ["Unemployment claim that is published."]


def test_next_page_token_pages_through_every_result(client, claim_in):
    created = {claim_in("published", text=f"Unemployment figure number {n}.").text for n in range(5)}
    seen, token, pages = [], None, 0
    while True:
        params = {"query": "unemployment", "pageSize": 2}
        if token:
            params["pageToken"] = token
        body = search(client, **params)
        pages += 1
        seen += [c["text"] for c in body["claims"]]
        token = body.get("nextPageToken")
        if not token:
            break
    assert pages == 3
    assert sorted(seen) == sorted(created) and len(seen) == 5


def test_offset_is_used_without_a_token(client, claim_in):
    for n in range(3):
        claim_in("published", text=f"Unemployment figure number {n}.")
    everything = [c["text"] for c in search(client, query="unemployment")["claims"]]
    assert [c["text"] for c in search(client, query="unemployment", offset=1)["claims"]] == everything[1:]


def test_a_forged_or_foreign_page_token_is_refused(client, claim_in):
    for n in range(3):
        claim_in("published", text=f"Unemployment figure number {n}.")
    token = search(client, query="unemployment", pageSize=1)["nextPageToken"]
    forged = search(client, 400, query="unemployment", pageSize=1, pageToken=token[:-3] + "abc")
    assert forged["error"]["code"] == "invalid_page_token"
    assert "pageToken" in forged["error"]["fields"]
    other_query = search(client, 400, query="figure", pageSize=1, pageToken=token)
    assert other_query["error"]["code"] == "invalid_page_token"


def test_language_and_max_age_filters(client, claim_in):
    english = claim_in("published", text="Unemployment fell in England.")
    spanish = claim_in("published", text="Unemployment fell in Spain.", language="es")
    assert [c["text"] for c in search(client, query="unemployment", languageCode="es-ES")["claims"]] == [
        spanish.text]
    assert {c["text"] for c in search(client, query="unemployment", languageCode="en")["claims"]} == {
        english.text}
    old = timezone.now() - dt.timedelta(days=400)
    Claim.objects.filter(pk=english.pk).update(published_at=old, claim_date=old.date())
    assert [c["text"] for c in search(client, query="unemployment", maxAgeDays=30)["claims"]] == [
        spanish.text]


def test_review_publisher_site_filter(client, claim_in):
    claim = claim_in("published", text="Unemployment fell again.")
    ours = search(client, reviewPublisherSiteFilter="factcheck.example.org")
    assert ours["claims"][0]["text"] == claim.text
    assert search(client, reviewPublisherSiteFilter="other.example")["claims"] == []


@pytest.mark.parametrize("params, field", [
    ({}, "query"),
    ({"query": "a"}, "query"),
    ({"query": "unemployment", "pageSize": "0"}, "pageSize"),
    ({"query": "unemployment", "pageSize": "1000"}, "pageSize"),
    ({"query": "unemployment", "pageSize": "ten"}, "pageSize"),
    ({"query": "unemployment", "offset": "-1"}, "offset"),
    ({"query": "unemployment", "maxAgeDays": "0"}, "maxAgeDays"),
    ({"query": "unemployment", "languageCode": "not a language"}, "languageCode"),
    ({"query": "unemployment", "reviewPublisherSiteFilter": "nul\x00byte"}, "reviewPublisherSiteFilter"),
])
def test_bad_parameters_are_400_naming_the_parameter(client, db, params, field):
    body = search(client, 400, **params)
    assert field in body["error"]["fields"]


def test_empty_result_has_an_empty_claims_list(client, db):
    assert search(client, query="unemployment") == {"claims": []}
