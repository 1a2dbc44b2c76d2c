"""The public site in a real browser: a reader searches, opens a fact check, sees its rating and
the highlighted quotes, and follows a source. Every page passes axe-core's WCAG 2.1 A/AA rules
(language, landmarks, headings, alt text, contrast) and our own checks of the rules axe cannot
see (one h1, visible focus, a rating never shown by colour alone). Screenshots go to
var/screenshots/."""

from __future__ import annotations

import pytest

from claims.demo import load_demo
from claims.models import Claim
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def assert_accessible(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    assert page.locator("h1").count() == 1, "every page has exactly one h1"
    assert page.locator("html").get_attribute("lang")
    assert page.locator("main").count() == 1 and page.locator("header").count() >= 1
    for image in page.locator("img").all():
        assert image.get_attribute("alt") is not None


def assert_focus_visible(page) -> None:
    """Tabbing shows where the focus is: the skip link appears, then links get an outline."""
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert outline[0] != "none" and outline[1] >= 2, outline


def shoot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def demo_urls(transactional_db):
    """The demo data, loaded before the browser starts (ORM calls stay outside Playwright's loop)."""
    load_demo()
    return {
        "retracted": Claim.objects.get(status="retracted").get_absolute_url(),
        "corrected": Claim.objects.filter(status="published", corrections__isnull=False)
        .first().get_absolute_url(),
    }


def test_reader_searches_opens_a_claim_and_follows_a_source(live_server, demo_urls, page):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Latest fact checks"
    shoot(page, "home")
    assert_accessible(page)
    assert_focus_visible(page)
    page.evaluate("document.activeElement.blur()")  # the focus test left an outline on the logo
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "home-mobile")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    page.set_viewport_size({"width": 1200, "height": 900})

    page.get_by_label("Search fact checks").fill("troops")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/?q=troops**")
    results = page.locator("article.card")
    assert results.count() == 1
    shoot(page, "search")

    results.first.get_by_role("link").first.click()
    page.wait_for_url("**/claims/**")
    assert "Donald Trump proposed sending U.S. military troops" in page.locator("h1").inner_text()
    badge = page.locator(".verdict .rating")
    assert badge.inner_text().strip().endswith("True")  # the label, not only a colour
    marks = page.locator(".sources mark")
    assert marks.count() >= 1
    highlighted = " ".join(marks.all_inner_texts())
    assert "What can we help you with to fight drug trafficking?" in highlighted
    assert page.locator('script[type="application/ld+json"]').count() == 1
    shoot(page, "claim")
    assert_accessible(page)

    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "claim-mobile")
    page.set_viewport_size({"width": 1200, "height": 900})

    page.get_by_role("link", name="see it in the source").first.click()
    page.wait_for_url("**/sources/**")
    assert page.locator(".snapshot mark").count() >= 2
    assert page.locator(".snapshot [id^=quote-]").count() >= 2
    shoot(page, "source")
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "source-mobile")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"


def test_every_public_page_is_accessible(live_server, demo_urls, page):
    pages = {
        "retracted": demo_urls["retracted"],
        "corrected": demo_urls["corrected"],
        "person": "/people/claudia-sheinbaum/",
        "ratings": "/ratings/",
        "corrections": "/corrections/",
        "not-found": "/claims/no-such-claim/",
    }
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == (404 if name == "not-found" else 200), path
        shoot(page, name)
        assert_accessible(page)
    page.goto(live_server.url + demo_urls["retracted"])
    assert page.get_by_role("heading", name="This fact check was retracted").is_visible()


IMPORTED_REVIEW = """{"@context": "https://schema.org", "@type": "ClaimReview",
 "url": "https://sciencewatch.example/reviews/vaccine-microchips/",
 "claimReviewed": "Vaccines contain tracking microchips.", "datePublished": "2024-03-10",
 "author": {"@type": "Organization", "name": "Example Science Watch", "url": "https://sciencewatch.example/"},
 "reviewRating": {"@type": "Rating", "alternateName": "False",
                  "ratingExplanation": "No vaccine contains any electronic component."},
 "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A. Blogger"},
                  "datePublished": "2024-03-01"}}"""


@pytest.fixture
def imported_review_url(demo_urls):
    """The demo plus one review imported from another fact-checker."""
    from claims.claimreview_import import claimreview_import
    from factcheck.actors import SYSTEM

    result = claimreview_import(actor=SYSTEM, content=IMPORTED_REVIEW)
    return result.created[0].get_absolute_url()


def test_imported_review_says_whose_verdict_it_is(live_server, imported_review_url, page):
    page.goto(live_server.url + imported_review_url)
    verdict = page.locator(".verdict")
    assert page.locator(".verdict__external").inner_text() == "Rated False by Example Science Watch"
    assert page.get_by_role("link", name="Example Science Watch").first.get_attribute("href") == (
        "https://sciencewatch.example/reviews/vaccine-microchips/")
    assert "10 March 2024" in verdict.inner_text()
    assert "our rating" not in page.locator("main").inner_text().lower()  # headings are upper-cased
    shoot(page, "imported-review")
    assert_accessible(page)

    page.goto(live_server.url + "/")
    titles = page.locator(".card__title").all_inner_texts()
    assert "Vaccines contain tracking microchips." not in titles
    page.get_by_role("link", name="From other fact-checkers").click()
    page.wait_for_url("**/?origin=external")
    assert page.locator("h1").inner_text() == "From other fact-checkers"
    assert page.locator(".card__title").all_inner_texts() == ["Vaccines contain tracking microchips."]
    assert "by Example Science Watch" in page.locator(".card__rating").inner_text()
    shoot(page, "other-fact-checkers")
    assert_accessible(page)


def test_retracted_claim_leads_with_retracted_and_a_neutral_badge(live_server, demo_urls, page):
    page.goto(live_server.url + demo_urls["retracted"])
    assert page.title().startswith("Retracted: ")
    badge = page.locator(".verdict .rating")
    assert "rating--withdrawn" in badge.get_attribute("class")
    background = badge.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(255, 255, 255)", background  # neither green nor red
    heading = page.locator("h1").inner_text()
    assert not heading.startswith("“") and not heading.endswith("”")
    shoot(page, "retracted-neutral")
    page.goto(live_server.url + "/")
    card = page.locator(".card--retracted").first
    assert card.locator(".card__rating").inner_text().startswith("RETRACTED")  # CSS upper-cases the tag
    card_badge = card.locator(".rating").evaluate("el => getComputedStyle(el).backgroundColor")
    assert card_badge == "rgb(255, 255, 255)", card_badge
