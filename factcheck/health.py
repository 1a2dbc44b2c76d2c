"""``/healthz`` (the process answers) and ``/readyz`` (it can serve: database, cache, job queue).

Answered by ``HealthCheckMiddleware`` near the top of the stack, before the Host check and the
HTTPS redirect: load balancers probe by IP address and over plain HTTP, and a probe needs no
session, CSRF or CSP. ``/readyz`` runs every check in ``settings.FACTCHECK_READINESS_CHECKS`` (dotted
paths of functions that raise when their dependency is not usable); the job queue adds its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.module_loading import import_string

from factcheck import db_outage

logger = logging.getLogger("factcheck.health")

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"


def check_database() -> None:
    """One round trip to PostgreSQL (bounded by DATABASE_CONNECT/STATEMENT_TIMEOUT)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        connection.close()  # the next probe reconnects instead of reusing a broken connection
        raise


def check_cache() -> None:
    """The shared cache answers (rate limits and lock-outs live in it)."""
    cache.set("factcheck:readyz", "ok", 10)
    if cache.get("factcheck:readyz") != "ok":
        raise RuntimeError("the cache did not return what was just stored")


def check_name(path: str) -> str:
    return path.rsplit(".", 1)[-1].removeprefix("check_")


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """200 when every readiness check passes, else 503 naming the failing ones."""
    results: dict[str, str] = {}
    for path in settings.FACTCHECK_READINESS_CHECKS:
        check: Callable[[], None] = import_string(path)
        try:
            check()
            results[check_name(path)] = "ok"
        except Exception as exc:
            logger.warning("readiness check %s failed: %s: %s", path, type(exc).__name__, exc)
            results[check_name(path)] = f"failed: {type(exc).__name__}"
    ready = all(value == "ok" for value in results.values())
    headers = None if ready else {"Retry-After": db_outage.retry_after()}
    return JsonResponse({"status": "ready" if ready else "unavailable", "checks": results},
                        status=200 if ready else 503, headers=headers)


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in {"GET", "HEAD"}:
            path = request.path_info.rstrip("/")
            if path == HEALTH_PATH:
                return healthz(request)
            if path == READY_PATH:
                return readyz(request)
        return self.get_response(request)
