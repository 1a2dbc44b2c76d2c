"""One error shape for every error under /api/: ``{"error": {"code", "message", "fields"}}``.

``api_exception_handler`` is DRF's ``EXCEPTION_HANDLER``: it maps DRF's own exceptions, Django's
``Http404``/``PermissionDenied``/``ValidationError`` and our ``factcheck.errors.DomainError`` to
that shape with the right status. Anything unexpected becomes a generic 500 (logged, never shown).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from factcheck import db_outage
from factcheck.errors import DomainError

logger = logging.getLogger("factcheck.api")

# Stable machine codes for DRF's exception classes (DRF's own codes are not all stable or clear).
DRF_CODES: dict[type[exceptions.APIException], str] = {
    exceptions.ParseError: "malformed_request",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ValidationError: "invalid",
}


def error_body(code: str, message: str, fields: dict | None = None) -> dict[str, Any]:
    """The one error body every /api/ response uses."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def error_response(code: str, message: str, status_code: int, fields: dict | None = None,
                   headers: dict | None = None) -> Response:
    return Response(error_body(code, message, fields), status=status_code, headers=headers)


def _flatten(detail: Any) -> Any:
    """ErrorDetail trees → plain lists/dicts of strings (JSON-friendly, codes dropped)."""
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _validation_fields(detail: Any) -> dict:
    flat = _flatten(detail)
    if isinstance(flat, dict):
        return {key: value if isinstance(value, list | dict) else [value] for key, value in flat.items()}
    return {"non_field_errors": flat if isinstance(flat, list) else [flat]}


def _validation_message(fields: dict) -> str:
    names = [name for name in fields if name != "non_field_errors"]
    if names:
        return "Invalid input: " + ", ".join(names) + "."
    messages = fields.get("non_field_errors") or ["Invalid input."]
    return str(messages[0])


def api_exception_handler(exc: Exception, context: dict) -> Response:
    """DRF ``EXCEPTION_HANDLER``: every exception → the one error shape (never a traceback)."""
    if isinstance(exc, DomainError):
        return error_response(exc.code, exc.message, exc.status, exc.fields)
    if db_outage.is_database_unavailable(exc):
        db_outage.log_outage(exc)
        return error_response(db_outage.UNAVAILABLE_CODE, db_outage.UNAVAILABLE_MESSAGE, 503,
                              headers={"Retry-After": db_outage.retry_after()})
    if isinstance(exc, Http404):
        return error_response("not_found", "Not found.", status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        return error_response("permission_denied", "You do not have permission to do this.",
                              status.HTTP_403_FORBIDDEN)
    if isinstance(exc, RequestDataTooBig):
        return error_response("request_too_large", "The request body is too large.",
                              status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return error_response("invalid", _validation_message(fields), 400, fields)
    if isinstance(exc, SuspiciousOperation):
        return error_response("bad_request", "The request was rejected.", status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ValidationError):
        fields = _validation_fields(exc.detail)
        return error_response("invalid", _validation_message(fields), exc.status_code, fields)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
        code = next((c for cls, c in DRF_CODES.items() if isinstance(exc, cls)), None)
        if code is None:
            code = exc.default_code if isinstance(exc.default_code, str) else "error"
        detail = exc.detail
        message = str(detail) if not isinstance(detail, list | dict) else str(exc.default_detail)
        fields = {}
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            fields = {"retry_after": int(exc.wait + 0.999)}
        return error_response(code, message, exc.status_code, fields, headers)
    logger.exception("Unhandled error in API view %s", context.get("view").__class__.__name__,
                     exc_info=exc)
    return error_response("server_error", "Internal server error.",
                          status.HTTP_500_INTERNAL_SERVER_ERROR)
