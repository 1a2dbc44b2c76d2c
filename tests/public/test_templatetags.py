"""public/templatetags/public_site.py: what a claim's page and its shared links are titled, the
home page's filter options, and a claim's card and rating badge (built in Python)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation
from lxml import html

from claims.models import Claim, Rating
from public.templatetags.public_site import (
    claim_card,
    claim_title,
    filter_options,
    rating_badge,
    share_description,
)
from sources.models import Person

RATED = SimpleNamespace(label="False", slug="false")


@pytest.fixture(autouse=True)
def _english():
    """The labels are translated: English here, whatever an earlier test left active."""
    with translation.override("en"):
        yield


def claim(**fields):
    values = {"status": "published", "rating": RATED, "is_external": False,
              "text": "The bridge cost " + "a lot " * 30, "rating_explanation": "It did not. " * 30}
    return SimpleNamespace(**{**values, **fields})


def test_the_title_leads_with_the_verdict_and_cuts_only_the_text():
    checked = claim()
    assert claim_title(checked) == f"False: {checked.text}"
    assert claim_title(checked, 70) == f"False: {checked.text[:69]}…"


def test_the_title_of_a_retracted_claim_leads_with_retracted_and_an_unrated_one_with_the_text():
    assert claim_title(claim(status="retracted"), 20).startswith("Retracted: The bridge cost")
    assert claim_title(claim(rating=None, text="Short.")) == "Short."


def test_the_shared_description_is_the_explanation_or_the_retraction():
    checked = claim()
    assert share_description(checked) == checked.rating_explanation
    assert share_description(checked, 200) == checked.rating_explanation[:199] + "…"
    assert share_description(claim(status="retracted"), 20) == (
        "This fact check was retracted; its rating no longer stands.")


def test_filter_options_escape_names_and_mark_the_selected_one():
    people = [SimpleNamespace(slug="ana", name="Ana <b>& co</b>"), SimpleNamespace(slug="bo", name="Bo")]
    assert str(filter_options(people, "bo")) == (
        '<option value="ana">Ana &lt;b&gt;&amp; co&lt;/b&gt;</option>'
        '<option value="bo" selected>Bo</option>')


def test_filter_options_kept_per_process_mark_only_the_selected_one_each_time():
    topics = [SimpleNamespace(slug=slug, name=slug.title()) for slug in ("a-b", "a", 'q"x')]
    marked = [str(filter_options(topics, selected)) for selected in ("a", 'q"x', "", "missing", "a")]
    assert [markup.count(" selected") for markup in marked] == [1, 1, 0, 0, 1]
    assert '<option value="a" selected>A</option>' in marked[0] and marked[0] == marked[4]
    assert '<option value="q&quot;x" selected>Q&quot;X</option>' in marked[1]
    assert marked[2] == marked[3] == ('<option value="a-b">A-B</option><option value="a">A</option>'
                                      '<option value="q&quot;x">Q&quot;X</option>')


def test_filter_options_show_ratings_in_the_readers_language():
    with translation.override("es"):
        assert str(filter_options([RATED], "", rating_labels=True)) == '<option value="false">Falso</option>'


def card(**fields) -> html.HtmlElement:
    values = {"id": 7, "slug": "the-bridge", "text": "The bridge cost <twice> & more", "status": "published",
              "rating": Rating(slug="false", label="False"), "is_external": False, "language": "en",
              "claimant": Person(name="Ana <b>", slug="ana"), "claim_date": dt.date(2025, 5, 3),
              "published_at": dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC),
              "rating_explanation": "It did not."}
    return html.fragment_fromstring(str(claim_card(Claim(**{**values, **fields}), 3)))


def words(element) -> str:
    return " ".join(element.text_content().split())


def test_a_card_shows_the_verdict_the_text_who_said_it_and_when_it_was_checked():
    article = card()
    assert article.get("class") == "card"
    assert words(article.cssselect(".card__rating")[0]) == "✗ False"
    link = article.cssselect("h3.card__title a")[0]
    assert (link.get("href"), link.get("lang"), link.text) == ("/claims/the-bridge/", "en",
                                                               "The bridge cost <twice> & more")
    meta = article.cssselect(".card__meta")[0]
    assert words(meta) == "Ana <b>, said on 3 May 2025 · checked 2 January 2026"
    assert meta.cssselect("a")[0].get("href") == "/people/ana/"
    assert [t.get("datetime") for t in meta.cssselect("time")] == ["2025-05-03", "2026-01-02T03:04:00+00:00"]
    assert words(article.cssselect(".card__explanation")[0]) == "It did not."


def test_a_card_escapes_what_it_shows():
    markup = str(claim_card(Claim(id=1, slug="x", text="<script>alert(1)</script>", status="published",
                                  rating=None, claimant=Person(name="<img src=x>", slug="p"),
                                  published_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
                                  rating_explanation="a & b"), 2))
    assert "<script>" not in markup and "<img" not in markup
    assert "&lt;script&gt;" in markup and "a &amp; b" in markup


def test_a_retracted_card_withdraws_its_verdict_and_an_external_one_names_its_publisher():
    retracted = card(status="retracted")
    assert retracted.get("class") == "card card--retracted"
    assert words(retracted.cssselect(".card__rating")[0]) == "Retracted rating withdrawn: ⊘ False"
    assert retracted.cssselect(".rating")[0].get("class") == "rating rating--withdrawn"
    reviewed = dt.datetime(2024, 3, 10, 12, tzinfo=dt.UTC)
    external = card(is_external=True, external_publisher_name="Science & Watch",
                    external_reviewed_at=reviewed)
    assert external.get("class") == "card card--external"
    assert words(external.cssselect(".card__rating")[0]) == "Rated ✗ False by Science & Watch"
    assert words(external.cssselect(".card__meta")[0]).endswith(
        "reviewed by Science & Watch on 10 March 2024")
    undated = card(is_external=True, external_publisher_name="", external_publisher_site="watch.example")
    assert words(undated.cssselect(".card__meta")[0]).endswith("· reviewed by watch.example")


def test_a_card_leaves_out_what_the_claim_lacks():
    bare = card(claimant=None, claim_date=None, rating=None, rating_explanation="", language="",
                text="Short.")
    assert words(bare.cssselect(".card__rating")[0]) == ""
    assert words(bare.cssselect(".card__meta")[0]) == "· checked 2 January 2026"
    assert bare.cssselect(".card__title a")[0].get("lang") == "en"
    assert not bare.cssselect(".card__explanation")


def test_a_card_is_in_the_readers_language_and_time_zone():
    late = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)  # still 1 January in Mexico City
    with translation.override("es"), timezone.override("America/Mexico_City"):
        article = card(published_at=late, language="es")
    assert words(article.cssselect(".card__rating")[0]) == "✗ Falso"
    assert words(article.cssselect(".card__meta")[0]) == (
        "Ana <b>, dijo el 3 de mayo de 2025 · verificada el 1 de enero de 2026")
    assert article.cssselect(".card__meta time")[1].get("datetime") == "2026-01-01T21:04:00-06:00"
    assert article.cssselect(".card__explanation")[0].get("lang") == "es"


def test_the_phrases_and_days_kept_per_process_are_kept_per_language():
    """The card keeps its phrases and formatted days per process (``_translated``, ``_day``): the
    same day, English then Spanish then English again, is each language's own."""
    checked = dt.datetime(2026, 2, 3, 12, tzinfo=dt.UTC)
    metas = []
    for language in ("en", "es", "en"):
        with translation.override(language):
            metas.append(words(card(published_at=checked, claimant=None, claim_date=None)
                               .cssselect(".card__meta")[0]))
    assert metas == ["· checked 3 February 2026", "· verificada el 3 de febrero de 2026",
                     "· checked 3 February 2026"]


def test_the_rating_badge_sizes_and_withdraws():
    rating = Rating(slug="mostly-true", label="Mostly true")
    badge = html.fragment_fromstring(str(rating_badge(rating, "large")))
    assert badge.get("class") == "rating rating--mostly-true rating--large"
    assert words(badge) == "✓ Mostly true"
    assert badge.cssselect(".rating__symbol")[0].get("aria-hidden") == "true"
    withdrawn = html.fragment_fromstring(str(rating_badge(rating, "", True)))
    assert withdrawn.get("class") == "rating rating--withdrawn"
    assert str(rating_badge(None)) == ""


def test_the_kept_days_follow_a_changed_date_format(settings):
    checked = dt.datetime(2026, 2, 3, 12, tzinfo=dt.UTC)

    def meta():
        return words(card(published_at=checked, claimant=None, claim_date=None).cssselect(".card__meta")[0])

    with translation.override(None):  # no language: DATE_FORMAT itself, not a locale's format
        settings.DATE_FORMAT = "N j, Y"
        assert meta() == "· checked Feb. 3, 2026"
        settings.DATE_FORMAT = "Y-m-d"
        assert meta() == "· checked 2026-02-03"
