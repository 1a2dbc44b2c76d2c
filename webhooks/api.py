"""``/api/v1/webhooks/``: subscribe an endpoint to change-feed events; its delivery log and
manual re-sends. Each user sees only their own endpoints (anyone else: 404)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from events.models import Event
from factcheck.api.schema import error_responses
from factcheck.api.serializers import StrictInputSerializer
from factcheck.errors import NotFound
from webhooks import services
from webhooks.models import WebhookDelivery, WebhookEndpoint

DELIVERY_LOG_SIZE = 100


class WebhookWriteSerializer(StrictInputSerializer):
    url = serializers.CharField(max_length=1000)
    events = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                   help_text="Event types; empty or absent: all of them.")


class WebhookSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=Event.Type.values))
    is_active = serializers.BooleanField()
    disabled_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    secret = serializers.CharField(required=False, help_text="Only in the answer to POST: keep it.")


class DeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.IntegerField()
    type = serializers.CharField()
    status = serializers.ChoiceField(choices=WebhookDelivery.Status.choices)
    attempts = serializers.IntegerField()
    response_status = serializers.IntegerField(allow_null=True)
    response_ms = serializers.IntegerField(allow_null=True)
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_attempt_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)


def endpoint_document(endpoint: WebhookEndpoint, *, with_secret: bool = False) -> dict:
    body = {"id": endpoint.pk, "url": endpoint.url, "events": endpoint.event_types,
            "is_active": endpoint.is_active, "disabled_reason": endpoint.disabled_reason,
            "created_at": endpoint.created_at}
    if with_secret:
        body["secret"] = endpoint.secret
    return body


def delivery_document(delivery: WebhookDelivery) -> dict:
    return {"id": delivery.pk, "event": delivery.event_id, "type": delivery.event.type,
            "status": delivery.status, "attempts": delivery.attempts,
            "response_status": delivery.response_status, "response_ms": delivery.response_ms,
            "error": delivery.error, "created_at": delivery.created_at,
            "last_attempt_at": delivery.last_attempt_at, "delivered_at": delivery.delivered_at}


def _own(request, pk: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=pk, owner=request.user).first()
    if endpoint is None:
        raise NotFound("No such webhook.")
    return endpoint


class WebhookListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Your webhooks", responses={200: WebhookSerializer(many=True),
                                                       **error_responses(401)})
    def get(self, request):
        return Response([endpoint_document(e) for e in WebhookEndpoint.objects.filter(owner=request.user)])

    @extend_schema(summary="Subscribe an endpoint (the answer holds its signing secret, once)",
                   request=WebhookWriteSerializer,
                   responses={201: WebhookSerializer, **error_responses(400, 401)})
    def post(self, request):
        data = WebhookWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = services.endpoint_create(actor=request.user, url=data.validated_data["url"],
                                            events=data.validated_data.get("events"))
        return Response(endpoint_document(endpoint, with_secret=True), status=status.HTTP_201_CREATED)


class WebhookDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="A webhook", responses={200: WebhookSerializer, **error_responses(401, 404)})
    def get(self, request, pk: int):
        return Response(endpoint_document(_own(request, pk)))

    @extend_schema(summary="Unsubscribe", responses={204: None, **error_responses(401, 404)})
    def delete(self, request, pk: int):
        services.endpoint_delete(actor=request.user, endpoint_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookEnableApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Enable a disabled webhook again", request=None,
                   responses={200: WebhookSerializer, **error_responses(401, 404)})
    def post(self, request, pk: int):
        return Response(endpoint_document(services.endpoint_enable(actor=request.user, endpoint_id=pk)))


class WebhookDeliveryListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary=f"The webhook's last {DELIVERY_LOG_SIZE} deliveries",
                   responses={200: DeliverySerializer(many=True), **error_responses(401, 404)})
    def get(self, request, pk: int):
        endpoint = _own(request, pk)
        deliveries = endpoint.deliveries.select_related("event").order_by("-id")[:DELIVERY_LOG_SIZE]
        return Response([delivery_document(d) for d in deliveries])


class WebhookDeliveryResendApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Send a delivery again", request=None,
                   responses={202: DeliverySerializer, **error_responses(401, 404)})
    def post(self, request, pk: int, delivery_id: int):
        delivery = services.delivery_resend(actor=request.user, endpoint_id=pk, delivery_id=delivery_id)
        return Response(delivery_document(delivery), status=status.HTTP_202_ACCEPTED)
