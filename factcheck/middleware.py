"""Project-wide middleware: the request id, requests refused before anything reads them, the
interface language and the Content-Security-Policy header."""

from __future__ import annotations

from collections.abc import Callable

import csp.constants
import csp.middleware
import csp.utils
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
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


# Response attributes through which a view changes its policy (django-csp's decorators).
_CSP_PER_VIEW = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
                 "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro")


# The two policies (enforced, report-only) when no nonce is used: built on first use.
_STATIC_POLICIES: list[str] = []


@receiver(setting_changed)
def _forget_static_policies(*, setting, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _STATIC_POLICIES.clear()


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the policy of a response that used no nonce and no per-view
    change built once per process instead of on every response (building it was a third of the
    time of a cached page or a static file: docs/benchmarks.md, "Public pages under gunicorn").
    Everything else — a nonce, a decorated view, DEBUG's error pages — goes to django-csp."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (settings.DEBUG or getattr(request, "_csp_nonce", None) is not None
                or any(hasattr(response, name) for name in _CSP_PER_VIEW)):
            return super().process_response(request, response)
        policy, report_only = self._static_policies()
        for header, value, setting in ((csp.constants.HEADER, policy, "CONTENT_SECURITY_POLICY"),
                                       (csp.constants.HEADER_REPORT_ONLY, report_only,
                                        "CONTENT_SECURITY_POLICY_REPORT_ONLY")):
            prefixes = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
            if value and header not in response and not request.path_info.startswith(prefixes):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def _static_policies(self) -> tuple[str, str]:
        if not _STATIC_POLICIES:
            _STATIC_POLICIES.extend((csp.utils.build_policy(), csp.utils.build_policy(report_only=True)))
        return _STATIC_POLICIES[0], _STATIC_POLICIES[1]
