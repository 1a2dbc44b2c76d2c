"""``/api/v1/webhooks/``: subscribe an endpoint to change-feed events; its delivery log and
manual re-sends. A user's endpoints are theirs; an organisation's are seen by its members and
changed by its managers and the member who made it (anyone else: 404)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import owned_or_404, shared_with
from accounts.serializers import ORGANISATION_HELP
from events.models import Event
from factcheck.api.schema import error_responses
from factcheck.api.serializers import StrictInputSerializer
from webhooks import services
from webhooks.models import WebhookDelivery, WebhookEndpoint

DELIVERY_LOG_SIZE = 100


class WebhookWriteSerializer(StrictInputSerializer):
    url = serializers.CharField(max_length=1000)
    events = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                   help_text="Event types; empty or absent: all of them.")
    organisation = serializers.SlugField(required=False, help_text=ORGANISATION_HELP)


class WebhookSerializer(serializers.ModelSerializer):
    """The answers' shape (for the schema): documents are built by ``endpoint_document``."""

    events = serializers.ListField(child=serializers.ChoiceField(choices=Event.Type.values))
    organisation = serializers.CharField(allow_null=True, help_text="Its organisation's slug, or null "
                                         "when it is a user's.")
    secret = serializers.CharField(required=False, help_text="Only in the answer to POST: keep it.")

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "organisation", "is_active", "disabled_reason", "created_at",
                  "secret"]


class DeliverySerializer(serializers.ModelSerializer):
    type = serializers.CharField(help_text="The event's type, or saved_search.matched.")

    class Meta:
        model = WebhookDelivery
        fields = ["id", "event", "type", "status", "attempts", "response_status", "response_ms",
                  "error", "created_at", "last_attempt_at", "delivered_at"]


def endpoint_document(endpoint: WebhookEndpoint, *, with_secret: bool = False) -> dict:
    body = {"id": endpoint.pk, "url": endpoint.url, "events": endpoint.event_types,
            "organisation": endpoint.organisation.slug if endpoint.organisation_id else None,
            "is_active": endpoint.is_active, "disabled_reason": endpoint.disabled_reason,
            "created_at": endpoint.created_at}
    if with_secret:
        body["secret"] = endpoint.secret
    return body


def delivery_document(delivery: WebhookDelivery) -> dict:
    return {"id": delivery.pk, "event": delivery.event_id, "type": delivery.type,
            "status": delivery.status, "attempts": delivery.attempts,
            "response_status": delivery.response_status, "response_ms": delivery.response_ms,
            "error": delivery.error, "created_at": delivery.created_at,
            "last_attempt_at": delivery.last_attempt_at, "delivered_at": delivery.delivered_at}


def endpoints() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.select_related("organisation")


def _shared(request, pk: int) -> WebhookEndpoint:
    return owned_or_404(endpoints(), request.user, pk, what="webhook")


class WebhookListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Your webhooks and your organisations'",
                   responses={200: WebhookSerializer(many=True), **error_responses(401)})
    def get(self, request):
        return Response([endpoint_document(e) for e in shared_with(request.user, endpoints())])

    @extend_schema(summary="Subscribe an endpoint (the answer holds its signing secret, once)",
                   request=WebhookWriteSerializer,
                   responses={201: WebhookSerializer, **error_responses(400, 401)})
    def post(self, request):
        data = WebhookWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = services.endpoint_create(actor=request.user, **data.validated_data)
        return Response(endpoint_document(endpoint, with_secret=True), status=status.HTTP_201_CREATED)


class WebhookDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="A webhook", responses={200: WebhookSerializer, **error_responses(401, 404)})
    def get(self, request, pk: int):
        return Response(endpoint_document(_shared(request, pk)))

    @extend_schema(summary="Unsubscribe", responses={204: None, **error_responses(401, 403, 404)})
    def delete(self, request, pk: int):
        services.endpoint_delete(actor=request.user, endpoint_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookEnableApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Enable a disabled webhook again", request=None,
                   responses={200: WebhookSerializer, **error_responses(401, 403, 404)})
    def post(self, request, pk: int):
        return Response(endpoint_document(services.endpoint_enable(actor=request.user, endpoint_id=pk)))


class WebhookDeliveryListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary=f"The webhook's last {DELIVERY_LOG_SIZE} deliveries",
                   responses={200: DeliverySerializer(many=True), **error_responses(401, 404)})
    def get(self, request, pk: int):
        endpoint = _shared(request, pk)
        deliveries = endpoint.deliveries.select_related("event").order_by("-id")[:DELIVERY_LOG_SIZE]
        return Response([delivery_document(d) for d in deliveries])


class WebhookDeliveryResendApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Send a delivery again", request=None,
                   responses={202: DeliverySerializer, **error_responses(401, 403, 404)})
    def post(self, request, pk: int, delivery_id: int):
        delivery = services.delivery_resend(actor=request.user, endpoint_id=pk, delivery_id=delivery_id)
        return Response(delivery_document(delivery), status=status.HTTP_202_ACCEPTED)
