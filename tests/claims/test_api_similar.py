"""Similar claims over the API (claims/api_similar.py)."""

from __future__ import annotations

import pytest

from tests.api_helpers import assert_error, fresh_throttles, session_client  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

TROOPS = "Donald Trump proposed sending U.S. military troops into Mexico to fight drug trafficking."
PARAPHRASE = "Trump offered to send American troops to Mexico to combat drug trafficking"


@pytest.fixture
def anon():
    return session_client(None)


@pytest.fixture
def claims(claim_in):
    return {
        "published": claim_in("published", text=TROOPS),
        "paraphrase": claim_in("published", text=PARAPHRASE),
        "draft": claim_in("draft", text="Trump offered to send troops to Mexico to fight drug trafficking."),
        "unrelated": claim_in("published", text="The price of eggs doubled in Ohio last winter."),
    }


def test_similar_to_a_claim_lists_visible_claims_with_scores(anon, editor, claims):
    body = anon.get(f"/api/v1/claims/{claims['published'].pk}/similar/").json()
    ids = [row["id"] for row in body["results"]]
    assert ids == [claims["paraphrase"].pk]  # not itself, not the draft, not the unrelated one
    row = body["results"][0]
    assert list(row) == ["id", "slug", "text", "status", "claimant", "rating", "score"]
    assert 0 < row["score"] <= 1

    staff = session_client(editor).get(f"/api/v1/claims/{claims['published'].pk}/similar/").json()
    assert {r["id"] for r in staff["results"]} == {claims["paraphrase"].pk, claims["draft"].pk}


def test_similar_to_a_private_claim_is_a_404_for_the_public(anon, claims):
    assert_error(anon.get(f"/api/v1/claims/{claims['draft'].pk}/similar/"), 404, "not_found")
    assert_error(anon.get("/api/v1/claims/99999999999999999999/similar/"), 404)


def test_similar_to_a_text(anon, claims):
    response = anon.get("/api/v1/claims/similar/", {"text": PARAPHRASE, "limit": 3})
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]][:2] == [
        claims["paraphrase"].pk, claims["published"].pk
    ]


@pytest.mark.parametrize("params", [{}, {"text": "a"}, {"text": "troops", "limit": "0"},
                                    {"text": "troops", "limit": "x"}])
def test_similar_to_a_text_refuses_bad_parameters(anon, params):
    assert_error(anon.get("/api/v1/claims/similar/", params), 400)
