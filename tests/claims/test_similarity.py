"""Similar claims (claims/similarity.py) over the demo newsroom."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.demo import CLAIMS, load_demo
from claims.models import Claim
from claims.similarity import MIN_SCORE, similar_claims
from tests import factories

pytestmark = pytest.mark.django_db

TROOPS = "Donald Trump proposed sending U.S. military troops into Mexico to fight drug trafficking."


@pytest.fixture
def demo():
    load_demo()
    return Claim.objects.get(text=TROOPS)


def test_paraphrase_of_a_demo_claim_is_found_first(demo):
    found = similar_claims(text="Trump offered to send American troops to Mexico to combat drug trafficking")
    assert found, "the paraphrase should match"
    assert found[0].claim == demo
    assert 0 < found[0].score <= 1


# A paraphrase of every demo claim, written the way another outlet might report it.
PARAPHRASES = {
    CLAIMS[0].text: "Trump offered to send American troops to Mexico to combat drug trafficking",
    CLAIMS[1].text: "American drones fly over Mexico with the Mexican government's permission",
    CLAIMS[2].text: "Sheinbaum wants to amend the constitution to protect Mexican sovereignty",
    CLAIMS[3].text: "Washington labeled the Sinaloa cartel a terrorist group in February",
    CLAIMS[4].text: "The US military stepped up surveillance flights over Mexican cartels to collect "
    "intelligence",
    CLAIMS[5].text: "Mexico sent 10,000 National Guard troops to the border in exchange for US action "
    "against arms trafficking",
    CLAIMS[6].text: "Mexico will never allow the U.S. Army on its territory",
}


def test_every_demo_claim_is_found_first_from_its_paraphrase_with_a_clear_margin(demo):
    assert set(PARAPHRASES) == {spec.text for spec in CLAIMS}, "one paraphrase per demo claim"
    for claim_text, paraphrase in PARAPHRASES.items():
        found = similar_claims(text=paraphrase, limit=10)
        assert found and found[0].claim.text == claim_text, paraphrase
        assert found[0].score >= MIN_SCORE + 0.15, (paraphrase, found[0].score)
        runner_up = found[1].score if len(found) > 1 else 0.0
        assert found[0].score - runner_up >= 0.1, (paraphrase, found[0].score, runner_up)


def test_unrelated_texts_stay_well_below_the_cut_off(demo):
    """Sharing a word (Mexico, Trump) is not the same statement."""
    for text in ("Mexico won the football world cup final in a penalty shootout",
                 "Canada raised tariffs on American steel imports",
                 "The price of eggs doubled in Ohio last winter."):
        assert similar_claims(text=text) == []
        assert all(item.score < MIN_SCORE - 0.1 for item in similar_claims(text=text, min_score=0)), text


def test_unrelated_claim_is_not_suggested(demo):
    assert similar_claims(text="The price of eggs doubled in Ohio last winter.") == []
    # Sharing a word (Mexico) is not enough.
    found = similar_claims(text="Mexico won the football world cup final in a penalty shootout")
    assert demo not in [item.claim for item in found]


def test_quote_texts_count_too(demo):
    """The demo claim links Trump's offer as a quote: its words find the claim."""
    found = similar_claims(text="What can we help you with to fight drug trafficking?")
    assert demo in [item.claim for item in found]


def test_the_claim_itself_can_be_excluded_and_results_restricted(demo):
    found = similar_claims(text=demo.text, exclude_claim_id=demo.pk)
    assert demo not in [item.claim for item in found]
    assert similar_claims(text=demo.text, queryset=Claim.objects.filter(status="draft")) == []
    assert similar_claims(text=demo.text)[0].claim == demo


def test_stop_words_only_or_empty_text_finds_nothing(demo):
    assert similar_claims(text="") == []
    assert similar_claims(text="the and of it") == []


def test_query_count_does_not_grow_with_claims(demo):
    factories.ClaimFactory.create_batch(5, text="Trump sent troops to fight drug trafficking in Mexico.")
    with CaptureQueriesContext(connection) as queries:
        found = similar_claims(text=TROOPS, limit=10)
        [(item.claim.claimant, item.claim.rating) for item in found]
    assert len(found) >= 6
    assert len(queries) == 3


ODD_TEXTS = [
    "O'Brien's \\ claim: a & b | !c (d) <-> e* 'quoted'",
    "https://example.org/path?q=1 user@example.org 10,000 U.S. 🇲🇽",
    "''''", "\\\\", "a" * 3000,
]


@pytest.mark.parametrize("odd", ODD_TEXTS)
def test_odd_characters_never_break_the_query(demo, odd):
    """Quotes, backslashes and tsquery operators are searched as text: alone they find nothing
    like a claim, and around a paraphrase they still find its claim first."""
    assert all(item.score < MIN_SCORE for item in similar_claims(text=odd, min_score=0))
    found = similar_claims(text=f"{odd} {PARAPHRASES[TROOPS]} {odd}")
    assert found and found[0].claim == demo
