"""The "needs a speaker" queue: quotes kept without a speaker, candidate people (API and admin)."""

from __future__ import annotations

import pytest

from claims.services import publish_problems
from factcheck.actors import SYSTEM
from sources import services
from sources.models import Person, Quote
from tests import factories
from tests.api_helpers import assert_error, session_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def _unattributed(source=None) -> Quote:
    source = source or factories.SourceFactory(content='A sign read "no entry after dark" at the gate.')
    return services.quote_create(actor=SYSTEM, source=source, speaker=None, text="no entry after dark",
                                 is_candidate=True, attribution="none", attribution_confidence=0.0)


def test_needs_speaker_filter_lists_only_quotes_without_a_speaker(editor):
    waiting = _unattributed()
    named = factories.QuoteFactory()
    client = session_client(editor)

    body = client.get("/api/v1/quotes/?needs_speaker=true").json()
    assert [q["id"] for q in body["results"]] == [waiting.pk]
    assert body["results"][0]["speaker"] is None
    assert body["results"][0]["attribution"] == "none"
    others = client.get("/api/v1/quotes/?needs_speaker=false").json()
    assert [q["id"] for q in others["results"]] == [named.pk]
    error = assert_error(client.get("/api/v1/quotes/?needs_speaker=maybe"), 400)
    assert "needs_speaker" in error["fields"]


def test_needs_speaker_list_runs_a_constant_number_of_queries(editor, django_assert_num_queries):
    client = session_client(editor)
    _unattributed()
    client.get("/api/v1/quotes/?needs_speaker=true")  # warm the session and caches
    with django_assert_num_queries(4):
        assert client.get("/api/v1/quotes/?needs_speaker=true").status_code == 200
    for _ in range(3):
        _unattributed()
    with django_assert_num_queries(4):
        assert len(client.get("/api/v1/quotes/?needs_speaker=true").json()["results"]) == 4


def test_patch_names_the_speaker_and_confirming_needs_one(editor):
    quote = _unattributed()
    person = factories.PersonFactory(name="Ann Brown", is_candidate=True)
    client = session_client(editor)
    path = f"/api/v1/quotes/{quote.pk}/"

    error = assert_error(client.patch(path, {"is_candidate": False}, format="json",
                                      HTTP_IF_MATCH=client.get(path)["ETag"]), 400, "speaker_required")
    assert error["message"] == "Name the quote's speaker before confirming it."
    response = client.patch(path, {"speaker": person.pk, "is_candidate": False}, format="json",
                            HTTP_IF_MATCH=client.get(path)["ETag"])
    assert response.status_code == 200, response.content
    assert response.json()["speaker"]["id"] == person.pk
    quote.refresh_from_db()
    person.refresh_from_db()
    assert (quote.speaker, quote.is_candidate, quote.attribution) == (person, False, "editor")
    assert person.is_candidate is False  # confirming a quote confirms its speaker


def test_people_filter_by_candidate_and_confirm_through_patch(editor):
    candidate = factories.PersonFactory(is_candidate=True)
    confirmed = factories.PersonFactory()
    client = session_client(editor)
    assert [p["id"] for p in client.get("/api/v1/people/?is_candidate=true").json()["results"]] == [
        candidate.pk]
    listed = client.get("/api/v1/people/?is_candidate=false").json()["results"]
    assert confirmed.pk in [p["id"] for p in listed]
    path = f"/api/v1/people/{candidate.pk}/"
    response = client.patch(path, {"is_candidate": False}, format="json",
                            HTTP_IF_MATCH=client.get(path)["ETag"])
    assert response.status_code == 200, response.content
    assert response.json()["is_candidate"] is False


def test_quotes_confirm_skips_quotes_without_a_speaker():
    waiting = _unattributed()
    named = factories.QuoteFactory(is_candidate=True, speaker=factories.PersonFactory(is_candidate=True))
    assert services.quotes_confirm(quote_ids=[waiting.pk, named.pk], actor=SYSTEM) == 1
    assert Quote.objects.get(pk=waiting.pk).is_candidate is True
    assert Person.objects.get(pk=named.speaker_id).is_candidate is False


def test_a_confirmed_quote_needs_a_speaker():
    source = factories.SourceFactory()
    with pytest.raises(Exception) as error:
        services.quote_create(actor=SYSTEM, source=source, speaker=None, text="taxes will fall next year")
    assert "speaker" in error.value.fields


def test_admin_queue_filter_and_confirm_people_action(admin_user):
    waiting = _unattributed()
    named = factories.QuoteFactory()
    client = session_client(admin_user)
    page = client.get("/admin/sources/quote/?needs_speaker=yes")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Needs a speaker" in html
    assert f"/admin/sources/quote/{waiting.pk}/change/" in html
    assert f"/admin/sources/quote/{named.pk}/change/" not in html

    people = [factories.PersonFactory(is_candidate=True) for _ in range(2)]
    response = client.post("/admin/sources/person/", {
        "action": "confirm_people", "_selected_action": [p.pk for p in people]}, follow=True)
    assert response.status_code == 200
    assert "2 candidate person(s) confirmed." in response.content.decode()
    assert not Person.objects.filter(pk__in=[p.pk for p in people], is_candidate=True).exists()


def test_a_claim_citing_a_quote_without_speaker_cannot_be_published(reviewer):
    from tests.conftest import make_ready_claim

    claim = make_ready_claim(reviewer)
    evidence = claim.evidence.exclude(relation="appearance").first()
    evidence.quote = _unattributed(evidence.source)
    evidence.save()
    codes = [problem["code"] for problem in publish_problems(claim)]
    # The quote's words are not in that source either (quote_not_anchored): both are listed.
    assert "quote_speaker" in codes and set(codes) <= {"quote_speaker", "quote_not_anchored"}


def test_admin_action_sets_the_speaker_of_selected_quotes(admin_user):
    first, second = _unattributed(), _unattributed()
    person = factories.PersonFactory(name="Rosa Diaz")
    client = session_client(admin_user)
    selected = {"action": "set_speaker", "_selected_action": [first.pk, second.pk]}

    page = client.post("/admin/sources/quote/", selected)
    assert page.status_code == 200
    assert "Who said 2 selected quotes?" in page.content.decode()
    assert Quote.objects.filter(speaker__isnull=True).count() == 2

    response = client.post("/admin/sources/quote/", {**selected, "apply": "1", "speaker": person.pk},
                           follow=True)
    assert response.status_code == 200
    assert "2 quote(s) now attributed to Rosa Diaz." in response.content.decode()
    assert set(Quote.objects.values_list("speaker", "attribution")) == {(person.pk, "editor")}
