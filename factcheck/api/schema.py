"""OpenAPI helpers: the error body as a schema component and the error responses of a view."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_lib_doc_excludes
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from factcheck.api.permissions import ApiWritePermission
from factcheck.api.serializers import ModelShape, StrictInputSerializer

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorDetail",
            fields={
                "code": serializers.CharField(help_text="Stable machine-readable code."),
                "message": serializers.CharField(help_text="Human-readable explanation."),
                "fields": serializers.DictField(
                    help_text="Per-field problems (or publish_gate's `missing` list); may be {}."),
            },
        )
    },
)


def lib_doc_excludes() -> list[type]:
    """Classes whose docstrings describe our code rather than a schema component (our serializer
    bases, beside drf-spectacular's own list): a component without a docstring of its own gets
    no description instead of theirs (SPECTACULAR_SETTINGS["GET_LIB_DOC_EXCLUDES"])."""
    return [*get_lib_doc_excludes(), StrictInputSerializer, ModelShape]


ERROR_DESCRIPTIONS = {
    400: "Invalid input (a parameter or field is named in `fields`).",
    401: "Authentication needed (session or `Authorization: Bearer <token>`).",
    403: "Your role (or your token's scope) does not allow this.",
    404: "No such object, or not visible to you.",
    405: "Method not allowed.",
    409: "Illegal workflow transition (`illegal_transition`) or refused publish (`publish_gate`).",
    412: "If-Match does not match the current version (`precondition_failed`).",
    413: "Request body too large.",
    415: "Unsupported media type (send application/json).",
    428: "If-Match is required for this write (`precondition_required`).",
    429: "Too many requests; retry after `Retry-After` seconds.",
    502: "An upstream fetch failed (e.g. the page to import could not be fetched: `fetch_failed`).",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """``{status: OpenApiResponse(Error)}`` for ``extend_schema(responses=...)``."""
    return {
        code: OpenApiResponse(
            ErrorSerializer, description=ERROR_DESCRIPTIONS[code],
            examples=[OpenApiExample(
                f"error {code}", status_codes=[code],
                value={"error": {"code": "invalid" if code == 400 else "…", "message": "…",
                                 "fields": {}}})],
        )
        for code in codes
    }


READ_ERRORS = (400, 404, 429)
WRITE_ERRORS = (400, 401, 403, 404, 409, 412, 415, 428, 429)


IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description='The ETag of the version you are changing, e.g. "v3" (428 if missing, 412 if stale).')
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description="An ETag you hold; 304 Not Modified when it is still current.")
CURSOR = OpenApiParameter("cursor", OpenApiTypes.STR, description="Opaque cursor from next/previous.")
PAGE_SIZE = OpenApiParameter("page_size", OpenApiTypes.INT, description="1–100 (default 20; more is capped).")
LIST_PARAMETERS = [CURSOR, PAGE_SIZE, IF_NONE_MATCH]


def page_of(serializer_class, name: str):
    """The ``{"next", "previous", "results": [...]}`` envelope around ``serializer_class``."""
    return inline_serializer(name=name, fields={
        "next": serializers.CharField(allow_null=True),
        "previous": serializers.CharField(allow_null=True),
        "results": serializer_class(many=True),
    })


class FactcheckAutoSchema(AutoSchema):
    """Our views' permissions in the schema: reads are open to anonymous callers (``{}`` among the
    security requirements) unless the view insists on authentication; list operations get
    ``_list`` operation ids and their FilterSet parameters (our list views are plain APIViews,
    which drf-spectacular cannot tell from detail views)."""

    def get_auth(self):
        auths = super().get_auth()
        anonymous_reads = any(isinstance(p, ApiWritePermission) for p in self.view.get_permissions()) \
            and not any(getattr(p, "requires_authentication", False) for p in self.view.get_permissions())
        if anonymous_reads and self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _is_our_list_view(self) -> bool:
        return self.method == "GET" and type(self.view).__name__.endswith("ListApi")

    def get_filter_backends(self):
        # drf-spectacular documents filters only for views it recognises as lists (ListModelMixin,
        # list serializers); ours are plain GenericAPIViews with a paged envelope, so without this
        # no FilterSet parameter would appear in the schema.
        if self._is_our_list_view():
            return getattr(self.view, "filter_backends", [])
        return super().get_filter_backends()

    def get_operation_id(self):
        operation_id = super().get_operation_id()
        if self._is_our_list_view() and operation_id.endswith("_retrieve"):
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id
