"""Reads for claims and what hangs off them, with visibility built in.

The public (anonymous users, users without staff status, and — decided by the API — read-scope
tokens of non-staff users) sees only published and retracted claims and what hangs off them:
their evidence, the sources and quotes that evidence cites, the claimants and speakers. Staff
(editors, reviewers, administrators) see everything. A private object is simply absent from
these querysets, so a lookup through them answers 404 exactly as for a missing object.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from claims.models import PUBLIC_STATUSES, Claim, Correction, Evidence, ReviewEvent
from sources.models import Outlet, Person, Quote, Source


def sees_private(user) -> bool:
    """Whether ``user`` may see drafts, claims in review and everything private."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def claims_visible_to(user) -> QuerySet[Claim]:
    """All claims for staff; published and retracted ones for everyone else. Unordered, unplanned:
    callers add their own ``select_related``/ordering (see ``claim_list_rows``)."""
    claims = Claim.objects.all()
    return claims if sees_private(user) else claims.filter(status__in=PUBLIC_STATUSES)


def evidence_visible_to(user) -> QuerySet[Evidence]:
    evidence = Evidence.objects.all()
    return evidence if sees_private(user) else evidence.filter(claim__status__in=PUBLIC_STATUSES)


def _public_evidence() -> QuerySet[Evidence]:
    return Evidence.objects.filter(claim__status__in=PUBLIC_STATUSES)


def sources_visible_to(user) -> QuerySet[Source]:
    """Staff: every source. Public: sources cited by a public claim's evidence."""
    if sees_private(user):
        return Source.objects.all()
    return Source.objects.filter(Exists(_public_evidence().filter(source=OuterRef("pk"))))


def quotes_visible_to(user) -> QuerySet[Quote]:
    """Staff: every quote. Public: quotes a public claim's evidence cites."""
    if sees_private(user):
        return Quote.objects.all()
    return Quote.objects.filter(Exists(_public_evidence().filter(quote=OuterRef("pk"))))


def people_visible_to(user) -> QuerySet[Person]:
    """Staff: everyone. Public: claimants of public claims and speakers of public quotes."""
    if sees_private(user):
        return Person.objects.all()
    return Person.objects.filter(
        Exists(Claim.objects.public().filter(claimant=OuterRef("pk")))
        | Exists(_public_evidence().filter(quote__speaker=OuterRef("pk")))
    )


def outlets_visible_to(user) -> QuerySet[Outlet]:
    """Staff: every outlet. Public: outlets of sources a public claim cites."""
    if sees_private(user):
        return Outlet.objects.all()
    return Outlet.objects.filter(Exists(_public_evidence().filter(source__outlet=OuterRef("pk"))))


def history_visible_to(user, claim: Claim) -> tuple[list[ReviewEvent], list[Correction]]:
    """A claim's review events and corrections. The public sees publication and retraction
    events (without internal comments) and every correction; staff see the whole log."""
    events = ReviewEvent.objects.filter(claim=claim).select_related("actor").order_by("created_at", "id")
    if not sees_private(user):
        events = events.filter(Q(to_status__in=PUBLIC_STATUSES) & ~Q(from_status__in=PUBLIC_STATUSES)
                               | Q(to_status=Claim.Status.RETRACTED))
    corrections = (
        Correction.objects.filter(claim=claim)
        .select_related("old_rating", "new_rating", "created_by")
        .order_by("created_at", "id")
    )
    return list(events), list(corrections)
