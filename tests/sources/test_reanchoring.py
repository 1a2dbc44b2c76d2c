"""Re-anchoring quotes after their source's text changed (sources/reanchoring.py and
sources.services.quotes_reanchor)."""

from __future__ import annotations

import pytest

from claims.demo import ARTICLE_FILE
from factcheck.actors import SYSTEM
from sources import services
from sources.anchoring import anchor_exact
from sources.models import Quote
from sources.reanchoring import reanchor
from sources.text import normalize_snapshot
from tests import factories

ARTICLE = normalize_snapshot(ARTICLE_FILE.read_text(encoding="utf-8"))
NEVER_ACCEPT = "will never accept the presence of the U.S. Army in our territory"
COLLABORATE = "You can collaborate, we can work together, but you in your territory, we in ours"


def _selector(content: str, text: str):
    selector = anchor_exact(content, text)
    assert selector.status == "anchored"
    return selector


def _reanchor(old_content: str, new_content: str, text: str):
    old = _selector(old_content, text)
    return reanchor(new_content, exact=old.exact, prefix=old.prefix, suffix=old.suffix,
                    start=old.start)


def test_unchanged_text_stays_at_its_offsets():
    found = _reanchor(ARTICLE, ARTICLE, NEVER_ACCEPT)
    assert found.status == "anchored"
    assert ARTICLE[found.selector.start:found.selector.end] == NEVER_ACCEPT


def test_inserted_paragraph_moves_the_quote_and_keeps_it_anchored():
    edited = ARTICLE.replace(
        "The statement came during", "Editor's note: this story was updated.\n\nThe statement came during"
    )
    found = _reanchor(ARTICLE, edited, NEVER_ACCEPT)
    assert found.status == "anchored"
    assert found.selector.start > ARTICLE.index(NEVER_ACCEPT)
    assert edited[found.selector.start:found.selector.end] == NEVER_ACCEPT


def test_typo_fixed_near_a_quote_keeps_it_anchored():
    old = ARTICLE.replace("she emphasized, stressing", "she emphasised, stresing")
    found = _reanchor(old, ARTICLE, NEVER_ACCEPT)
    assert found.status == "anchored"
    assert found.selector.prefix.endswith("stressing that Mexico \"")


def test_changed_punctuation_inside_a_quote_drifts():
    edited = ARTICLE.replace(
        "You can collaborate, we can work together,", "You can collaborate; we can work together —"
    )
    found = _reanchor(ARTICLE, edited, COLLABORATE)
    assert found.status == "drifted"
    assert found.selector.exact.startswith("You can collaborate; we can work together")
    assert found.selector.exact.endswith("we in ours")


def test_word_changed_inside_a_quote_drifts_to_the_new_words():
    edited = ARTICLE.replace("will never accept the presence", "will never tolerate the presence")
    found = _reanchor(ARTICLE, edited, NEVER_ACCEPT)
    assert found.status == "drifted"
    assert found.selector.exact == "will never tolerate the presence of the U.S. Army in our territory"
    assert 0.72 <= found.score < 1


def test_deleted_sentence_orphans_the_quote_but_keeps_its_selector():
    sentence = (
        'Sheinbaum stressed that, although both countries can collaborate on security issues, '
        'cooperation must respect territorial limits. "You can collaborate, we can work together, '
        'but you in your territory, we in ours," she insisted.'
    )
    assert sentence in ARTICLE
    edited = ARTICLE.replace(sentence, "").replace("\n\n\n\n", "\n\n")
    found = _reanchor(ARTICLE, edited, COLLABORATE)
    assert found.status == "orphaned"
    assert found.selector.start is None
    assert found.selector.exact == COLLABORATE


def test_repeated_phrase_is_found_where_its_context_matches():
    old = 'Intro. He said "we will win" at noon. Later she said "we will win" at night.'
    new = 'Intro, updated. He said "we will win" at noon. Later she said "we will win" at night.'
    second = old.rindex("we will win")
    old_selector = anchor_exact(old, "we will win", hint=second)
    assert old_selector.start == second
    found = reanchor(new, exact=old_selector.exact, prefix=old_selector.prefix,
                     suffix=old_selector.suffix, start=old_selector.start)
    assert found.status == "anchored"
    assert found.selector.start == new.rindex("we will win")


def test_repeated_phrase_changed_in_one_place_anchors_to_the_unchanged_one():
    old = ('At noon he said "we will surely win the vote" firmly. '
           'At night she said "we will surely win the vote" again.')
    new = ('At noon he said "we will surely win the vote" firmly. '
           'At night she said "we shall surely win the vote" again.')
    second = old.rindex("we will surely win the vote")
    old_selector = anchor_exact(old, "we will surely win the vote", hint=second)
    found = reanchor(new, exact=old_selector.exact, prefix=old_selector.prefix,
                     suffix=old_selector.suffix, start=old_selector.start)
    # The first occurrence is still exact, so the exact match wins: Hypothesis does the same.
    assert found.status == "anchored"
    assert found.selector.start == new.index("we will surely win the vote")


@pytest.mark.django_db
def test_changed_snapshot_reanchors_every_quote_and_records_the_old_words():
    source = factories.SourceFactory(content=ARTICLE)
    speaker = factories.PersonFactory()
    stays = services.quote_create(actor=SYSTEM, source=source, speaker=speaker, text=COLLABORATE)
    drifts = services.quote_create(actor=SYSTEM, source=source, speaker=speaker, text=NEVER_ACCEPT)
    orphan = services.quote_create(actor=SYSTEM,
        source=source, speaker=speaker, text="sovereignty is loved and defended"
    )
    edited = (
        "A new first paragraph.\n\n"
        + ARTICLE.replace("will never accept the presence", "will never tolerate the presence")
        .replace("sovereignty is not for sale, sovereignty is loved and defended,'", "'")
    )

    source = services.source_update(actor=SYSTEM, source=source, content=edited)

    stays.refresh_from_db()
    drifts.refresh_from_db()
    orphan.refresh_from_db()
    assert stays.anchor_status == Quote.AnchorStatus.ANCHORED
    assert source.content[stays.start:stays.end] == COLLABORATE
    assert drifts.anchor_status == Quote.AnchorStatus.DRIFTED
    assert drifts.previous_exact == NEVER_ACCEPT
    assert drifts.exact.startswith("will never tolerate")
    assert drifts.text == NEVER_ACCEPT  # the confirmed words stay until an editor reviews them
    assert orphan.anchor_status == Quote.AnchorStatus.ORPHANED
    assert orphan.start is None and orphan.end is None
    assert orphan.previous_exact == "sovereignty is loved and defended"
    assert Quote.objects.filter(pk=orphan.pk).exists()


@pytest.mark.django_db
def test_orphaned_quote_anchors_again_when_the_text_comes_back():
    source = factories.SourceFactory(content=ARTICLE)
    quote = services.quote_create(actor=SYSTEM, source=source, speaker=factories.PersonFactory(),
                                  text=COLLABORATE)
    services.source_update(actor=SYSTEM, source=source,
                           content=ARTICLE.replace(COLLABORATE, "Something else."))
    quote.refresh_from_db()
    assert quote.anchor_status == Quote.AnchorStatus.ORPHANED

    services.source_update(actor=SYSTEM, source=source, content=ARTICLE)
    quote.refresh_from_db()
    assert quote.anchor_status == Quote.AnchorStatus.ANCHORED
    assert ARTICLE[quote.start:quote.end] == COLLABORATE


def _edit_inside(text: str, start: int, end: int, rng) -> str:
    """``text`` with 1–4 random character edits strictly inside ``[start, end)``, sparing the
    first and last words."""
    first_word_end = text.index(" ", start)
    last_word_start = text.rindex(" ", start, end) + 1
    chars = list(text)
    # From the back, so earlier positions stay valid.
    positions = sorted((rng.randint(first_word_end + 1, last_word_start - 2)
                        for _ in range(rng.randint(1, 4))), reverse=True)
    for position in positions:
        operation = rng.choice("ids")
        if operation == "i":
            chars.insert(position, rng.choice(["x", " really", ",", "e"]))
        elif operation == "d":
            del chars[position]
        else:
            chars[position] = rng.choice("abcdefghijklmnopqrstuvwxyz,;")
    return "".join(chars)


@pytest.mark.parametrize("quote", [COLLABORATE, NEVER_ACCEPT])
def test_drifted_quotes_keep_whole_words_over_many_edits(quote):
    """Whatever the edit inside a quote, its new selector starts and ends on whole words: the
    unchanged first and last words are kept, and no neighbouring quotation mark or space is
    taken in."""
    import random

    rng = random.Random(20261201)
    old = _selector(ARTICLE, quote)
    checked = 0
    for _ in range(300):
        edited = _edit_inside(ARTICLE, old.start, old.end, rng)
        found = reanchor(edited, exact=old.exact, prefix=old.prefix, suffix=old.suffix, start=old.start)
        if found.selector.start is None:
            continue
        checked += 1
        begin, end = found.selector.start, found.selector.end
        first_word = quote.split()[0]
        last_word = quote.split()[-1]
        assert edited[begin:begin + len(first_word)] == first_word, edited[begin - 5:end]
        assert edited[:end].endswith(last_word), edited[begin:end + 5]
        assert not (edited[begin - 1].isalnum() and edited[begin].isalnum())
        assert not (end < len(edited) and edited[end - 1].isalnum() and edited[end].isalnum())
    assert checked > 250


def test_word_inserted_after_the_first_word_keeps_the_first_word():
    edited = ARTICLE.replace("You can collaborate,", "You really can collaborate,")
    found = _reanchor(ARTICLE, edited, COLLABORATE)
    assert found.status == "drifted"
    assert edited[found.selector.start:found.selector.end].startswith("You really can collaborate")
