"""claims/search.py: full-text search with misspelling tolerance, and its API use."""

from __future__ import annotations

import pghistory
import pytest
from django.db import connection

from claims.models import Claim
from claims.search import build_tsquery, claims_matching
from factcheck.errors import InvalidInput
from tests import factories
from tests.api_helpers import session_client
from tests.conftest import bring_to, make_ready_claim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


@pytest.fixture
def sovereignty(editor, reviewer):
    claim = make_ready_claim(editor, text="Mexico's sovereignty is not for sale, the president said.")
    return bring_to(claim, "published", author=editor, reviewer=reviewer)


def matching_ids(q: str) -> list[int]:
    return list(claims_matching(Claim.objects.all(), q).order_by("-rank").values_list("pk", flat=True))


def test_finds_by_a_word_of_the_claim(sovereignty):
    assert matching_ids("sovereignty") == [sovereignty.pk]


def test_finds_a_misspelled_word(sovereignty):
    assert matching_ids("soverignty") == [sovereignty.pk]
    assert matching_ids("sovreignty sale") == [sovereignty.pk]


def test_finds_by_a_word_prefix(sovereignty):
    assert matching_ids("sovere") == [sovereignty.pk]


def test_finds_by_words_only_in_a_linked_quote(editor, reviewer):
    quote = factories.QuoteFactory(text="the lighthouse keepers were never paid")
    claim = make_ready_claim(editor, text="Workers went unpaid.")
    factories.EvidenceFactory(claim=claim, source=quote.source, quote=quote, relation="supports")
    bring_to(claim, "published", author=editor, reviewer=reviewer)
    assert matching_ids("lighthouse keepers") == [claim.pk]
    body = session_client(None).get("/api/v1/claims/?q=lighthouse").json()
    assert [c["id"] for c in body["results"]] == [claim.pk]


def test_finds_by_claimant_name(editor, reviewer):
    person = factories.PersonFactory(name="Wilhelmina Oyelaran")
    claim = bring_to(make_ready_claim(editor, claimant=person), "published", author=editor, reviewer=reviewer)
    assert matching_ids("oyelaran") == [claim.pk]


def test_all_words_must_match(sovereignty):
    assert matching_ids("sovereignty bananas") == []


def test_ranks_claim_text_above_analysis(editor, reviewer):
    in_text = make_ready_claim(editor, text="Inflation reached ten percent.")
    in_analysis = make_ready_claim(editor, text="Prices rose.", analysis="Inflation is discussed here.")
    for claim in (in_text, in_analysis):
        bring_to(claim, "published", author=editor, reviewer=reviewer)
    assert matching_ids("inflation") == [in_text.pk, in_analysis.pk]


@pytest.mark.parametrize("q", ["", "a", "  ", "the", "of the and", "!!!", "x" * 201])
def test_unusable_queries_are_invalid_input(q):
    with pytest.raises(InvalidInput) as error:
        build_tsquery(q)
    assert "q" in error.value.fields


def test_query_words_cannot_inject_tsquery_syntax(sovereignty):
    assert matching_ids("sovereignty & !sale | (x:*") == [sovereignty.pk]


def test_public_search_never_returns_drafts(editor, sovereignty):
    make_ready_claim(editor, text="Draft: sovereignty negotiations are secret.")
    body = session_client(None).get("/api/v1/claims/?q=sovereignty").json()
    assert [c["id"] for c in body["results"]] == [sovereignty.pk]
    staff = session_client(editor).get("/api/v1/claims/?q=sovereignty").json()
    assert len(staff["results"]) == 2


def test_search_pages_by_relevance(editor, reviewer):
    for n in range(3):
        bring_to(make_ready_claim(editor, text=f"Tariffs rose {n} times."), "published",
                 author=editor, reviewer=reviewer)
    client = session_client(None)
    first = client.get("/api/v1/claims/?q=tariffs&page_size=2").json()
    second = client.get(first["next"]).json()
    ids = [c["id"] for c in first["results"] + second["results"]]
    assert len(ids) == len(set(ids)) == 3
    assert second["next"] is None
    assert [c["id"] for c in client.get(second["previous"]).json()["results"]] == ids[:2]


# --- Languages: each text in its own language's configuration, accents ignored ---------------


@pytest.fixture
def spanish(editor, reviewer):
    claim = make_ready_claim(editor, text="La soberanía no se negocia", language="es")
    return bring_to(claim, "published", author=editor, reviewer=reviewer)


@pytest.mark.parametrize("q", [
    "soberanía",  # as written
    "soberania",  # the accent left out
    "negociar",  # another inflection (Spanish stemming: negoci)
    "soberania negociamos",
    "soberaina",  # misspelled and unaccented: widened through the lexicon's unaccented words
    "SOBERANÍA negocian",
])
def test_a_spanish_claim_is_found_by_a_spanish_query(spanish, sovereignty, q):
    assert matching_ids(q) == [spanish.pk]


def test_english_claims_are_still_found_in_english_beside_spanish_ones(spanish, sovereignty):
    assert matching_ids("sovereignty") == [sovereignty.pk]
    assert matching_ids("soverignty sale") == [sovereignty.pk]
    assert matching_ids("presidents") == [sovereignty.pk]  # English stemming: presid
    body = session_client(None).get("/api/v1/claims/?q=soberania").json()
    assert [c["id"] for c in body["results"]] == [spanish.pk]


def test_the_vector_holds_each_text_in_its_language(editor, reviewer, spanish):
    quote = factories.QuoteFactory(text="the lighthouse keepers were never paid", language="en")
    claim = make_ready_claim(editor, text="Los fareros nunca cobraron su salario", language="es")
    factories.EvidenceFactory(claim=claim, source=quote.source, quote=quote, relation="supports")
    claim.refresh_from_db()
    lexemes = {item.split(":")[0].strip("'") for item in claim.search_vector.split()}
    assert {"farer", "cobr", "salari"} <= lexemes  # Spanish stems for the claim's own text
    assert {"lighthous", "keeper", "paid"} <= lexemes  # English stems for the English quote


def test_a_quote_in_another_language_is_searchable_in_it(editor, reviewer):
    quote = factories.QuoteFactory(text="Nunca aceptaremos la presencia del ejército", language="es")
    claim = make_ready_claim(editor, text="Mexico will never accept foreign troops.", language="en")
    factories.EvidenceFactory(claim=claim, source=quote.source, quote=quote, relation="supports")
    bring_to(claim, "published", author=editor, reviewer=reviewer)
    assert matching_ids("ejercito aceptar") == [claim.pk]


def test_a_stop_word_of_any_language_indexed_is_left_out(spanish, sovereignty):
    # "la" is a Spanish stop word: not indexed in Spanish texts, so it cannot be required.
    assert matching_ids("la soberania") == [spanish.pk]


def test_a_word_is_parsed_in_every_language_indexed_into_one_sorted_query(spanish, sovereignty):
    # Spanish (fc_es) stems "soberanía" to soberani, English (fc_en) keeps soberania; sorted, so
    # the same query text (and ranking) every time. A known word is not widened to a prefix.
    assert build_tsquery("Soberanía") == "(('soberani') | ('soberania'))"
    # A word the lexicon does not know: its near spellings, and itself as a prefix only (the
    # prefix matches the word itself too; one posting list fewer for the index to read).
    unknown = build_tsquery("soberan")
    assert "('soberan':*)" in unknown
    assert "('soberan')" not in unknown


def test_a_known_word_matches_its_inflections_and_an_unknown_one_its_prefix(editor, reviewer):
    claim = bring_to(make_ready_claim(editor, text="Taxation of imported lumber doubled."),
                     "published", author=editor, reviewer=reviewer)
    assert matching_ids("lumber") == [claim.pk]
    assert matching_ids("taxat") == [claim.pk]  # not a word of the lexicon: a prefix
    assert matching_ids("lumb") == [claim.pk]
    assert ":*" not in build_tsquery("lumber")


def test_the_lookup_runs_prepared_inside_an_audited_request(sovereignty):
    # During a tracked request (a POST) django-pghistory puts a set_config statement before any
    # statement that does not begin with SELECT; the lookup is prepared, which needs one command.
    with pghistory.context(user=None, url="/api/v1/saved-searches/"):
        for _ in range(2):
            assert "sovereignti" in build_tsquery("sovereignty")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                       ["%lookup.is_stop_word%"])
        assert cursor.fetchone()[0] == 1


def test_search_vectors_are_kept_in_the_row():
    # Ranking reads every candidate's vector: in the row, not fetched from the TOAST table
    # (migration 0020; docs/benchmarks.md).
    with connection.cursor() as cursor:
        cursor.execute("SELECT attstorage FROM pg_attribute "
                       "WHERE attrelid = 'claims_claim'::regclass AND attname = 'search_vector'")
        assert cursor.fetchone() == ("m",)
