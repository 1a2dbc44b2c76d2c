"""Project-wide middleware: the request id, and requests refused before anything reads them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from factcheck.api.errors_views import API_PREFIXES, error_for
from factcheck.log import REQUEST_ID_HEADER, current_request_id, request_id_from


class RequestIdMiddleware:
    """Gives each request an id (a sane incoming ``X-Request-ID`` or a new one), puts it on every
    log line written while the request runs and returns it in the ``X-Request-ID`` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestShapeMiddleware:
    """Refuses requests the app would otherwise get wrong, with a clear 4xx (JSON under /api/).

    - ``Transfer-Encoding`` (chunked bodies) → 411. Django reads a body only up to
      ``Content-Length``; a chunked body has none, so Django would see an empty body and a PATCH
      would "succeed" without applying anything. gunicorn decodes chunked bodies but still sends no
      ``Content-Length``; refusing is the safe answer, and every HTTP client can send a length.
    - A header field longer than ``FACTCHECK_MAX_HEADER_BYTES`` → 431. gunicorn's own limits
      (gunicorn.conf.py) are set above ours so that such a request reaches this answer; past
      gunicorn's limit (16 KiB) gunicorn answers 431 itself, with an HTML body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("HTTP_TRANSFER_ENCODING"):
            return error_for(
                request, 411, "length_required",
                "Chunked request bodies are not accepted: send the body with a Content-Length header.",
            )
        limit = settings.FACTCHECK_MAX_HEADER_BYTES
        for key, value in request.META.items():
            if key.startswith("HTTP_") and len(key) - 5 + len(str(value)) > limit:
                name = key[5:].replace("_", "-").title()
                return error_for(
                    request, 431, "request_header_too_large",
                    f"The {name} header is too large (at most {limit} bytes).",
                )
        return self.get_response(request)


class InterfaceLocaleMiddleware(LocaleMiddleware):
    """Django's ``LocaleMiddleware`` for the public site and the admin: the language of the switch
    (its cookie), else the browser's ``Accept-Language``, else English; ``Content-Language`` and
    ``Vary: Accept-Language`` on the answer. The API (``/api/``, ``/v1alpha1/``) is for machines:
    always English, its answers never vary by language."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith(API_PREFIXES):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return
        super().process_request(request)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path.startswith(API_PREFIXES):
            return response
        return super().process_response(request, response)
