"""Google's Fact Check Tools API spoken to Google's own Python client (google-api-python-client,
with its bundled factchecktools v1alpha1 discovery document) against a live test server:
``claims().search`` and the ``pages`` half (list, get, create, update, delete)."""

from __future__ import annotations

import google.oauth2.credentials
import pytest
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from accounts.services import api_token_create
from claims.models import Claim, Evidence
from factchecktools.models import MarkupPage
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGE = {
    "pageUrl": "https://partner.example.org/checks/bridges",
    "publishDate": "2026-11-30",
    "claimReviewAuthor": {"name": "Partner Checks"},
    "claimReviewMarkups": [
        {
            "url": "https://partner.example.org/checks/bridges#1",
            "claimReviewed": "The city built 7 bridges last year.",
            "claimDate": "2026-11-02",
            "claimAuthor": {"name": "Ana María de la Fuente", "jobTitle": "Mayor"},
            "claimAppearances": ["https://news.example.com/mayor-speech"],
            "rating": {"textualRating": "False", "ratingExplanation": "Two bridges were built."},
        },
        {
            "claimReviewed": "Bridge tolls doubled.",
            "claimAuthor": {"name": "Ana María de la Fuente"},
            "rating": {"textualRating": "Spin"},
        },
    ],
}


def google_client(live_server, token: str | None = None):
    credentials = google.oauth2.credentials.Credentials(token) if token else None
    return build("factchecktools", "v1alpha1", developerKey="any-key", credentials=credentials,
                 client_options={"api_endpoint": f"{live_server.url}/"}, static_discovery=True,
                 cache_discovery=False)


def token_for(user) -> str:
    return api_token_create(actor=user, name="markup tool", scope="write").raw


def test_claims_search_through_googles_google_client(live_server, claim_in):
    claim = claim_in("published")
    word = claim.text.split()[-1].strip(".")
    body = google_client(live_server).claims().search(query=word, languageCode="en").execute()
    assert [item["text"] for item in body["claims"]] == [claim.text]
    review = body["claims"][0]["claimReview"][0]
    assert review["url"] == claim.canonical_url
    assert review["textualRating"] == claim.rating.label


def test_pages_list_and_get_read_our_published_reviews(live_server, claim_in):
    claim = claim_in("published")
    claim_in("draft")
    api = google_client(live_server)
    listed = api.pages().list().execute()
    assert [page["name"] for page in listed["claimReviewMarkupPages"]] == [f"pages/claim-{claim.pk}"]
    page = api.pages().get(name=f"pages/claim-{claim.pk}").execute()
    assert page["pageUrl"] == claim.canonical_url
    assert page["versionId"] == str(claim.version)
    markup = page["claimReviewMarkups"][0]
    assert markup["claimReviewed"] == claim.text
    assert markup["claimAuthor"]["name"] == claim.claimant.name
    assert markup["rating"]["textualRating"] == claim.rating.label
    assert markup["claimAppearances"] == [
        e.source.url for e in claim.evidence.filter(relation=Evidence.Relation.APPEARANCE)]


def test_pages_list_pages_with_a_token_and_filters_by_url(live_server, claim_in):
    first, second = claim_in("published"), claim_in("published")
    api = google_client(live_server)
    one = api.pages().list(pageSize=1).execute()
    assert len(one["claimReviewMarkupPages"]) == 1
    two = api.pages().list(pageSize=1, pageToken=one["nextPageToken"]).execute()
    names = {one["claimReviewMarkupPages"][0]["name"], two["claimReviewMarkupPages"][0]["name"]}
    assert names == {f"pages/claim-{first.pk}", f"pages/claim-{second.pk}"}
    assert "nextPageToken" not in two
    by_url = api.pages().list(url=second.canonical_url).execute()
    assert [p["name"] for p in by_url["claimReviewMarkupPages"]] == [f"pages/claim-{second.pk}"]


def test_created_page_becomes_draft_claims_for_the_desk(live_server, editor):
    factories.SourceFactory(url="https://news.example.com/mayor-speech")
    created = google_client(live_server, token_for(editor)).pages().create(body=PAGE).execute()
    assert created["name"].startswith("pages/")
    claims = list(Claim.objects.order_by("pk"))
    assert [c.status for c in claims] == ["draft", "draft"]
    assert [c.text for c in claims] == [m["claimReviewed"] for m in PAGE["claimReviewMarkups"]]
    first = claims[0]
    assert first.author == editor
    assert first.claimant.name == "Ana María de la Fuente" and first.claimant == claims[1].claimant
    assert first.rating.slug == "false" and first.claim_date.isoformat() == "2026-11-02"
    assert [e.source.url for e in first.evidence.all()] == ["https://news.example.com/mayor-speech"]
    # A label that is not on our scale leaves the draft unrated, and says what was suggested.
    assert claims[1].rating is None and "Suggested rating: Spin" in claims[1].rating_explanation
    markups = created["claimReviewMarkups"]
    assert markups[0]["url"] == PAGE["claimReviewMarkups"][0]["url"]
    assert markups[0]["rating"]["textualRating"] == "False"
    assert created["pageUrl"] == PAGE["pageUrl"]
    assert created["claimReviewAuthor"] == {"name": "Partner Checks"}


def test_update_changes_the_drafts_and_checks_the_version(live_server, editor):
    api = google_client(live_server, token_for(editor))
    created = api.pages().create(body=PAGE).execute()
    markups = [{**PAGE["claimReviewMarkups"][0], "claimReviewed": "The city built 2 bridges."},
               PAGE["claimReviewMarkups"][1]]
    body = {**PAGE, "versionId": created["versionId"], "claimReviewMarkups": markups}
    updated = api.pages().update(name=created["name"], body=body).execute()
    assert [m["claimReviewed"] for m in updated["claimReviewMarkups"]] == [
        "The city built 2 bridges.", "Bridge tolls doubled."]
    assert updated["versionId"] != created["versionId"]
    assert list(Claim.objects.order_by("pk").values_list("text", flat=True)) == [
        "The city built 2 bridges.", "Bridge tolls doubled."]
    with pytest.raises(HttpError) as stale:
        api.pages().update(name=created["name"], body=body).execute()  # the old versionId
    assert stale.value.resp.status == 412


def test_removing_a_markup_deletes_its_draft_which_needs_an_administrator(live_server, editor, admin_user):
    created = google_client(live_server, token_for(editor)).pages().create(body=PAGE).execute()
    shorter = {**PAGE, "claimReviewMarkups": PAGE["claimReviewMarkups"][:1]}
    editor_api = google_client(live_server, token_for(editor))
    with pytest.raises(HttpError) as refused:
        editor_api.pages().update(name=created["name"], body=shorter).execute()
    assert refused.value.resp.status == 403
    assert Claim.objects.count() == 2
    updated = google_client(live_server, token_for(admin_user)).pages().update(
        name=created["name"], body=shorter).execute()
    assert len(updated["claimReviewMarkups"]) == 1
    remaining = list(Claim.objects.values_list("text", flat=True))
    assert remaining == [PAGE["claimReviewMarkups"][0]["claimReviewed"]]


def test_a_page_whose_claim_the_desk_took_further_cannot_change(live_server, editor):
    api = google_client(live_server, token_for(editor))
    created = api.pages().create(body=PAGE).execute()
    claim = Claim.objects.order_by("pk").first()
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.IN_REVIEW)
    with pytest.raises(HttpError) as refused:
        api.pages().update(name=created["name"], body=PAGE).execute()
    assert refused.value.resp.status == 409
    assert Claim.objects.get(pk=claim.pk).text == PAGE["claimReviewMarkups"][0]["claimReviewed"]


def test_delete_removes_the_page_and_its_drafts(live_server, editor, admin_user):
    created = google_client(live_server, token_for(editor)).pages().create(body=PAGE).execute()
    with pytest.raises(HttpError) as editor_refused:
        google_client(live_server, token_for(editor)).pages().delete(name=created["name"]).execute()
    assert editor_refused.value.resp.status == 403  # deleting claims is for administrators
    admin_api = google_client(live_server, token_for(admin_user))
    assert admin_api.pages().delete(name=created["name"]).execute() == {}
    assert not Claim.objects.exists() and not MarkupPage.objects.exists()


def test_pages_of_others_are_not_found_and_published_reviews_are_read_only(
    live_server, editor, outsider, claim_in
):
    """A created page is its creator's and the desk's (staff): anyone else gets a 404."""
    created = google_client(live_server, token_for(editor)).pages().create(body=PAGE).execute()
    for api in (google_client(live_server), google_client(live_server, token_for(outsider))):
        with pytest.raises(HttpError) as missing:
            api.pages().get(name=created["name"]).execute()
        assert missing.value.resp.status == 404
    published = claim_in("published")
    with pytest.raises(HttpError) as read_only:
        editor_api = google_client(live_server, token_for(editor))
        editor_api.pages().update(name=f"pages/claim-{published.pk}", body=PAGE).execute()
    assert read_only.value.resp.status == 409


def test_writes_need_a_token_and_valid_markup(live_server, editor):
    with pytest.raises(HttpError) as anonymous:
        google_client(live_server).pages().create(body=PAGE).execute()
    assert anonymous.value.resp.status == 401
    bad = {"claimReviewMarkups": [{"claimAuthor": {"name": "X"}, "claimAppearances": ["ftp://x"]}]}
    with pytest.raises(HttpError) as invalid:
        google_client(live_server, token_for(editor)).pages().create(body=bad).execute()
    assert invalid.value.resp.status == 400
    content = invalid.value.content.decode()
    assert "claimReviewMarkups[0].claimReviewed" in content
    assert "claimReviewMarkups[0].claimAppearances[0]" in content
    assert not Claim.objects.exists()


def test_only_json_is_served(client, db):
    response = client.get("/v1alpha1/claims:search", {"query": "x", "alt": "proto"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"alt": ["Use json."]}
    assert client.get("/v1alpha1/claims:imageSearch").json()["error"]["code"] == "not_found"
