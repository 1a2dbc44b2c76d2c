"""gunicorn configuration for `make serve` (gunicorn -c factcheck/gunicorn.conf.py factcheck.wsgi).

Sizes come from the CPU count (factcheck/serving.py; GUNICORN_WORKERS / GUNICORN_THREADS override).
A worker silent for `timeout` seconds is killed and replaced; SIGHUP or SIGTERM let requests in
flight finish for `graceful_timeout` seconds. Workers are recycled after about 2,000 requests
(jittered, so they do not all restart at once). Logs: JSON lines on stderr.
"""

import os

from factcheck.log import JSON_FORMATTER
from factcheck.serving import JsonAccessLogger, thread_count, worker_count

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104
workers = worker_count()
threads = thread_count()
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 25
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# Above the app's own header limit (FACTCHECK_MAX_HEADER_BYTES, 8 KiB), so an oversize header gets
# the app's 431 in the API's error shape; past 16 KiB gunicorn answers 431 itself (an HTML body).
limit_request_line = 8190
limit_request_field_size = 16384
limit_request_fields = 100
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No gunicornc control socket: a second server on the machine (bench, another app) would share it.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
logger_class = JsonAccessLogger
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": JSON_FORMATTER,
        # The access logger's message is already a JSON object.
        "raw": {"format": "%(message)s"},
    },
    "handlers": {
        "error_console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        "access_console": {"class": "logging.StreamHandler", "formatter": "raw", "stream": "ext://sys.stdout"},
    },
    "root": {"level": "INFO", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access_console"], "propagate": False},
    },
}


def on_starting(server):
    """Refuse to start several workers on a per-process cache (rate limits would not add up)."""
    import django
    from django.conf import settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    django.setup()
    from factcheck.serving import PER_PROCESS_CACHES

    backend = settings.CACHES["default"]["BACKEND"]
    if server.cfg.workers > 1 and backend in PER_PROCESS_CACHES:
        raise SystemExit(f"factcheck: refusing to start {server.cfg.workers} workers on a per-process "
                         f"cache ({backend}); unset FACTCHECK_CACHE or set REDIS_URL.")
