"""The request id: one per request, on every log line written while it runs and in its response.

``RequestIdMiddleware`` (factcheck/middleware.py) sets it; ``RequestIdFilter`` (installed on the
console handler in settings.LOGGING) copies it onto each log record as ``request_id``, which the
JSON formatter writes out. Outside a request it is ``"-"``.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"
# A client's or proxy's id is kept when it looks like one (so a trace spans the proxy's log too).
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

# The JSON formatter of settings.LOGGING and of gunicorn's error log (python-json-logger).
JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")


def request_id_from(incoming: str | None) -> str:
    """The incoming id when it is sane, else a new random one."""
    if incoming and _ACCEPTABLE.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # django.request logs after the middleware returned, but passes the request along.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id.get()
        return True
