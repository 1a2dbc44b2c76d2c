"""The public site for a Spanish-speaking reader, in a real browser (Chromium set to es-ES): the
home page and a fact check read in Spanish — headings, rating, dates — pass axe-core, and the
language switch (keyboard only) brings the reader back to English, which the next pages keep.
Screenshots go to var/screenshots/ (es-*.png)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from claims.demo import load_demo
from claims.models import Claim
from tests.browser.test_public_site import assert_accessible, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre"]


@pytest.fixture
def demo_claim(transactional_db):
    """The demo newsroom; one of our published checks (loaded before the browser starts)."""
    load_demo()
    claim = (Claim.objects.filter(status="published", external_review_url="")
             .select_related("rating").order_by("id").first())
    return {"url": claim.get_absolute_url(), "text": claim.text, "rating": claim.rating.slug,
            "published": claim.published_at}


def test_a_spanish_reader_reads_the_site_in_spanish_and_switches_to_english(
        live_server, demo_claim, spanish_page):
    page = spanish_page
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Últimas verificaciones"
    assert page.get_by_label("Buscar verificaciones").is_visible()
    navigation = page.get_by_role("navigation", name="Principal")
    assert navigation.get_by_role("link", name="Calificaciones").is_visible()
    assert "verificada el" in page.locator(".card__meta").first.inner_text()
    shoot(page, "es-home")
    assert_accessible(page)

    page.goto(live_server.url + demo_claim["url"])
    assert demo_claim["text"] in page.locator("h1").inner_text()
    assert page.locator("#verdict-heading").text_content() == "Nuestra calificación"
    assert page.locator("#sources-heading").text_content() == "Nuestras fuentes"
    spanish_labels = {"true": "Verdadero", "mostly-true": "Mayormente verdadero",
                      "half-true": "Verdad a medias", "mostly-false": "Mayormente falso", "false": "Falso",
                      "misleading": "Engañoso", "unproven": "Sin pruebas"}
    assert page.locator(".verdict .rating__label").inner_text() == spanish_labels[demo_claim["rating"]]
    published = demo_claim["published"]
    footer = page.locator(".claim__footer").inner_text()
    assert f"Publicada el {published.day} de {MONTHS[published.month - 1]} de {published.year}" in footer
    shoot(page, "es-claim")
    assert_accessible(page)

    # The switch, by keyboard: focus "English", press Enter; the same page comes back in English.
    english = page.get_by_role("button", name="English")
    assert english.get_attribute("aria-pressed") == "false"
    english.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused switch shows its focus"
    # The switch posts and comes back to the same URL: wait for the English page itself.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == live_server.url + demo_claim["url"]
    assert page.locator("#verdict-heading").text_content() == "Our rating"
    assert page.get_by_role("button", name="English").get_attribute("aria-pressed") == "true"
    shoot(page, "es-switched-to-english")
    # The choice is kept (a cookie) although the browser still asks for Spanish.
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Latest fact checks"
