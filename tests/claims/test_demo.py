"""The demo data: idempotent, and every demo quote anchored at the right offsets."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from claims.demo import ARTICLE_URL, CLAIMS, ORIGINAL_QUOTE, ORIGINAL_URL, PEOPLE, QUOTES, TOPICS
from claims.models import Claim, Evidence, ReviewEvent
from sources.models import Person, Quote, Source


def snapshot():
    return {
        "claims": sorted(Claim.objects.values_list("slug", "status", "version")),
        "quotes": sorted(Quote.objects.values_list("text", "start", "end", "anchor_status")),
        "people": Person.objects.count(),
        "sources": Source.objects.count(),
        "evidence": Evidence.objects.count(),
        "events": ReviewEvent.objects.count(),
    }


@pytest.mark.django_db
def test_load_demo_twice_gives_the_same_data():
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first
    assert {status for _, status, _ in first["claims"]} == {
        "draft", "in_review", "published", "retracted"
    }
    assert len(first["claims"]) >= 5


@pytest.mark.django_db
def test_every_demo_quote_is_anchored_at_its_words():
    call_command("load_demo")
    source = Source.objects.get(url=ARTICLE_URL)
    assert Quote.objects.filter(source=source).count() == len(QUOTES)
    for quote in Quote.objects.filter(source=source):
        assert quote.anchor_status == "anchored"
        assert source.content[quote.start:quote.end] == quote.text == quote.exact
        # quoted words sit inside quotation marks in the article
        assert source.content[quote.start - 1] in "\"'“‘"


@pytest.mark.django_db
def test_demo_article_snapshot_is_normalized_and_hashed():
    call_command("load_demo")
    source = Source.objects.get(url=ARTICLE_URL)
    assert "\xa0" not in source.content
    assert len(source.content_sha256) == 64
    assert source.outlet.domain == "voz.us"
    assert source.byline == "Agustina Blanco"


@pytest.mark.django_db
def test_the_spanish_original_and_its_two_english_renderings_are_one_statement():
    call_command("load_demo")
    call_command("load_demo")  # idempotent: still one original, two renderings
    original = Quote.objects.get(source__url=ORIGINAL_URL)
    assert (original.text, original.language, original.language_source) == (ORIGINAL_QUOTE, "es", "given")
    assert original.anchor_status == "anchored"
    renderings = sorted(original.renderings.values_list("text", "language", "source__url"))
    assert renderings == [("Sovereignty is not for sale", "en", ARTICLE_URL),
                          ("sovereignty is not for sale", "en", ARTICLE_URL)]


def test_the_demo_data_file_names_only_what_the_demo_has():
    keys = {quote.key for quote in QUOTES}
    assert len(keys) == len(QUOTES)
    assert {quote.speaker for quote in QUOTES} <= set(PEOPLE)
    for claim in CLAIMS:
        assert claim.claimant in PEOPLE and set(claim.topics) <= set(TOPICS)
        assert claim.state in {"draft", "in_review", "published", "retracted"}
        assert claim.evidence and all(item.quote in keys for item in claim.evidence if item.quote)
