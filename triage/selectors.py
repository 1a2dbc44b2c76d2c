"""Reads for triage: the queue (planned querysets, visibility built in) and, for a candidate,
the existing claims it resembles."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims.models import Topic
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
