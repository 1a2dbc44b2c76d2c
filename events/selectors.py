"""Reading the change feed in an order no reader can overtake.

Events are ordered by the id of the transaction that wrote them, then by id, and only events of
transactions older than every transaction still running are served
(``txid < pg_snapshot_xmin(pg_current_snapshot())``). A transaction that commits later always has
a larger id than anything served already, so a client that remembers its last event id and asks
``after=`` it never misses one — the price is that an event appears once the transactions that
began before it have ended (normally milliseconds). A transaction also reads its own events.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from claims.models import PUBLIC_STATUSES, Claim
from claims.selectors import sees_private, sources_visible_to
from events.models import Event

SETTLED = RawSQL("pg_snapshot_xmin(pg_current_snapshot())::text::bigint", [])
OBJECT_PATHS = {"claim": "claims", "evidence": "evidence", "rating": "ratings", "source": "sources",
                "quote": "quotes"}
# The reader's own writes (a service that reads the feed in its own transaction; tests).
OWN = RawSQL("pg_current_xact_id_if_assigned()::text::bigint", [])


def events_visible_to(user) -> QuerySet[Event]:
    """Events ``user`` may read: staff all; others only events about public objects — claims that
    were public when it happened and still are, their evidence, ratings, and sources the public
    can see."""
    events = Event.objects.all()
    if sees_private(user):
        return events
    public_claim = Exists(Claim.objects.filter(pk=OuterRef("claim_id"), status__in=PUBLIC_STATUSES))
    public_source = Exists(sources_visible_to(user).filter(pk=OuterRef("source_id")))
    return events.filter(
        Q(object_kind="rating")
        | Q(object_kind__in=["claim", "evidence"], was_public=True) & public_claim
        | Q(object_kind__in=["source", "quote"]) & public_source
    )


def event_feed(user, *, after: int | None, limit: int, types: list[str] | None = None) -> list[Event]:
    """Up to ``limit`` settled events ``user`` may read, oldest first, after event ``after``.
    Raises Event.DoesNotExist when ``after`` is not an event the user may read."""
    events = events_visible_to(user).filter(Q(txid__lt=SETTLED) | Q(txid=OWN))
    if after is not None:
        mark = events_visible_to(user).values("txid", "id").get(pk=after)
        events = events.filter(Q(txid__gt=mark["txid"]) | Q(txid=mark["txid"], id__gt=mark["id"]))
    if types:
        events = events.filter(type__in=types)
    return list(events.order_by("txid", "id")[:limit])


def event_document(event: Event) -> dict:
    """An event as the feed and webhooks show it: thin, with a link to the object."""
    return {
        "id": event.id,
        "type": event.type,
        "created_at": event.created_at.isoformat().replace("+00:00", "Z"),
        "object": {"kind": event.object_kind, "id": event.object_id,
                   "url": f"{settings.SITE_URL}/api/v1/{OBJECT_PATHS[event.object_kind]}/{event.object_id}/"},
    }
