"""Step 1: the quotation spans of a text, with the quotations nested in them.

Marks: straight and curly double quotes — paired in order within a paragraph whatever their
shape, so reversed (”…“) and mixed ("…”) marks pair too —, « » (with “ ” or ‘ ’ inside them as
nested quotations), single quotes inside a quotation and at top level when they hold two words or
more, and Spanish dialogue dashes (``—Words —dijo X—. More words.``). A quotation left open at
the end of a paragraph and taken up again by an opening mark at the start of the next one runs
over several paragraphs: each paragraph's part is a span (a quote must be one contiguous span of
the snapshot to be anchored). Quoted nicknames and titles (``Joaquín "El Chapo" Guzmán``, ``nicknamed
'the Wall'``, a title-case single-quoted name) are not quotations.

A span's words are the text between its marks without a trailing comma or full stop (they belong
to the sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sources.extraction.lexicon import UPPER, Lexicon

DOUBLES = "\"“”„‟"
SINGLES_OPEN = "'‘‚‛"
SINGLES_CLOSE = "'’"
DASHES = "—―"
MASK = "\u2063"  # invisible separator: never part of a word, so no pattern matches inside a quote
_SINGLE_MARK = re.compile("[" + SINGLES_OPEN + SINGLES_CLOSE + "]")


@dataclass
class Span:
    open: int  # offset of the opening mark (the paragraph start for a continuation)
    close: int  # offset of the closing mark (the paragraph end when left open)
    start: int  # the quote's words
    end: int
    paragraph: int
    continued: bool = False  # carried on from the paragraph before
    runs_on: bool = False  # left open at the end of its paragraph
    dialogue: tuple[int, int] | None = None  # the narrator's words of a dialogue-dash quotation
    nested: list[Span] = field(default_factory=list)


def paragraphs(content: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in content.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def words_bounds(content: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces, and one trailing comma or full stop that belongs to the sentence."""
    while start < end and content[start].isspace():
        start += 1
    while end > start and content[end - 1].isspace():
        end -= 1
    if end > start and content[end - 1] in ",." and not content[start:end].endswith(".."):
        end -= 1
        while end > start and content[end - 1].isspace():
            end -= 1
    return start, end


def _is_open_single(content: str, pos: int, lo: int) -> bool:
    before = content[pos - 1] if pos > lo else " "
    after = content[pos + 1] if pos + 1 < len(content) else " "
    return content[pos] in SINGLES_OPEN and (before.isspace() or before in "([{“\"«:—–-") and after.isalnum()


def _is_close_single(content: str, pos: int, hi: int) -> bool:
    before = content[pos - 1]
    after = content[pos + 1] if pos + 1 < hi else " "
    return content[pos] in SINGLES_CLOSE and not before.isspace() and not after.isalnum()


def _single_spans(content: str, lo: int, hi: int, paragraph: int, min_words: int) -> list[Span]:
    spans, opened = [], None
    for mark in _SINGLE_MARK.finditer(content, lo, hi):
        pos = mark.start()
        if opened is None and _is_open_single(content, pos, lo):
            opened = pos
        elif opened is not None and _is_close_single(content, pos, hi):
            start, end = words_bounds(content, opened + 1, pos)
            if len(content[start:end].split()) >= min_words:
                spans.append(Span(opened, pos, start, end, paragraph))
            opened = None
    return spans


def _paired(content: str, lo: int, hi: int, paragraph: int, carried: bool) -> tuple[list[Span], bool]:
    """Top-level « » and double-quoted spans of one paragraph (doubles inside « » are nested).
    Returns them and whether a double-quoted span is left open at the paragraph's end."""
    spans: list[Span] = []
    opened: int | None = None
    guillemet: int | None = None
    inner: list[int] = []
    if carried and content[lo] not in DOUBLES + "«":
        carried = False  # a carried-over quotation must restart with an opening mark
    for pos in range(lo, hi):
        char = content[pos]
        if guillemet is not None:
            if char == "»":
                span = Span(guillemet, pos, *words_bounds(content, guillemet + 1, pos), paragraph)
                span.nested = _inner_pairs(content, inner, paragraph)
                spans.append(span)
                guillemet, inner = None, []
            elif char in DOUBLES:
                inner.append(pos)
        elif opened is None and char == "«":
            guillemet = pos
        elif char in DOUBLES:
            if opened is None:
                opened = pos
            else:
                spans.append(Span(opened, pos, *words_bounds(content, opened + 1, pos), paragraph))
                opened = None
    left_open = opened is not None
    if left_open:
        spans.append(Span(opened, hi, *words_bounds(content, opened + 1, hi), paragraph, runs_on=True))
    if guillemet is not None:  # « left open: runs on to the next paragraph
        spans.append(Span(guillemet, hi, *words_bounds(content, guillemet + 1, hi), paragraph, runs_on=True))
        left_open = True
    if carried and spans and spans[0].open == lo:
        spans[0].continued = True
    return sorted(spans, key=lambda s: s.open), left_open


def _inner_pairs(content: str, marks: list[int], paragraph: int) -> list[Span]:
    pairs = zip(marks[::2], marks[1::2], strict=False)  # an odd mark left over is not a quote
    return [Span(a, b, *words_bounds(content, a + 1, b), paragraph) for a, b in pairs]


def _dialogue(content: str, lo: int, hi: int, paragraph: int, lexicon: Lexicon) -> list[Span]:
    """``—Words —narrator—. More words.``: the quoted parts of a dialogue-dash paragraph."""
    spans: list[Span] = []
    pos = lo + 1
    while pos < hi:
        # The narrator's dash: a dash after a space, or one followed by a speech verb.
        cut = None
        for match in re.finditer("[" + DASHES + "]", content[pos:hi]):
            at = pos + match.start()
            follows = content[at + 1:at + 30]
            if content[at - 1].isspace() or lexicon.verb_re.match(follows):
                cut = at
                break
        end = cut if cut is not None else hi
        start, stop = words_bounds(content, pos, end)
        if stop > start:
            spans.append(Span(pos - 1, end, start, stop, paragraph))
        if cut is None:
            break
        close = content.find("—", cut + 1, hi)
        close = close if close != -1 else content.find("―", cut + 1, hi)
        narrator_end = close if close != -1 else hi
        for span in spans:
            if span.dialogue is None:
                span.dialogue = (cut + 1, narrator_end)
        if close == -1:
            break
        resume = re.match(r"[\s.,;:]*", content[close + 1:hi])
        pos = close + 1 + (resume.end() if resume else 0)
        if pos >= hi or not content[pos].isalnum() and content[pos] not in "¿¡":
            break
    return spans


def _is_nickname_or_title(content: str, span: Span, lexicon: Lexicon) -> bool:
    words = content[span.start:span.end].split()
    if not words or len(words) > 5:
        return False
    raw_before = content[max(0, span.open - 40):span.open]
    before = raw_before.rstrip()
    name_before = re.search(r"(?<![.!?:;,])\b[" + UPPER + r"][\w’'-]* $", raw_before)
    name_after = re.match(r" [" + UPPER + r"]\w", content[span.close + 1:span.close + 30])
    if name_before and name_after:
        return True  # Joaquín "El Chapo" Guzmán
    lowered = before.lower()
    if any(lowered.endswith(" " + word) or lowered == word for word in lexicon.naming):
        return True  # nicknamed 'the Wall', apodó 'el Muro'
    # A single-quoted title-case phrase is a name or title (a headline's quotations are sentences).
    if content[span.open] in SINGLES_OPEN and len(words) <= 4:
        significant = [w for w in words if len(w) > 3]
        return bool(significant) and all(w[0].isupper() for w in significant) and not content[
            span.start:span.end].rstrip().endswith(("!", "?"))
    return False


def find_spans(content: str, lexicon: Lexicon) -> list[Span]:
    """Every top-level quotation with its nested quotations, in text order."""
    result: list[Span] = []
    carried = False
    for index, (lo, hi) in enumerate(paragraphs(content)):
        if content[lo] in DASHES and not carried:
            result.extend(_dialogue(content, lo, hi, index, lexicon))
            continue
        doubles, carried = _paired(content, lo, hi, index, carried)
        for span in doubles:
            if not span.nested:
                span.nested = _single_spans(content, span.start, span.end + 1, index, min_words=2)
            span.nested = [s for s in span.nested
                           if s.end > s.start and not _is_nickname_or_title(content, s, lexicon)]
        outside = [(lo, hi)]
        for span in doubles:
            outside = [
                piece for a, b in outside
                for piece in ((a, min(b, span.open)), (max(a, span.close + 1), b))
                if piece[0] < piece[1]
            ]
        singles = [s for a, b in outside for s in _single_spans(content, a, b, index, min_words=2)]
        for span in sorted(doubles + singles, key=lambda s: s.open):
            if span.end > span.start and not _is_nickname_or_title(content, span, lexicon):
                result.append(span)
    return result


def mask(content: str, spans: list[Span]) -> str:
    """The text with every quotation's words hidden, so no pattern matches inside a quote."""
    chars = list(content)
    for span in spans:
        last = min(span.close, len(chars))
        # A quotation ending its sentence ("… territory.” He added) keeps its full stop visible.
        while last > span.open + 1 and content[last - 1] in ".!?":
            last -= 1
        for pos in range(span.open + 1, last):
            if chars[pos] != "\n":
                chars[pos] = MASK
    return "".join(chars)
