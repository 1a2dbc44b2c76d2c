"""Schemathesis against /api/schema/, in-process: no server errors and no response that breaks the
schema, for an anonymous client and for an editor (drf-spectacular schema, factcheck/api/).

Driven with Hypothesis directly (one small property per operation) rather than through the
schemathesis pytest plugin, so it runs inside pytest-django's transaction like any other test.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.services import api_token_create
from factcheck.wsgi import application
from tests.conftest import bring_to, make_ready_claim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

# Opaque cursors and filters naming objects that do not exist are schema-valid strings the API
# rightly answers with 400, so "schema-valid data must be accepted" does not apply; every other
# check does (no 5xx, documented status codes, content types, headers, response schemas, auth).
MAX_EXAMPLES = 4  # per operation and caller: the whole file must stay well under a minute or two

HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_schema(editor, reviewer):
    # Something to find: a published claim with evidence, quotes, people, sources, outlets.
    bring_to(make_ready_claim(editor), "published", author=editor, reviewer=reviewer)
    # Calling the WSGI app directly (unlike Django's test client) would close the test's
    # connection at the end of each request, and with it the test transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def run_every_operation(schema, *, methods: set[str], headers: dict | None = None) -> list[str]:
    """Run each operation's property; return a description of every failing operation."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() not in methods:
            continue

        @given(case=operation.as_strategy())
        @HYPOTHESIS
        def check(case):
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        try:
            check()
        except Exception as exc:  # noqa: BLE001 — collect every operation's failure, then report
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:800]}")
    return failures


def test_anonymous_reads_conform_to_the_schema(api_schema):
    assert run_every_operation(api_schema, methods={"GET"}) == []


def test_editor_calls_conform_to_the_schema(api_schema, editor):
    token = api_token_create(actor=editor, name="schemathesis", scope="write").raw
    failures = run_every_operation(api_schema, methods={"GET", "POST", "PUT", "PATCH", "DELETE"},
                                   headers={"Authorization": f"Bearer {token}"})
    assert failures == []


def test_every_filter_is_a_documented_parameter(client):
    """Every FilterSet parameter of every list (including the Google aliases) is in the schema;
    the FilterSets' cached form classes (factcheck/api/filtering.py) do not hide any."""
    from claims.filters import ClaimFilter
    from sources.filters import OutletFilter, PersonFilter, QuoteFilter, SourceFilter

    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    for path, filterset in (("/api/v1/claims/", ClaimFilter), ("/api/v1/sources/", SourceFilter),
                            ("/api/v1/quotes/", QuoteFilter), ("/api/v1/people/", PersonFilter),
                            ("/api/v1/outlets/", OutletFilter)):
        documented = {p["name"] for p in paths[path]["get"]["parameters"] if p["in"] == "query"}
        assert set(filterset.base_filters) <= documented, (path, set(filterset.base_filters) - documented)
        assert {"cursor", "page_size"} <= documented, path
