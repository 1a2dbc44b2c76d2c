"""Typed claim relations over the API (claims/api_relations.py): link, read with an ETag, unlink
with If-Match; relations to claims the caller may not see stay hidden."""

from __future__ import annotations

import pytest

from claims import services
from claims.models import ClaimRelation
from claims.services import claim_relation_add
from tests.api_helpers import assert_error, fresh_throttles, session_client  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


@pytest.fixture
def claims(claim_in):
    return {
        "published": claim_in("published", text="Mexico will never allow the U.S. Army on its territory."),
        "paraphrase": claim_in("published", text="Mexico says it will not let US troops in."),
        "draft": claim_in("draft", text="Mexico will allow US troops in."),
    }


def test_editor_links_and_unlinks_claims(editor, claims):
    client = session_client(editor)
    url = f"/api/v1/claims/{claims['published'].pk}/relations/"
    response = client.post(url, {"to_claim": claims["paraphrase"].pk, "kind": "same_as",
                                 "note": "Same offer."}, format="json")
    assert response.status_code == 201
    relation = ClaimRelation.objects.get()
    assert response.json() == {"id": relation.pk, "kind": "same_as", "from_claim": claims["published"].pk,
                               "to_claim": claims["paraphrase"].pk, "note": "Same offer."}
    # Both claims list it; the claim's representation shows it.
    assert [r["id"] for r in session_client(None).get(
        f"/api/v1/claims/{claims['paraphrase'].pk}/relations/").json()["results"]] == [relation.pk]
    detail = session_client(None).get(f"/api/v1/claims/{claims['published'].pk}/").json()
    assert len(detail["relations"]) == 1

    # Removing it needs the relation's current ETag, like every DELETE.
    one = client.get(f"{url}{relation.pk}/")
    assert one.status_code == 200 and one.json()["id"] == relation.pk
    assert client.get(f"{url}{relation.pk}/", HTTP_IF_NONE_MATCH=one["ETag"]).status_code == 304
    assert_error(client.delete(f"{url}{relation.pk}/"), 428)
    assert_error(client.delete(f"{url}{relation.pk}/", HTTP_IF_MATCH='"stale"'), 412)
    assert ClaimRelation.objects.exists()
    assert client.delete(f"{url}{relation.pk}/", HTTP_IF_MATCH=one["ETag"]).status_code == 204
    assert not ClaimRelation.objects.exists()
    assert_error(client.delete(f"{url}{relation.pk}/", HTTP_IF_MATCH=one["ETag"]), 404)


def test_relation_writes_are_refused_cleanly(outsider, editor, claims):
    url = f"/api/v1/claims/{claims['published'].pk}/relations/"
    payload = {"to_claim": claims["paraphrase"].pk, "kind": "contradicts"}
    assert_error(session_client(None).post(url, payload, format="json"), 401)
    assert_error(session_client(outsider).post(url, payload, format="json"), 403)
    client = session_client(editor)
    assert_error(client.post(url, {**payload, "kind": "likes"}, format="json"), 400)
    assert_error(client.post(url, {**payload, "to_claim": claims["published"].pk}, format="json"), 400)
    assert_error(client.post(url, {**payload, "to_claim": 10**12}, format="json"), 400)


def test_private_relations_are_hidden_from_the_public(editor, claims):
    claim_relation_add(actor=editor, from_claim=claims["published"], to_claim=claims["draft"],
                       kind="variant_of")
    body = session_client(None).get(f"/api/v1/claims/{claims['published'].pk}/relations/").json()
    assert body["results"] == []
    staff = session_client(editor).get(f"/api/v1/claims/{claims['published'].pk}/relations/").json()
    assert len(staff["results"]) == 1


def test_relation_remove_compares_the_expected_etag_under_its_lock(editor, claims):
    """The service itself refuses a stale If-Match, so a command or job has the guarantee too."""
    from claims.selectors import claim_relation_etag
    from factcheck.concurrency import ExpectedEtag
    from factcheck.errors import StaleVersion

    relation = claim_relation_add(actor=editor, from_claim=claims["published"],
                                  to_claim=claims["paraphrase"], kind="same_as")
    stale = ExpectedEtag(etags=('"stale"',), etag_of=claim_relation_etag)
    with pytest.raises(StaleVersion):
        services.claim_relation_remove(relation_id=relation.pk, actor=editor, expected=stale)
    assert ClaimRelation.objects.filter(pk=relation.pk).exists()
    current = ExpectedEtag(etags=(claim_relation_etag(relation),), etag_of=claim_relation_etag)
    services.claim_relation_remove(relation_id=relation.pk, actor=editor, expected=current)
    assert not ClaimRelation.objects.filter(pk=relation.pk).exists()


def test_relation_delete_answers_404_before_428(editor, claims):
    """A missing relation is a 404 even without If-Match."""
    url = f"/api/v1/claims/{claims['published'].pk}/relations/999999/"
    assert_error(session_client(editor).delete(url), 404)


def test_topic_and_rating_updates_compare_the_expected_etag_in_the_service(editor, admin_user):
    from claims.models import Rating, Topic
    from factcheck.concurrency import ExpectedEtag
    from factcheck.errors import StaleVersion

    topic = services.topic_create(actor=editor, name="Borders")
    stale = ExpectedEtag(etags=('"old"',), etag_of=lambda obj: f'"{obj.name}"')
    with pytest.raises(StaleVersion):
        services.topic_update(actor=editor, topic=topic, expected=stale, name="Frontiers")
    fresh = ExpectedEtag(etags=('"Borders"',), etag_of=lambda obj: f'"{obj.name}"')
    services.topic_update(actor=editor, topic=topic, expected=fresh, name="Frontiers")
    assert Topic.objects.get(pk=topic.pk).name == "Frontiers"

    rating = Rating.objects.order_by("order").first()
    stale = ExpectedEtag(etags=('"old"',), etag_of=lambda obj: f'"{obj.label}"')
    with pytest.raises(StaleVersion):
        services.rating_update(actor=admin_user, rating=rating, expected=stale, label="Renamed")
    assert Rating.objects.get(pk=rating.pk).label != "Renamed"
