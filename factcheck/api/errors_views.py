"""JSON 400/404/500/503 pages for URLs under /api/ (Django's error handlers are site-wide).

``factcheck/urls.py`` wires ``handler400``/``handler404``/``handler500`` to the ``dispatch_*``
functions: under ``/api/`` (and Google's ``/v1alpha1/`` paths) they answer in the API's error
shape, elsewhere they call the HTML handler named in ``settings.HTML_ERROR_HANDLERS`` (the public
pages'; Django's defaults when unset). An unreachable database is a 503 with Retry-After on both
sides (factcheck/db_outage.py), never a 500. ``error_for`` is the same choice for middleware.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.module_loading import import_string

from factcheck import db_outage
from factcheck.api.exceptions import error_body

# Our API, and Google's Fact Check Tools paths that we also serve (/v1alpha1/).
API_PREFIXES = ("/api/", "/v1alpha1/")

DEFAULT_HTML_HANDLERS = {
    "400": "django.views.defaults.bad_request",
    "404": "django.views.defaults.page_not_found",
    "500": "django.views.defaults.server_error",
}


def html_handler(status: str):
    """The HTML error view for ``status`` ("400"/"404"/"500") outside /api/, from settings."""
    handlers = getattr(settings, "HTML_ERROR_HANDLERS", None) or {}
    return import_string(handlers.get(status) or DEFAULT_HTML_HANDLERS[status])


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES)


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("not_found", "Not found."), status=404)


def api_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(error_body("server_error", "Internal server error."), status=500)


def error_for(request: HttpRequest, status: int, code: str, message: str,
              headers: dict | None = None) -> HttpResponse:
    """An error answered outside a view: the error shape under /api/, plain text elsewhere."""
    if is_api_request(request):
        return JsonResponse(error_body(code, message), status=status, headers=headers)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8",
                        headers=headers)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 + Retry-After: JSON under /api/, templates/503.html (no database, no request) elsewhere."""
    headers = {"Retry-After": db_outage.retry_after()}
    if is_api_request(request):
        return JsonResponse(error_body(db_outage.UNAVAILABLE_CODE, db_outage.UNAVAILABLE_MESSAGE),
                            status=503, headers=headers)
    return HttpResponse(loader.get_template("503.html").render(), status=503, headers=headers)


def dispatch_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 (a disallowed Host, a body over DJANGO_MAX_BODY_BYTES, other suspicious
    requests) — raised before any view, so DRF's handler never sees it."""
    if is_api_request(request):
        if isinstance(exception, RequestDataTooBig):
            return JsonResponse(error_body("request_too_large", "The request body is too large."),
                                status=413)
        return JsonResponse(error_body("bad_request", "The request was rejected."), status=400)
    return html_handler("400")(request, exception)


def dispatch_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return api_not_found(request, exception)
    return html_handler("404")(request, exception)


def dispatch_500(request: HttpRequest) -> HttpResponse:
    # Django calls handler500 inside its ``except`` block: the exception is the current one.
    exc = sys.exc_info()[1]
    if db_outage.is_database_unavailable(exc):
        db_outage.log_outage(exc)
        return database_unavailable(request)
    if is_api_request(request):
        return api_server_error(request)
    return html_handler("500")(request)
