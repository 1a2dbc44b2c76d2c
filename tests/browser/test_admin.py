"""The editors' admin in a real browser — issue 2's "done means": the demo editor creates a claim
with evidence (source and quote picked with the autocomplete) and submits it, the demo reviewer
publishes it. On the way, the evidence row's quote autocomplete: it offers only the chosen source's
quotes, forgets a quote when the source changes, and shows a saved quote when the page reopens.
Screenshots go to var/screenshots/admin-*."""

from __future__ import annotations

import time

import pytest

from claims.demo import ARTICLE_URL, load_demo
from claims.models import Claim
from sources.models import Source
from tests import factories
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLAIM_TEXT = "Sheinbaum said Mexico will not accept U.S. troops on its territory."


def shoot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"admin-{name}.png"), full_page=True)


def log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", username)  # the demo users' passwords are their names
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def autocomplete(page, select_id: str, term: str = "") -> list[str]:
    """Open a select2 autocomplete, type ``term``, pick the first result; return every result.

    The list is read only once it shows what the server answered to the last request: until
    select2 renders the answer, it still shows the previous results (a slow machine makes that
    window long)."""
    with page.expect_response(lambda response: "/admin/autocomplete/" in response.url) as answer:
        page.locator(f"#{select_id} + .select2 .select2-selection").click()
    if term:
        with page.expect_response(lambda response: "/admin/autocomplete/" in response.url
                                  and "term=" in response.url) as answer:
            page.locator(".select2-container--open .select2-search__field").fill(term)
    expected = [item["text"] for item in answer.value.json()["results"]]
    results = page.locator(".select2-container--open .select2-results__option:not(.loading-results)")
    deadline = time.monotonic() + 15
    while results.all_inner_texts() != expected and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    texts = results.all_inner_texts()
    assert texts == expected, (texts, expected)
    results.first.click()
    return texts


def click_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def messages(page) -> list[str]:
    return page.locator(".messagelist li").all_inner_texts()


@pytest.fixture
def desk(transactional_db):
    """The demo desk plus a second source with a quote (ORM work before the browser starts)."""
    load_demo()
    other_quote = factories.QuoteFactory(
        text="We will build 7 bridges", speaker=factories.PersonFactory(name="The Mayor"),
        source=factories.SourceFactory(title="Bridges for the river towns",
                                       content='The mayor said "We will build 7 bridges" on Monday.'),
    )
    demo_source = Source.objects.get(url=ARTICLE_URL)
    return {"demo_quotes": demo_source.quotes.count(), "other_quote": str(other_quote)}


def test_editor_creates_and_submits_a_claim_with_evidence_and_the_reviewer_publishes_it(
    desk, live_server, page
):
    base = live_server.url
    log_in(page, base, "editor")
    page.goto(f"{base}/admin/claims/claim/add/")
    page.fill("#id_text", CLAIM_TEXT)
    autocomplete(page, "id_claimant", "Sheinb")
    page.fill("#id_claim_date", "2025-05-03")
    page.select_option("#id_rating", label="True")
    page.fill("#id_rating_explanation", "She said so at her morning press conference.")
    # A new claim comes with the two evidence rows it needs to be publishable.
    page.select_option("#id_evidence-0-relation", "appearance")
    # A quote picked for one source is cleared when the row's source changes.
    autocomplete(page, "id_evidence-0-source", "Bridges")
    assert autocomplete(page, "id_evidence-0-quote") == [desk["other_quote"]]
    autocomplete(page, "id_evidence-0-source", "Sovereignty")
    assert page.locator("#id_evidence-0-quote").input_value() == ""
    quotes = autocomplete(page, "id_evidence-0-quote")
    # Only the chosen source's quotes are offered, not the other source's.
    assert len(quotes) == desk["demo_quotes"] and desk["other_quote"] not in quotes
    # The other evidence must come from another source than the appearance (a publish gate).
    page.select_option("#id_evidence-1-relation", "supports")
    autocomplete(page, "id_evidence-1-source", "Desk research")
    shoot(page, "add-claim")
    click_and_wait(page, "input[name=_continue]")
    assert any("was added successfully" in message for message in messages(page))
    # The saved quote is shown again (and so posted again unchanged by the next save).
    assert page.locator("#id_evidence-0-quote option:checked").inner_text() == quotes[0]

    click_and_wait(page, "#workflow-submit input[type=submit]")
    assert messages(page) == [f"“{CLAIM_TEXT}” submitted for review."]
    assert page.locator("#workflow-publish").count() == 0  # an editor has no publish button
    claim_url = page.url

    log_in(page, base, "reviewer")
    page.goto(f"{base}/admin/claims/claim/?queue=to_review")
    assert page.get_by_role("link", name=CLAIM_TEXT).count() == 1
    page.goto(claim_url)
    click_and_wait(page, "#workflow-publish input[type=submit]")
    assert messages(page) == [f"“{CLAIM_TEXT}” published."]
    shoot(page, "published-claim")


@pytest.fixture
def admin_pages(desk):
    """The pages to measure (ORM reads before the browser starts)."""
    claim_id = Claim.objects.order_by("pk").values_list("pk", flat=True).first()
    source_id = Source.objects.order_by("pk").values_list("pk", flat=True).first()
    return {"claims list": "/admin/claims/claim/", "claim page": f"/admin/claims/claim/{claim_id}/change/",
            "source page": f"/admin/sources/source/{source_id}/change/"}


@pytest.mark.parametrize("where", ["claims list", "claim page", "source page"])
def test_the_admin_fits_a_1280_px_window_with_the_sidebar_open(admin_pages, live_server, page, where):
    """No sideways scrolling at 1280×800 with the navigation sidebar open."""
    page.set_viewport_size({"width": 1280, "height": 800})
    base = live_server.url
    log_in(page, base, "editor")
    page.goto(base + admin_pages[where])
    if page.locator("#nav-sidebar").is_hidden():
        page.click("#toggle-nav-sidebar")
    page.locator("#nav-sidebar").wait_for(state="visible")
    shoot(page, f"1280-{where.replace(' ', '-')}")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{where}: {widths[0]} px wide in a {widths[1]} px window"


def test_an_editor_saves_the_claims_lists_search(desk, live_server, page):
    """"Save this search" takes the list's filters to a small form; a filter without an API
    equivalent is named there and kept out only once the editor agrees."""
    base = live_server.url
    log_in(page, base, "editor")
    page.goto(f"{base}/admin/claims/claim/?status__exact=draft&queue=mine")
    click_and_wait(page, "#fc-save-search")
    assert page.locator("#fc-api-query").inner_text() == "status=draft"
    assert "queue=mine" in page.locator("#fc-untranslated").inner_text()
    page.fill("#id_name", "My drafts")
    page.check("#id_without_untranslated")
    shoot(page, "save-this-search")
    click_and_wait(page, "input[type=submit][value='Save the search']")
    assert messages(page) == ["Saved the search “My drafts”."]
    assert page.locator("a", has_text="Export CSV").count() == 1
