"""Pages with inline code of their own, in a real browser under the real Content-Security-Policy:
Swagger UI renders the API from /api/schema/ and the admin's lock-out page shows (a violation
fails the test, see conftest.py)."""

from __future__ import annotations

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


def test_swagger_ui_renders_the_api_under_the_policy(live_server, fresh_cache, page):
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".opblock-summary-path", has_text="/api/v1/claims/").first.wait_for()
    assert page.locator(".opblock").count() > 10


@pytest.fixture
def editor_account(transactional_db):
    return factories.UserFactory(username="locked-ed", groups=["Editor"])


def test_the_lock_out_page_shows_under_the_policy(live_server, editor_account, page, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(3):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "locked-ed")
        page.fill("#id_password", "wrong")
        page.click("input[type=submit]")
    assert page.locator("p.errornote").inner_text().startswith(
        "Too many failed logins for “locked-ed” or from your address")
