"""How the app is served in production (`make serve`): gunicorn's sizes, its JSON access log and
the start-up check that names every missing production variable.

``factcheck/gunicorn.conf.py`` reads its numbers from here; ``manage.py check_production`` calls
``production_problems``.
"""

from __future__ import annotations

import gc
import json
import os
import time

from gunicorn.glogging import Logger

# Variables a production start needs, and why.
REQUIRED_VARIABLES = {
    "DATABASE_URL": "the PostgreSQL server, e.g. postgres://factcheck:pw@db:5432/factcheck",
    "DJANGO_SECRET_KEY": "a long random secret (at least 50 characters), the same on every app server",
    "DJANGO_ALLOWED_HOSTS": "the host names the site answers to, e.g. factcheck.example.org",
    "DJANGO_HTTPS": "1 behind HTTPS (secure cookies, HSTS, redirect), 0 only on a private network",
    "FACTCHECK_SITE_URL": "the public base URL, e.g. https://factcheck.example.org",
}
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def freeze_startup_heap() -> None:
    """Load the URL configuration (and with it every view module), then move every object alive
    into the garbage collector's permanent generation, so a full collection walks only what
    requests created. Without it, the app's start-up heap (about 190,000 objects) made each full
    collection a 130 ms pause inside some request (docs/scaling.md, "Search at 1,000,000 claims")."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the views)
    gc.freeze()


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def worker_count() -> int:
    """GUNICORN_WORKERS, else one process per CPU (at least 2, so one slow request never stalls
    everything); threads within each do the waiting on the database."""
    return int(os.environ.get("GUNICORN_WORKERS") or max(2, cpu_count()))


def thread_count() -> int:
    return int(os.environ.get("GUNICORN_THREADS") or 4)


def production_problems(environ: dict[str, str], settings, *, workers: int) -> list[str]:
    """Every reason this environment and these settings are not fit for production, one message
    each (empty when all is well). ``settings=None`` checks the environment only."""
    problems = [f"{name} is not set: {why}." for name, why in REQUIRED_VARIABLES.items()
                if not environ.get(name, "").strip()]
    secret = environ.get("DJANGO_SECRET_KEY", "")
    if secret and len(secret) < 50:
        problems.append("DJANGO_SECRET_KEY is too short: use at least 50 random characters.")
    if settings is None:
        return problems
    if settings.DEBUG:
        problems.append("DJANGO_DEBUG is on: unset it (tracebacks would be shown to anyone).")
    backend = settings.CACHES["default"]["BACKEND"]
    if workers > 1 and backend in PER_PROCESS_CACHES:
        problems.append(
            f"The cache ({backend}) is per process but {workers} workers would start: rate limits "
            "and lock-outs would count per process. Unset FACTCHECK_CACHE (the database cache) or "
            "set REDIS_URL."
        )
    return problems


class JsonAccessLogger(Logger):
    """gunicorn's logger with the access log as one JSON object per request, carrying the
    response's X-Request-ID (the id in the app's own log lines)."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        headers = {name.lower(): value for name, value in (resp.headers or [])}
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "message": "request",
            "request_id": headers.get("x-request-id", "-"),
            "remote_addr": environ.get("REMOTE_ADDR", "-"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING", ""),
            "status": int(str(resp.status).split(None, 1)[0]),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": environ.get("HTTP_USER_AGENT", "-"),
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(entry))
        except Exception:  # pragma: no cover - logging must never break a response
            self.exception("access log")


if __name__ == "__main__":
    # `python -m factcheck.serving`: the environment check alone, before Django starts (without
    # DATABASE_URL the settings would start the development database).
    import sys

    missing = production_problems(dict(os.environ), None, workers=worker_count())
    if missing:
        sys.exit("Not ready for production:\n" + "\n".join(f"  - {problem}" for problem in missing))
