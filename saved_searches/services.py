"""Writes of saved searches, and their notifications.

A search belongs to a user or to one of their organisations (its members see it, its managers and
the member who made it change it). The query is validated by the claims list's own filters as the
actor sees them, so a saved search always means what the list would.

Notifications: a search with a ``notify_endpoint`` (a webhook endpoint of the same owner) gets a
``saved_search.matched`` delivery for each claim that is published — or corrected or updated while
published — and that the search matches. The matcher (``matches_dispatch``, a job queued by each
new event in its transaction: migration 0004) follows the change feed with its own cursor, like
the webhook dispatcher, and hands each match to the webhook machinery (signed, retried, logged)
once per (search, event): a delivery's (event, subject) is unique.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone

from accounts.selectors import organisation_for, shared_with
from events.models import Event
from factcheck.errors import InvalidInput, NotPermitted, StaleVersion
from saved_searches.models import SavedSearch
from saved_searches.selectors import claims_filter, saved_search_claims, saved_search_of, search_viewer
from webhooks.models import WebhookEndpoint
from webhooks.services import delivery_create, dispatch_batch, queue_once

logger = logging.getLogger(__name__)

MATCHED = "saved_search.matched"
# The events that announce a claim the public can read now, or read again with changes.
NOTIFYING_TYPES = {Event.Type.CLAIM_PUBLISHED, Event.Type.CLAIM_UPDATED, Event.Type.CLAIM_CORRECTED}
UNCHANGED = object()


def _clean(*, name: str, query: str, actor) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Name the search.", fields={"name": ["Required."]})
    query = (query or "").strip().lstrip("?")
    claims_filter(query, actor)
    return name, QueryDict(query).urlencode()


def _set_notify(search: SavedSearch, endpoint_id: int | None, actor) -> None:
    """Point the search's notifications at ``endpoint_id`` (None: no notifications): a webhook the
    actor may see that belongs to the search's own owner."""
    if endpoint_id == search.notify_endpoint_id:
        return
    endpoint = None
    if endpoint_id is not None:
        endpoint = shared_with(actor, WebhookEndpoint.objects.all()).filter(
            pk=endpoint_id, owner_id=search.owner_id, organisation_id=search.organisation_id).first()
        if endpoint is None:
            raise InvalidInput("Notify a webhook of the search's own owner.",
                               fields={"notify_endpoint": ["Not a webhook of the search's owner."]})
    search.notify_endpoint = endpoint
    search.notify_since = timezone.now() if endpoint else None


def _save(search: SavedSearch) -> None:
    try:
        with transaction.atomic():
            search.full_clean(exclude=["owner", "organisation", "notify_endpoint"], validate_unique=False,
                              validate_constraints=False)
            search.save()
    except IntegrityError:
        raise InvalidInput("There is already a search with this name.",
                           fields={"name": ["Already used."]}) from None


@transaction.atomic
def saved_search_create(*, actor, name: str, query: str, organisation: str | None = None,
                        notify_endpoint: int | None = None) -> SavedSearch:
    """Save a search for the actor, or for ``organisation`` (the slug of one of theirs)."""
    if not (actor and actor.is_authenticated):
        raise NotPermitted("Log in to save searches.")
    team = organisation_for(actor, organisation)
    name, query = _clean(name=name, query=query, actor=actor)
    search = SavedSearch(owner=None if team else actor, organisation=team, created_by=actor, name=name,
                         query=query)
    _set_notify(search, notify_endpoint, actor)
    _save(search)
    return search


def _lock(search_id: int, actor, expected_version: int | None, *, to_change: bool = True) -> SavedSearch:
    search = saved_search_of(actor, search_id, to_change=to_change, lock=True)
    if expected_version is not None and expected_version != search.version:
        raise StaleVersion("The saved search has changed; reload it and try again.")
    return search


@transaction.atomic
def saved_search_update(*, actor, search_id: int, expected_version: int | None = None,
                        name: str | None = None, query: str | None = None,
                        notify_endpoint=UNCHANGED) -> SavedSearch:
    """Rename, re-query or re-point a search the actor may change. Locks it; StaleVersion (412) on
    a stale version. ``notify_endpoint``: an endpoint id, or None to stop notifications."""
    search = _lock(search_id, actor, expected_version)
    search.name, search.query = _clean(name=search.name if name is None else name,
                                       query=search.query if query is None else query, actor=actor)
    if notify_endpoint is not UNCHANGED:
        _set_notify(search, notify_endpoint, actor)
    search.version += 1
    _save(search)
    return search


@transaction.atomic
def saved_search_delete(*, actor, search_id: int, expected_version: int | None = None) -> None:
    _lock(search_id, actor, expected_version).delete()


@transaction.atomic
def saved_search_seen(*, actor, search_id: int) -> SavedSearch:
    """A member has looked at the results: nothing before now counts as new any more (the mark is
    the search's, shared by an organisation's members)."""
    search = _lock(search_id, actor, None, to_change=False)
    search.last_seen_at = timezone.now()
    search.save(update_fields=["last_seen_at", "updated_at"])
    return search


# --- notifications ----------------------------------------------------------------------------


def matches_dispatch() -> int:
    """Match the settled events after the matcher's cursor against the notifying searches and queue
    a delivery per match. Returns how many events it read."""
    return dispatch_batch("saved_searches", _notify_matches, _queue_matching)


def _queue_matching(schedule_in: int = 0) -> None:
    from saved_searches.tasks import match_saved_searches  # the task module imports this one

    queue_once(match_saved_searches, schedule_in)


def _notify_matches(events: list[Event]) -> None:
    events = [e for e in events if e.type in NOTIFYING_TYPES and e.object_kind == "claim" and e.was_public]
    if not events:
        return
    searches = SavedSearch.objects.filter(notify_endpoint__is_active=True).select_related("notify_endpoint")
    for search in searches:
        fresh = [event for event in events if event.created_at > search.notify_since]
        if not fresh:  # only what happened since notifications were turned on
            continue
        try:
            matched = set(saved_search_claims(search, search_viewer(search))
                          .filter(pk__in={event.claim_id for event in fresh}, status="published")
                          .values_list("pk", flat=True))
        except InvalidInput as error:  # e.g. a topic it names was deleted since
            logger.warning("saved search %s no longer valid, not matched: %s", search.pk, error.fields)
            continue
        for event in fresh:
            if event.claim_id in matched:
                delivery_create(endpoint=search.notify_endpoint, event=event,
                                subject=f"saved_search:{search.pk}", payload=match_payload(search, event))


def match_payload(search: SavedSearch, event: Event) -> dict:
    """The thin body of a ``saved_search.matched`` delivery: which search, which claim, why."""
    base = f"{settings.SITE_URL}/api/v1"
    return {
        "type": MATCHED,
        "created_at": event.created_at.isoformat().replace("+00:00", "Z"),
        "saved_search": {"id": search.pk, "name": search.name,
                         "url": f"{base}/saved-searches/{search.pk}/"},
        "event": {"id": event.pk, "type": event.type},
        "object": {"kind": "claim", "id": event.claim_id, "url": f"{base}/claims/{event.claim_id}/"},
    }
