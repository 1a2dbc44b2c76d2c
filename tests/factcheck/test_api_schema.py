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
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.services import api_token_create
from factcheck.wsgi import application
from sources import importing
from sources.fetch import FetchedPage
from tests.conftest import bring_to, make_ready_claim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

# Every built-in check runs, named explicitly (so a configuration default cannot quietly drop one)
# except ``positive_data_acceptance`` ("schema-valid input must get a 2xx"). It is off on purpose:
# much schema-valid input is rightly refused by this API — an opaque cursor Hypothesis invents
# (forged → 400), a filter naming an object that does not exist or is private (rating=xyz → 400,
# never a silently ignored filter), ordering=relevance without q (400), a write whose If-Match is
# any string but the current ETag (412), an id in the path that does not exist (404), a workflow
# transition from the wrong state (409). Those answers are documented and their bodies are still
# checked against the schema by the other checks.
load_all_checks()
CHECKS_RUN = [check for check in CHECKS.get_all() if check is not positive_data_acceptance]
MAX_EXAMPLES = 4  # per operation and caller: the whole file must stay well under a minute or two

HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(HealthCheck),
)


ARTICLE = (b"<html><head><title>Bridges</title></head><body><article><h1>Bridges</h1>"
           b"<p>The mayor said &ldquo;we will build bridges&rdquo; on Monday.</p></article></body></html>")


def fetch_without_network(url: str, **kwargs) -> FetchedPage:
    """The suite never reaches the network: POST /sources/import/ gets this page for any URL."""
    return FetchedPage(url=url, content_type="text/html", body=ARTICLE, charset="utf-8")


@pytest.fixture
def api_schema(editor, reviewer, monkeypatch):
    monkeypatch.setattr(importing, "fetch_url", fetch_without_network)
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


def run_every_operation(schema, *, methods: set[str], headers=None) -> list[str]:
    """Run each operation's property; return a description of every failing operation.
    ``headers``: a dict, or a callable giving each call its own headers."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() not in methods:
            continue

        @given(case=operation.as_strategy())
        @HYPOTHESIS
        def check(case):
            case.call_and_validate(headers=headers() if callable(headers) else headers, checks=CHECKS_RUN)

        try:
            check()
        except Exception as exc:  # noqa: BLE001 — collect every operation's failure, then report
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:800]}")
    return failures


def test_anonymous_reads_conform_to_the_schema(api_schema):
    assert run_every_operation(api_schema, methods={"GET"}) == []


def test_editor_calls_conform_to_the_schema(api_schema, editor):
    def fresh_token() -> dict:
        # A token of its own for every call: a generated DELETE /tokens/{id}/ (If-Match: *) may
        # revoke the token it names, which must not turn every later call into a 401. Hypothesis
        # draws ids from the code's own constants, so which id it names moves with the code.
        token = api_token_create(actor=editor, name="schemathesis", scope="write").raw
        return {"Authorization": f"Bearer {token}"}

    failures = run_every_operation(api_schema, methods={"GET", "POST", "PUT", "PATCH", "DELETE"},
                                   headers=fresh_token)
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


def test_swagger_ui_is_served_from_our_own_static_files(client):
    """/api/docs/ loads no asset from a CDN: every script, style and icon is a local static file."""
    import re

    from django.conf import settings as django_settings
    from django.contrib.staticfiles import finders

    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets), assets
    assert "://" not in " ".join(assets) and "cdn" not in html.lower()
    for asset in assets:
        assert asset.startswith(django_settings.STATIC_URL), asset
        assert finders.find(asset.removeprefix(django_settings.STATIC_URL)), asset
