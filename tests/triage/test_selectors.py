"""triage/selectors.py: the queue's similar claims for a page in one statement agree with
claims.similarity's one-text search."""

import pytest
from django.contrib.auth.models import AnonymousUser

from claims.similarity import similar_claims
from tests import factories
from tests.triage.conftest import ARTICLE
from triage import services
from triage.selectors import similar_claims_for


@pytest.fixture
def desk(triage_model, claim_in):
    claims = [
        claim_in("published", text="Unemployment in Mexico fell to 2.5 percent, its lowest rate."),
        claim_in("draft", text="Mexico's economy grew 3 percent last year."),
        claim_in("retracted", text="The government will spend 40 billion pesos on hospitals."),
        claim_in("draft", text="The O'Brien report says the U.S. economy's growth was 3.2%."),
        claim_in("draft", text="The moon is made of cheese."),
    ]
    source = factories.SourceFactory(content=ARTICLE + "\nThe U.S. and O'Brien's team disagree.\n")
    return claims, services.source_triage(source_id=source.pk)


def test_one_statement_finds_what_the_one_text_search_finds(desk, editor):
    claims, candidates = desk
    batched = similar_claims_for(candidates, editor, limit=3)
    found_any = False
    for candidate in candidates:
        expected = similar_claims(text=candidate.text, limit=3)
        got = batched[candidate.pk]
        pairs = [(s.claim.pk, s.score) for s in got]
        assert pairs == [(s.claim.pk, s.score) for s in expected], candidate.text
        found_any = found_any or bool(got)
    assert found_any


def test_the_public_sees_only_public_claims(desk):
    claims, candidates = desk
    public_ids = {claims[0].pk, claims[2].pk}
    for items in similar_claims_for(candidates, AnonymousUser()).values():
        assert {item.claim.pk for item in items} <= public_ids


def test_an_accepted_candidate_does_not_find_its_own_claim(desk, editor):
    _, candidates = desk
    candidate = candidates[0]
    claim = services.candidate_accept(candidate_id=candidate.pk, actor=editor)
    candidate.refresh_from_db()
    assert claim.pk not in [s.claim.pk for s in similar_claims_for([candidate], editor)[candidate.pk]]


def test_two_queries_whatever_the_page(desk, editor, django_assert_num_queries):
    _, candidates = desk
    with django_assert_num_queries(2):
        similar_claims_for(candidates, editor)
    assert similar_claims_for([], editor) == {}
