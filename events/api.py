"""``GET /api/v1/events/?after=<id>``: the change feed, oldest first, for clients that sync."""

from __future__ import annotations

from django.conf import settings
from django.utils.http import urlencode
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from events.models import Event
from events.selectors import OBJECT_PATHS, event_document, event_feed
from factcheck.api.permissions import api_viewer
from factcheck.api.schema import error_responses
from factcheck.errors import InvalidInput

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class EventObjectSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(OBJECT_PATHS))
    id = serializers.IntegerField()
    url = serializers.CharField()


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.ChoiceField(choices=Event.Type.choices)
    created_at = serializers.DateTimeField()
    object = EventObjectSerializer()


class EventPageSerializer(serializers.Serializer):
    results = EventSerializer(many=True)
    next = serializers.CharField(help_text="Follow it to continue (also when results were empty).")


def _whole_number(params, name: str, *, default: int | None, high: int) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit() or not 0 <= int(raw) <= high:
        raise InvalidInput(f"{name} must be a whole number up to {high}.",
                           fields={name: [f"A whole number from 0 to {high}."]})
    return int(raw)


class EventFeedApi(APIView):
    @extend_schema(
        summary="The change feed",
        parameters=[
            OpenApiParameter("after", int, description="The last event id you processed; omit to "
                             "start from the oldest."),
            OpenApiParameter("limit", int, description=f"1–{MAX_LIMIT}, default {DEFAULT_LIMIT}."),
            OpenApiParameter("type", str, many=True, enum=Event.Type.values,
                             description="Only these event types (repeatable)."),
        ],
        responses={200: EventPageSerializer, **error_responses(400, 429)},
        examples=[OpenApiExample("Events", response_only=True, value={"results": [{
            "id": 41, "type": "claim.published", "created_at": "2026-12-01T10:00:00Z",
            "object": {"kind": "claim", "id": 12, "url": "https://factcheck.example.org/api/v1/claims/12/"},
        }], "next": "https://factcheck.example.org/api/v1/events/?after=41"})],
        description="Every change API clients care about, written in the same transaction as the "
        "change, oldest first. Keep the last id and ask after=it again to replay what you missed. "
        "The public sees events about public objects only.",
    )
    def get(self, request):
        params = request.query_params
        after = _whole_number(params, "after", default=None, high=2**63 - 1)
        limit = _whole_number(params, "limit", default=DEFAULT_LIMIT, high=MAX_LIMIT) or DEFAULT_LIMIT
        types = params.getlist("type")
        unknown = sorted(set(types) - set(Event.Type.values))
        if unknown:
            raise InvalidInput(f"Unknown event type: {', '.join(unknown)}.", code="unknown_value",
                               fields={"type": [f"Use one of {', '.join(Event.Type.values)}."]})
        try:
            events = event_feed(api_viewer(request), after=after, limit=limit, types=types)
        except Event.DoesNotExist:
            raise InvalidInput("after is not an event id you can read.", code="unknown_value",
                               fields={"after": ["Unknown event."]})
        last = events[-1].id if events else after
        query = {k: v for k, v in {"after": last, "limit": params.get("limit")}.items() if v is not None}
        next_url = f"{settings.SITE_URL}/api/v1/events/?{urlencode({**query, 'type': types}, doseq=True)}"
        return Response({"results": [event_document(e) for e in events], "next": next_url})
