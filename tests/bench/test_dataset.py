"""bench/dataset.py: the bulk builder writes consistent data that the app's triggers agree with."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.dataset import dataset_build
from claims.models import Claim, Evidence
from sources.models import Quote
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def summary():
    return dataset_build(claims=120, seed=7)


def test_builds_the_requested_shape(summary):
    assert summary.claims == Claim.objects.count() == 120
    assert 80 <= summary.public_claims <= 115  # 83% public on average
    assert Claim.objects.public().count() == summary.public_claims
    assert summary.claim_topics == 3 * 120
    for claim in Claim.objects.prefetch_related("topics", "evidence"):
        assert claim.topics.count() == 3
        assert 2 <= claim.evidence.count() <= 3
        assert [e.relation for e in claim.evidence.all()][0] == Evidence.Relation.APPEARANCE
        assert all(e.quote_id for e in claim.evidence.all())
    assert not Claim.objects.public().filter(rating__isnull=True).exists()
    assert not Claim.objects.public().filter(published_at__isnull=True).exists()


def test_quotes_are_anchored_in_their_source_text(summary):
    for quote in Quote.objects.select_related("source"):
        assert quote.source.content[quote.start:quote.end] == quote.text == quote.exact
        assert quote.source.content[quote.start - len(quote.prefix):quote.start] == quote.prefix


def test_search_vector_is_what_the_trigger_computes(summary):
    """The builder fills search_vector itself (triggers are off during the load); touching the
    claim makes the claim_search trigger recompute it, and the result must be the same."""
    claim = Claim.objects.public().order_by("id").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM claims_claim WHERE id = %s", [claim.pk])
        built = cursor.fetchone()[0]
        cursor.execute("UPDATE claims_claim SET text = text WHERE id = %s", [claim.pk])
        cursor.execute("SELECT search_vector::text FROM claims_claim WHERE id = %s", [claim.pk])
        recomputed = cursor.fetchone()[0]
    assert built == recomputed


def test_fills_the_misspelling_lexicon(summary):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM claims_search_word WHERE word = 'percent'")
        assert cursor.fetchone()[0] == 1


def test_sequences_continue_after_the_loaded_rows(summary):
    """Objects created normally afterwards get fresh ids (no primary-key collision)."""
    claim = factories.ClaimFactory()
    assert claim.pk > Claim.objects.exclude(pk=claim.pk).order_by("-pk").first().pk


def test_same_seed_gives_the_same_text(summary):
    first_texts = list(Claim.objects.order_by("id").values_list("text", flat=True))
    dataset_build(claims=120, seed=7)
    second_texts = list(Claim.objects.order_by("id").values_list("text", flat=True))[120:]
    assert second_texts == first_texts
