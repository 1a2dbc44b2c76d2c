"""Settings for the benchmark: the app's own settings, pointed at the benchmark database, with
the floors mounted next to the app's URLs and a per-request SQL query count.

Only what a measurement needs differs from production:

- the database is ``factcheck_bench`` (``BENCH_DATABASE_NAME``) on the same server as the app's;
- connections persist (``CONN_MAX_AGE``), as they do in production with ``DATABASE_URL``, so a
  request does not pay for a PostgreSQL backend start (the embedded set-up uses 0);
- the throttles keep running but with rates a benchmark client cannot reach (they would answer
  429 after 120 requests a minute);
- ``DEBUG`` is off whatever the environment says.
"""

import os

from factcheck.settings import *  # noqa: F403
from factcheck.settings import DATABASE_STATEMENT_TIMEOUT, DATABASES, MIDDLEWARE, REST_FRAMEWORK

DEBUG = False
ROOT_URLCONF = "bench.urls"
WSGI_APPLICATION = "bench.wsgi.application"

BENCH_DATABASE_NAME = os.environ.get("BENCH_DATABASE_NAME", "factcheck_bench")
DATABASES["default"]["NAME"] = BENCH_DATABASE_NAME
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False

# Outermost, so it counts every query of the request, middleware included.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

_THROTTLE_SCOPES = {*REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}), "anon"}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(_THROTTLE_SCOPES, "1000000/s"),
}

# One gunicorn worker: its rate-limit counters need no sharing, and the floors have no throttle
# (production's shared database cache would add its queries to every API request measured).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Building the dataset runs statements longer than production's time-out allows.
DATABASES["default"]["OPTIONS"]["options"] = DATABASES["default"]["OPTIONS"]["options"].replace(
    f"statement_timeout={DATABASE_STATEMENT_TIMEOUT}", "statement_timeout=0")
