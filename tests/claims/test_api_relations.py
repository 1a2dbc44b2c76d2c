"""Typed claim relations over the API (claims/api_relations.py): link, read with an ETag, unlink
with If-Match; relations to claims the caller may not see stay hidden."""

from __future__ import annotations

import pytest

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
