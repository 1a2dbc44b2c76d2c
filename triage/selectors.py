"""Reads for triage: the queue (planned querysets, visibility built in) and, for a candidate,
the existing claims it resembles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims import similarity
from claims.models import PUBLIC_STATUSES, Claim, Topic
from claims.selectors import claims_visible_to, sees_private

# The one place triage reaches the similar-claims scoring (it may move within claims).
from claims.similarity import SimilarClaim
from claims.similarity import similar_claims as _similar_claims
from triage.models import SentenceCandidate

# The queue shows sentences of sources published (or, without a date, added) this many days ago.
RECENT_DAYS = 30
SIMILAR_LIMIT = 3


def candidates_visible_to(user) -> QuerySet[SentenceCandidate]:
    """Every candidate for staff (editors, reviewers, administrators); none for anyone else."""
    if not sees_private(user):
        return SentenceCandidate.objects.none()
    return SentenceCandidate.objects.all()


def candidates_planned(queryset: QuerySet[SentenceCandidate]) -> QuerySet[SentenceCandidate]:
    """What a candidate's representation reads, fetched with the page: its source and outlet,
    quote and speaker (one join) and its topics (one more query for the whole page)."""
    return queryset.select_related("source", "source__outlet", "quote", "quote__speaker",
                                   "speaker").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name")))


def triage_queue(user, *, days: int | None = RECENT_DAYS,
                 status: str = SentenceCandidate.Status.PENDING) -> QuerySet[SentenceCandidate]:
    """The queue: ``user``'s visible candidates with ``status`` (default pending) of sources
    published — or added, when they have no date — in the last ``days`` days (None: all), planned
    for representation. Unordered: the caller pages it best first (``-score, -id``)."""
    queryset = candidates_visible_to(user).filter(status=status)
    if days is not None:
        since = timezone.now() - timedelta(days=days)
        queryset = queryset.alias(
            source_date=Coalesce("source__published_at", "source__created_at")
        ).filter(source_date__gte=since)
    return candidates_planned(queryset)


def candidate_similar_claims(candidate: SentenceCandidate, user, *,
                             limit: int = SIMILAR_LIMIT) -> list[SimilarClaim]:
    """Existing claims resembling the candidate's sentence, most similar first: has the desk
    checked this already? Among those ``user`` may see (None: every claim — for admin, where
    everyone is staff). The claim made from the candidate itself is left out. Three queries
    (``claims.similarity``)."""
    return _similar_claims(text=candidate.text, limit=limit,
                           queryset=claims_visible_to(user) if user is not None else None,
                           exclude_claim_id=candidate.claim_id)


# ``claims.similarity.similar_claims`` for many texts in one statement: the same full-text
# pre-filter (an OR of each text's lexemes in every language indexed, the best-ranked
# CANDIDATES claims by ts_rank_cd) and the same score, with the weights read from
# claims.similarity so the two never disagree (tests/triage/test_selectors.py compares them).
_SIMILAR_SQL = """
WITH configs AS (
    SELECT config::regconfig AS config FROM claims_search_config
    UNION ALL
    SELECT fc_regconfig(%(site_language)s) WHERE NOT EXISTS (SELECT 1 FROM claims_search_config)
), page AS (
    SELECT p.id, p.text, p.exclude,
           (SELECT string_agg(DISTINCT '''' || replace(l, '''', '''''') || '''', ' | ')::tsquery
              FROM configs, unnest(tsvector_to_array(to_tsvector(configs.config, p.text))) AS l
             WHERE length(l) > 1) AS query
      FROM unnest(%(ids)s::bigint[], %(texts)s::text[], %(excludes)s::bigint[]) AS p(id, text, exclude)
)
SELECT page.id, best.id, best.score
  FROM page
 CROSS JOIN LATERAL (
    SELECT scored.id, scored.score FROM (
        SELECT c.id,
               %(text_weight)s * (similarity(c.text, page.text) + word_similarity(page.text, c.text))
               + %(context_weight)s * word_similarity(page.text, c.search_text)
               + %(rank_weight)s * LEAST(%(one)s, %(two)s * ts_rank(c.search_vector, page.query)) AS score
          FROM (SELECT c0.id FROM claims_claim c0
                 WHERE c0.search_vector @@ page.query AND c0.id IS DISTINCT FROM page.exclude
                   AND (%(everything)s OR c0.status = ANY(%(public)s))
                 ORDER BY ts_rank_cd(c0.search_vector, page.query) DESC, c0.id DESC
                 LIMIT %(candidates)s) AS candidate
          JOIN claims_claim c ON c.id = candidate.id
    ) AS scored
     WHERE scored.score >= %(min_score)s
     ORDER BY scored.score DESC, scored.id DESC
     LIMIT %(limit)s
 ) AS best
 WHERE page.query IS NOT NULL
"""


def similar_claims_for(candidates: Sequence[SentenceCandidate], user, *,
                       limit: int = SIMILAR_LIMIT) -> dict[int, list[SimilarClaim]]:
    """``candidate_similar_claims`` for a whole page of candidates in two queries (the scores,
    then the claims with their claimant and rating): ``{candidate id: [SimilarClaim, ...]}``,
    most similar first, among the claims ``user`` may see (None: every claim)."""
    if not candidates:
        return {}
    params = {
        "ids": [c.pk for c in candidates],
        "texts": [" ".join(c.text.split()) for c in candidates],
        "excludes": [c.claim_id for c in candidates],
        "text_weight": similarity.TEXT_WEIGHT / 2, "context_weight": similarity.CONTEXT_WEIGHT,
        "rank_weight": similarity.RANK_WEIGHT, "one": 1.0, "two": 2.0,
        "everything": user is None or sees_private(user), "public": list(PUBLIC_STATUSES),
        "candidates": similarity.CANDIDATES, "min_score": similarity.MIN_SCORE, "limit": limit,
        "site_language": settings.LANGUAGE_CODE,
    }
    with connection.cursor() as cursor:
        cursor.execute(_SIMILAR_SQL, params)
        rows = cursor.fetchall()
    claims = Claim.objects.select_related("claimant", "rating").in_bulk(
        {claim_id for _, claim_id, _ in rows})
    found: dict[int, list[SimilarClaim]] = {c.pk: [] for c in candidates}
    for candidate_id, claim_id, score in rows:
        found[candidate_id].append(SimilarClaim(claim=claims[claim_id], score=round(score, 3)))
    return found
