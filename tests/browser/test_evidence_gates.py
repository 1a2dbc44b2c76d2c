"""The reproduced trust bug, in a real browser: a quote typed into the demo article that is not in
its text (saved as Unverified) is cited by a claim whose other evidence is the same article. The
demo reviewer presses Publish and sees every problem listed; records an override with the reason
in the evidence row; after a second source is added, publishes; the public page shows the reason
under the quote. Screenshots go to var/screenshots/evidence-*."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from claims import services
from claims.demo import ARTICLE_URL, NOTES_URL, load_demo
from claims.models import Claim, Rating
from factcheck.actors import SYSTEM
from sources import services as source_services
from sources.models import Person, Source
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_admin import autocomplete, click_and_wait, log_in, messages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TYPED = "Mexico will send its army to Texas"  # not in the article
CLAIM_TEXT = "Sheinbaum threatened to send the Mexican army to Texas."


def shoot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"evidence-{name}.png"), full_page=True)


@pytest.fixture
def reproduced(transactional_db):
    """The demo desk plus the bug report's claim, in review (ORM work before the browser)."""
    load_demo()
    users = {user.username: user for user in get_user_model().objects.all()}
    article = Source.objects.get(url=ARTICLE_URL)
    quote = source_services.quote_create(
        actor=SYSTEM, source=article, speaker=Person.objects.get(slug="claudia-sheinbaum"),
        text=TYPED)
    assert quote.anchor_status == "unverified"
    claim = services.claim_create(
        actor=users["editor"], text=CLAIM_TEXT, claimant=quote.speaker,
        claim_date=Claim.objects.filter(status="published").first().claim_date,
        rating=Rating.objects.get(slug="true"), rating_explanation="She said it.")
    services.evidence_add(claim_id=claim.pk, actor=users["editor"], source=article, quote=quote,
                          relation="appearance")
    services.evidence_add(claim_id=claim.pk, actor=users["editor"], source=article,
                          relation="supports")
    services.claim_submit(claim_id=claim.pk, actor=users["editor"])
    return {"claim": claim.pk, "slug": claim.slug, "notes": Source.objects.get(url=NOTES_URL).pk}


def test_reviewer_sees_every_evidence_problem_overrides_and_publishes(reproduced, live_server, page):
    base = live_server.url
    log_in(page, base, "reviewer")
    page.goto(f"{base}/admin/claims/claim/{reproduced['claim']}/change/")
    gates = page.locator(".fc-gates li").all_inner_texts()
    assert any(f"the quote “{TYPED}”" in item and "is unverified" in item for item in gates)
    assert any("all cite the same source" in item for item in gates)

    click_and_wait(page, "#workflow-publish input[type=submit]")
    [refusal] = messages(page)
    assert refusal.startswith(f"“{CLAIM_TEXT}” was not published: missing: the quote “{TYPED}”")
    assert "is unverified: these words are not in the source's text" in refusal
    assert "the appearance and the other evidence all cite the same source" in refusal
    shoot(page, "refused")

    # The reviewer checked the words elsewhere: an override with the reason, in the evidence row.
    page.fill("#id_evidence-0-anchor_override", "Checked against the broadcast recording.")
    click_and_wait(page, "input[name=_continue]")
    assert any("was changed successfully" in message for message in messages(page))
    assert "Accepted by reviewer: Checked against the broadcast recording." in page.content()
    panel = page.locator("#workflow").inner_text()
    assert "all cite the same source" in panel and "is unverified" not in panel
    shoot(page, "overridden")

    # Evidence from another source than the appearance's; then Publish goes through.
    page.locator("#evidence-group .add-row a").click()
    page.select_option("#id_evidence-2-relation", "supports")
    autocomplete(page, "id_evidence-2-source", "Desk research")
    click_and_wait(page, "input[name=_continue]")
    assert "all cite the same source" not in page.locator("#workflow").inner_text()
    click_and_wait(page, "#workflow-publish input[type=submit]")
    assert messages(page) == [f"“{CLAIM_TEXT}” published."]

    page.goto(f"{base}/claims/{reproduced['slug']}/")
    note = page.locator(".quote__note--checked")
    assert note.inner_text() == ("Not found verbatim in our copy of the source; checked by our "
                                 "reviewer: Checked against the broadcast recording.")
    assert page.get_by_text("We could not find these exact words").count() == 0
    shoot(page, "public-note")
