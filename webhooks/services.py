"""Webhook endpoints, and delivering the change feed to them.

Flow: a change writes its event (events/ triggers), which queues ``dispatch_deliveries`` in the
same transaction (webhooks migration 0002). The dispatcher, in a worker, reads the settled events
after its cursor, creates one delivery per subscribed endpoint whose viewer may see the event, and
queues one ``deliver`` job per delivery — all in one transaction. An endpoint's viewer is its
owner; for an organisation's endpoint, a member when every member is staff, else the public
(``accounts.selectors.viewer_of``): no member learns through it what they could not see.
``delivery_attempt`` then posts outside any transaction, signed per the Standard Webhooks spec; a
failure is retried with back-off by the queue (about a day), a 410 disables the endpoint.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import secrets
from collections.abc import Callable

import orjson
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from procrastinate.exceptions import AlreadyEnqueued
from standardwebhooks import Webhook

from accounts.selectors import organisation_for, owned_or_404, viewer_of
from claims.selectors import sees_private
from events.models import Event
from events.selectors import SETTLED, event_document, events_visible_to
from factcheck.errors import InvalidInput, NotFound, NotPermitted
from sources.fetch import BlockedAddress, FetchError, check_url
from webhooks.delivery import post_signed
from webhooks.models import DispatchCursor, WebhookDelivery, WebhookEndpoint

DISPATCH_BATCH = 500
MAX_ENDPOINTS_PER_OWNER = 20


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _clean_types(types: list[str]) -> list[str]:
    unknown = sorted(set(types) - set(Event.Type.values))
    if unknown:
        raise InvalidInput(f"Unknown event type: {', '.join(unknown)}.",
                           fields={"events": [f"Use some of {', '.join(Event.Type.values)}."]})
    return sorted(set(types))


@transaction.atomic
def endpoint_create(*, actor, url: str, events: list[str] | None = None,
                    organisation: str | None = None) -> WebhookEndpoint:
    """Subscribe ``url`` to ``events`` (all when empty), for the actor or for ``organisation`` (a
    slug of one of the actor's organisations). The URL must be one the outbound rules allow
    (public, or in FACTCHECK_OUTBOUND_ALLOW): a private address is refused now, in words."""
    if not (actor and actor.is_authenticated):
        raise NotPermitted("Log in to add webhooks.")
    team = organisation_for(actor, organisation)
    url = (url or "").strip()
    try:
        check_url(url)
    except BlockedAddress as error:
        raise InvalidInput(error.message, code="url_blocked", fields={"url": [error.message]}) from None
    except FetchError as error:
        raise InvalidInput(error.message, fields={"url": [error.message]}) from None
    owner = {"organisation": team} if team else {"owner": actor}
    if WebhookEndpoint.objects.filter(**owner).count() >= MAX_ENDPOINTS_PER_OWNER:
        raise InvalidInput(f"At most {MAX_ENDPOINTS_PER_OWNER} webhooks per user or organisation.",
                           fields={"url": ["Too many."]})
    endpoint = WebhookEndpoint(**owner, created_by=actor, url=url,
                               event_types=_clean_types(events or []), secret=new_secret())
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def endpoint_to_change(actor, endpoint_id: int) -> WebhookEndpoint:
    """The endpoint, locked, if the actor may change it (NotFound / NotPermitted otherwise)."""
    return owned_or_404(WebhookEndpoint.objects.select_for_update(of=("self",)), actor, endpoint_id,
                        what="webhook", to_change=True)


@transaction.atomic
def endpoint_delete(*, actor, endpoint_id: int) -> None:
    endpoint_to_change(actor, endpoint_id).delete()


@transaction.atomic
def endpoint_enable(*, actor, endpoint_id: int) -> WebhookEndpoint:
    endpoint = endpoint_to_change(actor, endpoint_id)
    endpoint.is_active, endpoint.disabled_reason = True, ""
    endpoint.save(update_fields=["is_active", "disabled_reason", "updated_at"])
    return endpoint


@transaction.atomic
def delivery_resend(*, actor, endpoint_id: int, delivery_id: int) -> WebhookDelivery:
    """Deliver an event to an endpoint again (a manual re-send), whatever happened before."""
    endpoint = endpoint_to_change(actor, endpoint_id)
    delivery = endpoint.deliveries.select_for_update().select_related("event").filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound("No such delivery.")
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.save(update_fields=["status"])
    _queue_delivery(delivery.pk)
    return delivery


def delivery_create(*, endpoint: WebhookEndpoint, event: Event, subject: str = "",
                    payload: dict | None = None) -> WebhookDelivery | None:
    """A delivery of ``event`` (about ``subject``, posting ``payload``) to ``endpoint``, and its job,
    in the caller's transaction; None when that delivery exists already (never twice)."""
    delivery, created = WebhookDelivery.objects.get_or_create(
        endpoint=endpoint, event=event, subject=subject, defaults={"payload": payload})
    if not created:
        return None
    _queue_delivery(delivery.pk)
    return delivery


def _queue_delivery(delivery_id: int) -> None:
    from webhooks.tasks import deliver  # the task module imports this one

    deliver.defer(delivery_id=delivery_id)


def endpoint_viewer(endpoint: WebhookEndpoint):
    """Whose view of the feed an endpoint receives (``accounts.selectors.viewer_of``)."""
    return viewer_of(endpoint, sees_private=sees_private)


@transaction.atomic
def dispatch_batch(name: str, handle: Callable[[list[Event]], None],
                   requeue: Callable[[int], None]) -> int:
    """Hand the settled events after dispatcher ``name``'s cursor to ``handle`` and move the cursor
    past them, in one transaction. Locks the cursor, so two runs never hand out the same event.
    ``requeue(seconds)`` queues the dispatcher again: at once when the batch was full, in a second
    when events wait behind a transaction still running. Returns how many events it read."""
    DispatchCursor.objects.get_or_create(name=name)
    cursor = DispatchCursor.objects.select_for_update().get(name=name)
    after_cursor = Event.objects.filter(Q(txid__gt=cursor.txid) | Q(txid=cursor.txid, id__gt=cursor.event_id))
    events = list(after_cursor.filter(txid__lt=SETTLED).order_by("txid", "id")[:DISPATCH_BATCH])
    if len(events) < DISPATCH_BATCH and after_cursor.filter(txid__gte=SETTLED).exists():
        # Events behind a transaction that is still running: look again shortly (no later event
        # may come to queue the dispatcher).
        requeue(1)
    if not events:
        return 0
    handle(events)
    cursor.txid, cursor.event_id = events[-1].txid, events[-1].pk
    cursor.save()
    if len(events) == DISPATCH_BATCH:
        requeue(0)
    return len(events)


def deliveries_dispatch() -> int:
    """Turn the settled events after the cursor into deliveries (and their jobs): one per active
    endpoint subscribed to the event's type whose viewer may see it."""
    return dispatch_batch("webhooks", _deliver_events, _queue_dispatch)


def _deliver_events(events: list[Event]) -> None:
    ids = [e.pk for e in events]
    for endpoint in WebhookEndpoint.objects.filter(is_active=True).select_related("owner"):
        viewer = endpoint_viewer(endpoint)
        visible = set(events_visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True))
        for event in events:
            if event.pk in visible and endpoint.wants(event.type):
                delivery_create(endpoint=endpoint, event=event)


def _queue_dispatch(schedule_in: int = 0) -> None:
    from webhooks.tasks import dispatch_deliveries

    queue_once(dispatch_deliveries, schedule_in)


def queue_once(task, schedule_in: int = 0) -> None:
    """Defer ``task`` (a task with a queueing lock) unless one is queued already."""
    if schedule_in:
        task = task.configure(schedule_in={"seconds": schedule_in})
    # One queued run is enough; the savepoint keeps a refused duplicate from spoiling ours.
    with contextlib.suppress(AlreadyEnqueued), transaction.atomic():
        task.defer()


def message_id_of(delivery: WebhookDelivery) -> str:
    """``evt_<event>`` for an event; ``evt_<event>_<subject>`` for a delivery about a subject."""
    suffix = f"_{delivery.subject.replace(':', '_')}" if delivery.subject else ""
    return f"evt_{delivery.event_id}{suffix}"


class DeliveryFailed(Exception):
    """A delivery attempt failed; the queue retries it with back-off."""


def delivery_attempt(delivery_id: int, *, final: bool) -> str:
    """Post one delivery (never inside a transaction). Returns the delivery's status; raises
    DeliveryFailed when it should be tried again (``final``: the last attempt, not raised)."""
    delivery = (WebhookDelivery.objects.select_related("endpoint", "event")
                .filter(pk=delivery_id).first())
    if delivery is None or delivery.status == WebhookDelivery.Status.SUCCEEDED:
        return "gone" if delivery is None else delivery.status
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.FAILED, error="The endpoint is disabled.")
        return WebhookDelivery.Status.FAILED
    body = orjson.dumps(delivery.payload or event_document(delivery.event)).decode()
    message_id = message_id_of(delivery)  # the same on every attempt, so receivers can dedupe
    stamp = timezone.now()
    signature = Webhook(endpoint.secret).sign(message_id, stamp, body)
    headers = {"webhook-id": message_id, "webhook-timestamp": str(int(stamp.timestamp())),
               "webhook-signature": signature}
    update = {"attempts": delivery.attempts + 1, "last_attempt_at": timezone.now()}
    try:
        result = post_signed(endpoint.url, body.encode(), headers)
    except FetchError as error:
        update.update(response_status=None, response_ms=None, error=error.message[:300])
        return _record_failure(delivery_id, update, final)
    update.update(response_status=result.status, response_ms=result.elapsed_ms)
    if 200 <= result.status < 300:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.SUCCEEDED, error="", delivered_at=timezone.now(), **update)
        return WebhookDelivery.Status.SUCCEEDED
    if result.status == 410:
        with transaction.atomic():
            WebhookDelivery.objects.filter(pk=delivery_id).update(
                status=WebhookDelivery.Status.FAILED, error="410 Gone: the endpoint was disabled.", **update)
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
                is_active=False, disabled_reason=f"The receiver answered 410 Gone on {dt.date.today()}.")
        return WebhookDelivery.Status.FAILED
    update["error"] = f"The receiver answered {result.status}."
    return _record_failure(delivery_id, update, final)


def _record_failure(delivery_id: int, update: dict, final: bool) -> str:
    status = WebhookDelivery.Status.FAILED if final else WebhookDelivery.Status.RETRYING
    WebhookDelivery.objects.filter(pk=delivery_id).update(status=status, **update)
    if not final:
        raise DeliveryFailed(update.get("error") or "delivery failed")
    return status
