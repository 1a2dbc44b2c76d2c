"""Quoted words highlighted in a source's text snapshot, as safe HTML.

Positions come from the quotes' TextPositionSelectors (``Quote.start``/``end``, offsets into
``Source.content``). Only ``anchored`` quotes, and ``drifted`` ones marked as such, are
highlighted: an ``orphaned`` or ``unverified`` quote has no trustworthy position, and
highlighting the wrong words would put them in someone's mouth.

Quotes may nest (Trump's words inside Sheinbaum's account of them), so the text is cut at every
quote boundary and each piece is marked with how many quotes cover it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sources.models import Quote

HIGHLIGHTED_STATUSES = {Quote.AnchorStatus.ANCHORED, Quote.AnchorStatus.DRIFTED}
# The most context shown either side of a quote when its sentence runs longer than that.
CONTEXT_RADIUS = 160
# A sentence ends at ., ! or ? (with any closing quotes or brackets) followed by white space.
SENTENCE_END_RE = re.compile(r"""[.!?]["'”’)\]]*(?=\s)""")
# Words whose full stop does not end a sentence: initials and abbreviations ("U.S. Army").
ABBREVIATION_RE = re.compile(
    r"(?:\b[A-Za-z]\.)+[A-Za-z]?$|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Prof|No|vs|etc)$"
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    quote_id: int
    drifted: bool = False


def spans_for(quotes, content: str) -> list[Span]:
    """The highlightable spans of ``quotes`` inside ``content`` (others are left out)."""
    spans = []
    for quote in quotes:
        if quote.anchor_status not in HIGHLIGHTED_STATUSES or quote.start is None:
            continue
        if not 0 <= quote.start < quote.end <= len(content):
            continue
        spans.append(Span(quote.start, quote.end, quote.pk,
                          quote.anchor_status == Quote.AnchorStatus.DRIFTED))
    return spans


def highlight(content: str, spans: list[Span], *, offset: int = 0) -> SafeString:
    """``content`` escaped, with every span wrapped in ``<mark>``.

    ``offset`` is where ``content`` starts in the full snapshot (for excerpts). The first piece of
    each quote carries ``id="quote-<id>"`` so pages can link to it.
    """
    local = [Span(s.start - offset, s.end - offset, s.quote_id, s.drifted) for s in spans
             if s.start >= offset and s.end <= offset + len(content)]
    cuts = sorted({0, len(content), *(s.start for s in local), *(s.end for s in local)})
    anchored_ids: set[int] = set()
    html = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        text = escape(content[a:b])
        covering = [s for s in local if s.start <= a and b <= s.end]
        if not covering:
            html.append(text)
            continue
        for span in covering:
            if span.start == a and span.quote_id not in anchored_ids:
                anchored_ids.add(span.quote_id)
                html.append(f'<span class="quote-anchor" id="quote-{span.quote_id}"></span>')
        classes = ["quote", f"depth-{min(len(covering), 3)}"]
        if any(s.drifted for s in covering):
            classes.append("drifted")
        ids = " ".join(str(s.quote_id) for s in covering)
        html.append(f'<mark class="{" ".join(classes)}" data-quotes="{ids}">{text}</mark>')
    return mark_safe("".join(html))  # noqa: S308 - every piece of text above went through escape()


@dataclass(frozen=True)
class QuoteInContext:
    html: SafeString
    starts_mid_paragraph: bool
    ends_mid_paragraph: bool
    drifted: bool


def _sentence_ends(content: str, start: int, end: int) -> list[int]:
    """Offsets in ``content[start:end]`` just after each sentence-ending punctuation mark."""
    ends = []
    for match in SENTENCE_END_RE.finditer(content, start, end):
        if match.group()[0] == "." and ABBREVIATION_RE.search(content, max(start, match.start() - 12),
                                                               match.start()):
            continue
        ends.append(match.end())
    return ends


def quote_in_context(content: str, quote, *, radius: int = CONTEXT_RADIUS) -> QuoteInContext | None:
    """The sentence(s) holding ``quote`` inside its paragraph, with the quote highlighted; still
    trimmed to ``radius`` characters each side (on word boundaries) when a sentence runs longer.
    None when the quote cannot be highlighted."""
    spans = spans_for([quote], content)
    if not spans:
        return None
    span = spans[0]
    paragraph_start = content.rfind("\n", 0, span.start) + 1
    paragraph_end = content.find("\n", span.end)
    paragraph_end = len(content) if paragraph_end == -1 else paragraph_end
    # The sentence holding the quote's first word starts after the last sentence end before it;
    # the one holding its last word ends at the first sentence end after it.
    before = [e for e in _sentence_ends(content, paragraph_start, span.start) if e <= span.start]
    start = before[-1] if before else paragraph_start
    while start < span.start and content[start].isspace():
        start += 1
    # Searching from just inside the quote lets a quote that ends its own sentence end the excerpt.
    after = [e for e in _sentence_ends(content, max(span.start, span.end - 2), paragraph_end)
             if e >= span.end]
    end = after[0] if after else paragraph_end
    if start < span.start - radius:
        start = content.find(" ", span.start - radius, span.start) + 1 or span.start - radius
    if end > span.end + radius:
        space = content.rfind(" ", span.end, span.end + radius)
        end = space if space != -1 else span.end + radius
    return QuoteInContext(
        html=highlight(content[start:end], spans, offset=start),
        starts_mid_paragraph=start > paragraph_start, ends_mid_paragraph=end < paragraph_end,
        drifted=span.drifted,
    )
