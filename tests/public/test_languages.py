"""The public site in the reader's language (README, "Languages of the interface"): Spanish for a
Spanish-speaking browser or after the language switch, English otherwise; dates in the reader's
locale; the page cache, ETags and ``Vary`` kept per language; URLs and machine formats unchanged."""

from __future__ import annotations

import pytest
from django.conf import settings
from lxml import html

from claims import services

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9,en;q=0.5"}


def page(response):
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def text_of(tree, selector: str) -> str:
    return " ".join(" ".join(node.text_content().split()) for node in tree.cssselect(selector))


def test_a_spanish_browser_reads_the_home_page_in_spanish(client, claim_in):
    claim = claim_in("published", claim_date="2025-05-03")
    response = client.get("/", **SPANISH)
    tree = page(response)
    assert tree.get("lang") == "es"
    assert response["Content-Language"] == "es"
    assert text_of(tree, "h1") == "Últimas verificaciones"
    assert text_of(tree, "title").startswith("Últimas verificaciones ·")
    assert text_of(tree, "nav.nav, nav[aria-label='Principal']").startswith("Verificaciones")
    assert text_of(tree, "label[for=search-q]") == "Buscar verificaciones"
    assert text_of(tree, ".card .rating__label") == "Falso"  # the seeded rating, translated
    assert "dijo el 3 de mayo de 2025" in text_of(tree, ".card__meta")
    # The claim itself is data, shown as written and marked with its own language.
    title = tree.cssselect(".card__title a")[0]
    assert title.text_content() == claim.text and title.get("lang") == claim.language


def test_a_spanish_claim_page_has_spanish_headings_rating_and_dates(client, claim_in, other_reviewer):
    claim = claim_in("published", claim_date="2025-05-03")
    services.claim_correct(claim_id=claim.pk, actor=other_reviewer, kind="correction",
                           note="We fixed a figure.")
    tree = page(client.get(claim.get_absolute_url(), **SPANISH))
    assert tree.get("lang") == "es"
    assert text_of(tree, "#verdict-heading") == "Nuestra calificación"
    assert text_of(tree, ".verdict .rating__label") == "Falso"
    assert text_of(tree, "#sources-heading") == "Nuestras fuentes"
    assert text_of(tree, "#corrections-heading") == "Correcciones"
    assert "Corrección" in text_of(tree, ".corrections-log strong")
    assert "3 de mayo de 2025" in text_of(tree, ".claim__meta")
    published = claim.published_at
    months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
              "septiembre", "octubre", "noviembre", "diciembre"]
    assert f"Publicada el {published.day} de {months[published.month - 1]} de {published.year}" in (
        text_of(tree, ".claim__footer"))
    # Machines keep ISO dates and the canonical URL.
    assert tree.cssselect(".claim__footer time")[0].get("datetime").startswith(str(published.year))
    assert tree.cssselect("link[rel=canonical]")[0].get("href") == claim.canonical_url


def test_english_stays_the_default(client, claim_in):
    claim = claim_in("published", claim_date="2025-05-03")
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}):
        tree = page(client.get(claim.get_absolute_url(), **headers))
        assert tree.get("lang") == "en"
        assert text_of(tree, "#verdict-heading") == "Our rating"
        assert "3 May 2025" in text_of(tree, ".claim__meta")


def test_the_switch_keeps_the_choice_in_a_cookie_over_the_browser_language(client, claim_in):
    claim = claim_in("published")
    url = claim.get_absolute_url()
    switch = page(client.get(url)).cssselect("form.language-switch")[0]
    assert switch.get("action") == "/i18n/setlang/" and switch.get("method") == "post"
    assert switch.cssselect("input[name=next]")[0].get("value") == url
    buttons = {b.get("value"): b for b in switch.cssselect("button[name=language]")}
    assert set(buttons) == {"en", "es"}
    assert buttons["en"].get("aria-pressed") == "true" and buttons["es"].get("aria-pressed") == "false"
    assert buttons["es"].text_content() == "Español" and buttons["es"].get("lang") == "es"

    # No CSRF token on the cached page: the switch works without one.
    client.handler.enforce_csrf_checks = True
    response = client.post("/i18n/setlang/", {"language": "es", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    # The cookie wins over an English browser.
    tree = page(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert text_of(tree, "#verdict-heading") == "Nuestra calificación"
    assert tree.cssselect("button[value=es]")[0].get("aria-pressed") == "true"
    # And back to English.
    client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert text_of(page(client.get(url, **SPANISH)), "#verdict-heading") == "Our rating"


def test_the_switch_never_redirects_off_the_site(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_page_cache_keeps_each_language_apart(client, claim_in, django_assert_num_queries):
    claim = claim_in("published")
    url = claim.get_absolute_url()
    english = client.get(url)
    spanish = client.get(url, **SPANISH)
    assert "Our rating" in english.content.decode() and "Nuestra calificación" not in english.content.decode()
    assert "Nuestra calificación" in spanish.content.decode() and "Our rating" not in spanish.content.decode()
    assert english["ETag"] != spanish["ETag"]
    for response in (english, spanish):
        vary = {v.strip().lower() for v in response["Vary"].split(",")}
        assert {"accept-language", "cookie"} <= vary
    # Each language is now served from the cache (the fingerprint query only), still in its own.
    with django_assert_num_queries(1):
        again_es = client.get(url, **SPANISH)
    with django_assert_num_queries(1):
        again_en = client.get(url)
    assert again_es.templates == [] and again_en.templates == []
    assert again_es.content == spanish.content and again_en.content == english.content
    assert again_es["Content-Language"] == "es" and again_en["Content-Language"] == "en"


def test_conditional_requests_answer_per_language(client, claim_in):
    claim = claim_in("published")
    url = claim.get_absolute_url()
    english = client.get(url)
    spanish = client.get(url, **SPANISH)
    assert client.get(url, HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=spanish["ETag"], **SPANISH).status_code == 304
    # A Spanish reader holding the English copy gets the Spanish page, and the reverse.
    crossed = client.get(url, HTTP_IF_NONE_MATCH=english["ETag"], **SPANISH)
    assert crossed.status_code == 200 and "Nuestra calificación" in crossed.content.decode()
    crossed = client.get(url, HTTP_IF_NONE_MATCH=spanish["ETag"])
    assert crossed.status_code == 200 and "Our rating" in crossed.content.decode()


def test_other_public_pages_read_in_spanish(client, claim_in):
    claim = claim_in("published")
    source = claim.evidence.get(relation="appearance").source
    expected = {
        "/ratings/": ("h1", "Nuestras calificaciones"),
        "/corrections/": ("h1", "Correcciones y retractaciones"),
        f"/people/{claim.claimant.slug}/": ("#claims-heading", "Afirmaciones que verificamos"),
        f"/sources/{source.pk}/": ("#snapshot-heading", "Copia del texto"),
        "/?origin=external": ("h1", "De otros verificadores"),
    }
    for url, (selector, heading) in expected.items():
        tree = page(client.get(url, **SPANISH))
        assert text_of(tree, selector) == heading, url
        assert tree.get("lang") == "es"
    ratings = page(client.get("/ratings/", **SPANISH))
    assert "1 verificación calificada como Falso" in text_of(ratings, "#rating-false")
    assert "Mayormente verdadero" in text_of(ratings, "#rating-mostly-true")
    missing = client.get("/no-such-page/", **SPANISH)
    assert missing.status_code == 404 and "Página no encontrada" in missing.content.decode()


def test_a_search_error_reads_in_spanish(client, db):
    tree = page(client.get("/?q=a", **SPANISH))
    assert text_of(tree, ".message--error") == "La búsqueda es demasiado corta."


def test_the_api_and_machine_formats_stay_english(client, claim_in):
    claim = claim_in("published")
    api = client.get("/api/v1/claimreview/feed/", **SPANISH)
    assert api.status_code == 200
    assert "Content-Language" not in api and "accept-language" not in api.get("Vary", "").lower()
    feed = client.get("/feeds/claims.atom").content.decode()
    assert "<title>Latest fact checks</title>" in feed
    assert f"<updated>{claim.updated_at.year}-" in feed or f"<updated>{claim.published_at.year}-" in feed
    sitemap = client.get("/sitemap-claims.xml", **SPANISH).content.decode()
    assert claim.canonical_url in sitemap
