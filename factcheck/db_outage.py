"""What a request answers while the database is unreachable: 503 with Retry-After, never a 500.

The database settings bound how long that takes to find out (``DATABASE_CONNECT_TIMEOUT``,
``DATABASE_STATEMENT_TIMEOUT``). The API's exception handler and the site-wide 500 handler
(factcheck/api/errors_views.py) both ask ``is_database_unavailable`` first.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError

logger = logging.getLogger("factcheck.db_outage")

UNAVAILABLE_CODE = "service_unavailable"
UNAVAILABLE_MESSAGE = "The service is temporarily unavailable; try again shortly."


def is_database_unavailable(exc: BaseException | None) -> bool:
    """True for errors meaning "the database cannot answer now": it cannot be reached, the
    connection broke, or a statement ran past its time-out (``OperationalError`` covers all
    three in Django's wrapping of psycopg)."""
    return isinstance(exc, OperationalError | InterfaceError)


def retry_after() -> str:
    return str(settings.FACTCHECK_OUTAGE_RETRY_AFTER)


def log_outage(exc: BaseException) -> None:
    logger.warning("database unavailable: %s: %s", type(exc).__name__, str(exc).strip()[:300])
