"""``GET /api/v1/claims/export/?format=csv|json|ndjson&<the list's filters>``: every claim of a
filtered list, streamed (``claims/exports.py``). Anonymous callers export public claims only."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from claims.api import ClaimViewMixin
from claims.exports import FORMATS, export_response
from claims.filters import ClaimFilter
from claims.models import Claim
from claims.serializers import ClaimSerializer
from factcheck.api.permissions import api_viewer
from factcheck.api.schema import error_responses
from factcheck.errors import InvalidInput

EXPORT_PARAMETERS = [OpenApiParameter(
    "format", str, enum=list(FORMATS), default="csv",
    description="csv (UTF-8 with BOM, header row), json (an array of claim documents) or ndjson (one "
    "claim document per line).")]
EXPORT_RESPONSES = {
    (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV, one row per claim."),
    (200, "application/json"): OpenApiResponse(ClaimSerializer(many=True), description="An array of claims."),
    (200, "application/x-ndjson"): OpenApiResponse(OpenApiTypes.STR, description="A claim per line."),
    **error_responses(400, 429),
}


class ClaimExportApi(ClaimViewMixin, generics.GenericAPIView):
    filterset_class = ClaimFilter
    queryset = Claim.objects.none()  # for the schema; get_queryset applies visibility

    def perform_content_negotiation(self, request, force=False):
        # ``format`` names the export's format here, not DRF's renderer: errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary="Export a claim list (CSV, JSON or NDJSON), streamed",
        parameters=EXPORT_PARAMETERS,
        responses=EXPORT_RESPONSES,
        description="Every claim the list with the same filters holds (all of them, not one page), "
        "in id order. The public exports public claims only.",
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        params = request.query_params.copy()
        params.pop("format", None)
        filterset = self.filterset_class(params, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return self.export(request, filterset.qs)

    def export(self, request: Request, claims) -> StreamingHttpResponse:
        """Stream ``claims`` in the ``format`` the request names."""
        export_format = request.query_params.get("format", "csv")
        if export_format not in FORMATS:
            raise InvalidInput(f"Unknown format: {export_format}.", code="unknown_value",
                               fields={"format": [f"Use one of {', '.join(FORMATS)}."]})
        return export_response(claims, api_viewer(request), export_format)
