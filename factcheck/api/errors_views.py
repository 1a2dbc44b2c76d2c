"""JSON 404/500 pages for URLs under /api/ (Django's handler404/handler500 are site-wide).

``factcheck/urls.py`` wires ``handler404``/``handler500`` to ``dispatch_404``/``dispatch_500``:
under ``/api/`` they answer in the API's error shape, elsewhere they call the HTML handler named
in ``settings.HTML_ERROR_HANDLERS`` (the public pages'; Django's defaults when unset).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.module_loading import import_string

from factcheck.api.exceptions import error_body

# Our API, and Google's Fact Check Tools paths that we also serve (/v1alpha1/).
API_PREFIXES = ("/api/", "/v1alpha1/")

DEFAULT_HTML_HANDLERS = {
    "404": "django.views.defaults.page_not_found",
    "500": "django.views.defaults.server_error",
}


def html_handler(status: str):
    """The HTML error view for ``status`` ("404"/"500") outside /api/, from settings."""
    handlers = getattr(settings, "HTML_ERROR_HANDLERS", None) or {}
    return import_string(handlers.get(status) or DEFAULT_HTML_HANDLERS[status])


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES)


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("not_found", "Not found."), status=404)


def api_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(error_body("server_error", "Internal server error."), status=500)


def dispatch_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return api_not_found(request, exception)
    return html_handler("404")(request, exception)


def dispatch_500(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return api_server_error(request)
    return html_handler("500")(request)
