"""Similar claims: which existing checks a new or edited claim resembles.

Two steps, as PERFORMANCE.md measured: a full-text pre-filter on the stored, GIN-indexed
``Claim.search_vector`` (claim text, claimant, linked quote texts) with an OR of the text's
lexemes, capped to the best-ranked few candidates; then only those candidates are scored with
pg_trgm ``similarity`` against the claim text and ``word_similarity`` against
``Claim.search_text`` (which includes the texts of the claim's quotes). A trigram search over
every claim would cost close to a second at a million rows; this costs milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField, Func, QuerySet, Value
from django.db.models.functions import Greatest

from claims.models import Claim

# How many full-text candidates are scored by trigram similarity.
CANDIDATES = 50
# Below this score a candidate shares words but not the statement.
MIN_SCORE = 0.3


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


def _any_lexeme_query(text: str) -> SearchQuery | None:
    """An OR query over the English lexemes of ``text`` (None when it has no searchable word).

    A paraphrase shares some words, rarely all of them, so an AND query would miss it.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(to_tsvector('english', %s))", [text])
        lexemes = cursor.fetchone()[0] or []
    lexemes = [lexeme for lexeme in lexemes if len(lexeme) > 1]
    if not lexemes:
        return None
    # Lexemes are quoted so punctuation inside them (u.s, o'brien) cannot break the query.
    raw = " | ".join("'" + lexeme.replace("'", "''") + "'" for lexeme in lexemes)
    return SearchQuery(raw, search_type="raw", config="english")


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
            score=Greatest(
                _Similarity(F("text"), Value(text)),
                _WordSimilarity(Value(text), F("search_text")),
            )
        )
        .filter(score__gte=min_score)
        .order_by("-score", "-id")[:limit]
    )
    return [SimilarClaim(claim=claim, score=round(claim.score, 3)) for claim in scored]
