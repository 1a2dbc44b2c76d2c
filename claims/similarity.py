"""Similar claims: which existing checks a new or edited claim resembles.

Two steps (measured: docs/benchmarks.md): a full-text pre-filter on the stored, GIN-indexed
``Claim.search_vector`` (claim text, claimant, linked quote texts) with an OR of the text's
lexemes, capped to the best-ranked few candidates (a candidate must share at least one word);
then only those candidates are scored. A trigram search over every claim would cost close to a
second at a million rows; this costs milliseconds.

The score (0..1) weighs the claim's own text over everything around it:

- 55 % the claim text's trigram resemblance: the mean of pg_trgm ``similarity`` (the whole
  statements alike) and ``word_similarity`` (the text found within the claim);
- 15 % ``word_similarity`` against ``Claim.search_text`` (claim text, claimant, quote texts,
  explanation, analysis), so the words of a linked quote find the claim;
- 30 % the full-text rank (``ts_rank`` over the weighted vector: claim text and claimant A, quotes
  and explanation B, analysis C), doubled and capped at 1.

Calibrated on the demo desk (tests/claims/test_similarity.py): a paraphrase of each demo claim
scores 0.52 or more for its own claim and ranks it first, other demo claims score 0.43 at most
for it, and texts that share a word or two but not the statement stay below 0.35.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import F, FloatField, Func, QuerySet, Value
from django.db.models.functions import Least

from claims.models import Claim
from claims.search import CONFIGS_CTE, ParsedQuery

# How many full-text candidates are scored by trigram similarity.
CANDIDATES = 50
# Below this score a candidate shares words but not the statement.
MIN_SCORE = 0.35
# The parts of the score (see the module docstring); they sum to 1.
TEXT_WEIGHT, CONTEXT_WEIGHT, RANK_WEIGHT = 0.55, 0.15, 0.30


@dataclass(frozen=True)
class SimilarClaim:
    claim: Claim
    score: float  # 0..1, higher is more similar


class _WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


class _Similarity(Func):
    function = "similarity"
    output_field = FloatField()


# The distinct lexemes of a text parsed in each configuration (claims.search.CONFIGS_CTE), sorted.
LEXEMES_SQL = f"""
WITH {CONFIGS_CTE}
SELECT array_agg(DISTINCT lexeme ORDER BY lexeme)
  FROM configs, unnest(tsvector_to_array(to_tsvector(configs.config, %(text)s))) AS lexeme
"""  # noqa: S608 (a constant fragment; every value is a parameter)


def _any_lexeme_query(text: str) -> ParsedQuery | None:
    """An OR query over the lexemes of ``text`` in every language the index uses (None when it
    has no searchable word; ``claims.search``).

    A paraphrase shares some words, rarely all of them, so an AND query would miss it.
    """
    with connection.cursor() as cursor:
        cursor.execute(LEXEMES_SQL, {"site_language": settings.LANGUAGE_CODE, "text": text})
        lexemes = cursor.fetchone()[0] or []
    lexemes = [lexeme for lexeme in lexemes if len(lexeme) > 1]
    if not lexemes:
        return None
    # Lexemes are quoted so punctuation inside them (u.s, o'brien) cannot break the query.
    raw = " | ".join("'" + lexeme.replace("'", "''") + "'" for lexeme in lexemes)
    return ParsedQuery(raw)


def similar_claims(
    *, text: str, exclude_claim_id: int | None = None, limit: int = 5,
    queryset: QuerySet[Claim] | None = None, min_score: float = MIN_SCORE,
) -> list[SimilarClaim]:
    """Claims resembling ``text``, most similar first, at most ``limit``.

    ``queryset`` restricts the candidates (e.g. to what the requesting user may see; default:
    every claim). ``exclude_claim_id`` leaves out the claim being edited. Runs three queries
    whatever the number of claims; returns [] for text without searchable words.
    """
    text = " ".join((text or "").split())
    if not text:
        return []
    query = _any_lexeme_query(text)
    if query is None:
        return []
    candidates = (queryset if queryset is not None else Claim.objects.all()).filter(
        search_vector=query
    )
    if exclude_claim_id is not None:
        candidates = candidates.exclude(pk=exclude_claim_id)
    candidate_ids = list(
        candidates.annotate(rank=SearchRank(F("search_vector"), query, cover_density=True))
        .order_by("-rank", "-id")
        .values_list("pk", flat=True)[:CANDIDATES]
    )
    if not candidate_ids:
        return []
    scored = (
        Claim.objects.filter(pk__in=candidate_ids)
        .select_related("claimant", "rating")
        .annotate(
            score=(
                Value(TEXT_WEIGHT / 2) * (
                    _Similarity(F("text"), Value(text)) + _WordSimilarity(Value(text), F("text"))
                )
                + Value(CONTEXT_WEIGHT) * _WordSimilarity(Value(text), F("search_text"))
                + Value(RANK_WEIGHT) * Least(
                    Value(1.0), Value(2.0) * SearchRank(F("search_vector"), query)
                )
            )
        )
        .filter(score__gte=min_score)
        .order_by("-score", "-id")[:limit]
    )
    return [SimilarClaim(claim=claim, score=round(claim.score, 3)) for claim in scored]
