"""The change feed (events/): written by triggers in the change's own transaction, served in an
order no reader can overtake, public events only for the public."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from claims import services as claim_services
from claims.models import Rating
from events.models import Event
from events.selectors import event_feed
from sources import services as source_services
from tests import factories
from tests.api_helpers import session_client

FEED = "/api/v1/events/"


def types(events) -> list[str]:
    return [e.type if isinstance(e, Event) else e["type"] for e in events]


def test_the_workflow_writes_its_events_in_order(claim_in, editor):
    claim = claim_in("published")
    mine = [e for e in event_feed(editor, after=None, limit=100) if e.claim_id == claim.pk]
    assert types(mine)[0] == "claim.created"
    assert "evidence.added" in types(mine)
    assert types(mine)[-2:] == ["claim.submitted", "claim.published"]
    assert all(e.object_id == claim.pk for e in mine if e.object_kind == "claim")


def test_no_event_survives_a_rolled_back_change(claim_in, editor):
    claim = claim_in("draft")
    before = Event.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        claim_services.claim_update(claim_id=claim.pk, actor=editor, text="Something else entirely.")
        assert Event.objects.count() == before + 1
        raise RuntimeError("roll back")
    assert Event.objects.count() == before


def test_corrections_retractions_ratings_and_sources_are_announced(claim_in, reviewer, admin_user):
    claim = claim_in("published")
    claim_services.claim_correct(claim_id=claim.pk, actor=reviewer, kind="update", note="Fixed a date.")
    claim_services.claim_retract(claim_id=claim.pk, actor=reviewer, note="The claimant never said it.")
    with connection.cursor() as cursor:  # any door, raw SQL included
        cursor.execute("UPDATE claims_rating SET label = label || ' (renamed)' WHERE slug = 'false'")
    source = claim.evidence.first().source
    quote = factories.QuoteFactory(source=source, text=source.content.split(".")[0].strip()[:40])
    source_services.source_update(source=source, actor=admin_user, content="Entirely new text.")
    events = list(Event.objects.order_by("txid", "id"))
    corrected = types(events).index("claim.corrected")
    assert types(events)[corrected:corrected + 4] == [
        "claim.corrected", "claim.retracted", "rating.changed", "source.refetched"]
    assert set(types(events)[corrected + 4:]) == {"quote.orphaned"}
    assert Event.objects.filter(type="quote.orphaned", object_id=quote.pk, source_id=source.pk).exists()


def test_the_public_sees_only_events_about_public_objects(client, claim_in, editor):
    draft = claim_in("draft")
    published = claim_in("published")
    public = client.get(FEED).json()["results"]
    claim_ids = {e["object"]["id"] for e in public if e["object"]["kind"] == "claim"}
    assert claim_ids == {published.pk}
    assert types(public).count("claim.published") == 1
    assert "claim.created" not in types(public)  # it was a draft then
    staff = session_client(editor).get(FEED).json()["results"]
    assert {draft.pk, published.pk} <= {e["object"]["id"] for e in staff if e["object"]["kind"] == "claim"}


def test_after_replays_from_where_a_client_stopped(client, claim_in):
    claim_in("published")
    first = client.get(FEED, {"limit": 1}).json()
    assert len(first["results"]) == 1
    rest = client.get(first["next"].split("testserver")[-1].replace("http://127.0.0.1:8000", "")).json()
    everything = client.get(FEED).json()["results"]
    assert first["results"] + rest["results"] == everything
    assert everything[-1]["object"]["url"].endswith(f"/api/v1/claims/{everything[-1]['object']['id']}/")
    caught_up = client.get(FEED, {"after": everything[-1]["id"]}).json()
    assert caught_up["results"] == [] and f"after={everything[-1]['id']}" in caught_up["next"]


def test_bad_parameters_are_400s(client, db):
    for params, field in (({"after": "x"}, "after"), ({"limit": "5000"}, "limit"),
                          ({"type": "claim.exploded"}, "type"), ({"after": "999999"}, "after")):
        response = client.get(FEED, params)
        assert response.status_code == 400, params
        assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize("claims", [1, 4])
def test_the_feed_runs_a_constant_number_of_queries(client, claim_in, claims, django_assert_num_queries):
    for _ in range(claims):
        claim_in("published")
    mark = Event.objects.filter(type="claim.published").order_by("txid", "id").first().pk
    with django_assert_num_queries(2):  # the mark of ``after``, then the page
        response = client.get(FEED, {"after": mark})
    assert response.status_code == 200
    assert len(response.json()["results"]) == claims - 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_event_of_a_later_transaction_waits_for_an_earlier_open_one():
    """A reader never passes an event whose transaction has not committed: the later commit is
    held back until the earlier transaction ends, then both come in transaction order."""
    first, second = Rating.objects.order_by("pk")[:2]
    started, release = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                Rating.objects.filter(pk=first.pk).update(label="Slow rename")
                started.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert started.wait(10)
    with transaction.atomic():
        Rating.objects.filter(pk=second.pk).update(label="Quick rename")
    assert [e.object_id for e in event_feed(None, after=None, limit=10)] == []
    release.set()
    thread.join(10)
    assert [e.object_id for e in event_feed(None, after=None, limit=10)] == [first.pk, second.pk]
