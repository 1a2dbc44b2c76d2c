"""The editors' desk in a real browser (issue "Trust", section 4): the publish checklist on a
draft with links to fix each gate, the readiness column of the claims list, the reviewer's comment
at the top of a returned claim and the readable history. Screenshots go to
var/screenshots/admin-claim-checklist.png, admin-claims-list.png, admin-claim-returned.png and
admin-history.png."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from claims import services
from claims.demo import load_demo
from claims.models import Claim
from tests.browser.test_admin import click_and_wait, log_in, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

UNDATED = "Mexico will hold a referendum on the security agreement."
RETURNED_COMMENT = "Link the presidency's transcript as the appearance, not the tweet."


@pytest.fixture
def desk(transactional_db):
    """The demo desk, a draft without a date or evidence, and a claim a reviewer sent back
    (ORM work before the browser starts)."""
    load_demo()
    users = get_user_model().objects
    editor, reviewer = users.get(username="editor"), users.get(username="reviewer")
    undated = services.claim_create(actor=editor, text=UNDATED)
    returned = Claim.objects.filter(status=Claim.Status.IN_REVIEW).first()
    services.claim_request_changes(claim_id=returned.pk, actor=reviewer, comment=RETURNED_COMMENT)
    if returned.author_id != editor.pk:
        services.claim_update(claim_id=returned.pk, actor=editor, assignee=editor)
    services.claim_update(claim_id=undated.pk, actor=editor, analysis="First notes.")
    return {"undated": undated.pk, "returned": returned.pk, "returned_text": returned.text,
            "published": Claim.objects.filter(status=Claim.Status.PUBLISHED).first().pk}


def test_the_desk_shows_readiness_returned_work_and_a_readable_history(desk, live_server, page):
    base = live_server.url
    log_in(page, base, "editor")

    page.goto(f"{base}/admin/claims/claim/")
    readiness = page.locator("td.field-readiness").all_inner_texts()
    assert "✓ ready" in readiness or any("missing" in cell for cell in readiness)
    assert any(cell.endswith("missing") for cell in readiness)
    shoot(page, "claims-list")

    page.goto(f"{base}/admin/claims/claim/{desk['undated']}/change/")
    checklist = page.locator("#publish-checklist")
    assert "missing" in checklist.locator("h3").inner_text()
    date_link = checklist.get_by_role("link", name="The date the claim was made")
    assert date_link.get_attribute("href") == "#id_claim_date"
    date_link.click()
    assert page.url.endswith("#id_claim_date")
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "claim-checklist")

    page.goto(f"{base}/admin/claims/claim/?queue=returned")
    click_and_wait(page, f"#result_list th.field-short_text a[href*='/{desk['returned']}/change/']")
    assert f"/admin/claims/claim/{desk['returned']}/change/" in page.url
    returned = page.locator("#returned")
    assert RETURNED_COMMENT in returned.inner_text()
    assert "Returned for changes by reviewer" in returned.inner_text()
    shoot(page, "claim-returned")

    page.goto(f"{base}/admin/claims/claim/{desk['undated']}/change/")
    click_and_wait(page, "a.historylink >> text=History")
    rows = page.locator("#history tbody tr").all_inner_texts()
    assert "editor" in rows[0] and "changed (claim update)" in rows[0]
    assert "Analysis" in rows[0] and "First notes." in rows[0]
    shoot(page, "history")
