"""Quote highlighting (public/highlighting.py): escaped text, nested quotes, context excerpts, and
only trustworthy positions highlighted."""

from __future__ import annotations

from types import SimpleNamespace

from public.highlighting import Span, highlight, quote_in_context, spans_for


def quote(pk, start, end, status="anchored"):
    return SimpleNamespace(pk=pk, start=start, end=end, anchor_status=status)


def test_text_is_escaped_and_quotes_are_marked():
    content = 'He said "<b>taxes</b> will fall" & left.'
    start = content.index("<b>")
    end = content.index(" will fall") + len(" will fall")
    html = highlight(content, [Span(start, end, 7)])
    assert '<span class="quote-anchor" id="quote-7"></span>' in html
    assert '<mark class="quote depth-1" data-quotes="7">&lt;b&gt;taxes&lt;/b&gt; will fall</mark>' in html
    assert "&amp; left." in html
    assert "<b>" not in html


def test_nested_quotes_are_cut_at_every_boundary():
    content = "A said 'B said X loudly' today."
    outer = Span(content.index("B said"), content.index("' today"), 1)
    inner = Span(content.index("X"), content.index("X") + 1, 2)
    html = highlight(content, [outer, inner])
    assert '<mark class="quote depth-1" data-quotes="1">B said </mark>' in html
    assert '<mark class="quote depth-2" data-quotes="1 2">X</mark>' in html
    assert '<mark class="quote depth-1" data-quotes="1"> loudly</mark>' in html


def test_only_anchored_and_drifted_quotes_with_valid_positions_get_spans():
    content = "one two three four five"
    quotes = [quote(1, 0, 3), quote(2, 4, 7, "drifted"), quote(3, 8, 13, "orphaned"),
              quote(4, None, None, "unverified"), quote(5, 20, 99)]
    spans = spans_for(quotes, content)
    assert [(s.quote_id, s.drifted) for s in spans] == [(1, False), (2, True)]


def test_quote_in_context_shows_its_paragraph_trimmed_on_word_boundaries():
    content = "Title\n\n" + "word " * 100 + "QUOTED WORDS" + " tail" * 100 + "\n\nNext paragraph."
    start = content.index("QUOTED")
    context = quote_in_context(content, quote(9, start, start + len("QUOTED WORDS")), radius=30)
    assert context.starts_mid_paragraph and context.ends_mid_paragraph
    assert "<mark" in context.html and "QUOTED WORDS</mark>" in context.html
    assert "Title" not in context.html and "Next paragraph" not in context.html
    assert context.html.startswith("word ")


def test_quote_in_context_is_none_for_an_unplaced_quote():
    assert quote_in_context("some text", quote(1, None, None, "unverified")) is None


def test_quote_in_context_shows_only_the_sentences_holding_the_quote():
    content = ("Title\n\nThe U.S. Army was not mentioned. \"On the calls, (Trump) said, 'What can we do? "
               "Let the U.S. Army come in,'\" she recounted. \"And I told him no.\" She left.\n\nNext.")
    words = "What can we do? Let the U.S. Army come in,"
    start = content.index(words)
    context = quote_in_context(content, quote(3, start, start + len(words)))
    assert str(context.html).startswith("&quot;On the calls")  # not the sentence before
    assert str(context.html).endswith("she recounted.")  # not the sentences after
    assert f"{words}</mark>" in context.html.replace("&#x27;", "'")
    assert context.starts_mid_paragraph and context.ends_mid_paragraph


def test_quote_in_context_does_not_end_a_sentence_at_an_abbreviation():
    content = "Officials said the U.S. Army would stay. Nothing else."
    start = content.index("would stay")
    context = quote_in_context(content, quote(4, start, start + len("would stay")))
    assert str(context.html).startswith("Officials said the U.S. Army")
    assert str(context.html).endswith("</mark>.")
    assert not context.starts_mid_paragraph and context.ends_mid_paragraph


def test_quote_that_ends_its_sentence_ends_the_excerpt():
    content = "Before it. She said it was fine. Then she left."
    start = content.index("it was fine.")
    context = quote_in_context(content, quote(5, start, start + len("it was fine.")))
    assert str(context.html).startswith("She said ") and str(context.html).endswith("fine.</mark>")
