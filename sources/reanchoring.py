"""Finding a quote again after its source's text changed (as Hypothesis re-anchors annotations).

A quote carries a W3C TextQuoteSelector (``exact``, ``prefix``, ``suffix``) and a
TextPositionSelector (``start``, ``end``). Against the new text, in order:

1. the exact text still at the old offsets → ``anchored`` (same place);
2. the exact text elsewhere → ``anchored`` at new offsets; among repeats, the occurrence whose
   prefix and suffix match best wins, then the one nearest the old position;
3. a fuzzy match (rapidfuzz) of the exact text, scored together with how well its surroundings
   match the old prefix and suffix and how near it is to the old position, good enough →
   ``drifted``: the words changed and an editor must look (``Quote.previous_exact`` keeps the old
   words);
4. nothing good enough → ``orphaned``: no position; the selector is kept, so the quote anchors
   again if the text comes back. Orphaned quotes are never deleted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from sources.anchoring import CONTEXT_CHARS, Selector, anchor_exact, selector_at

# The exact text must match at least this well (0..100) for a fuzzy candidate to count at all,
# and the weighted score (0..1) of exact, context and nearness must reach DRIFT_THRESHOLD.
MIN_EXACT_SIMILARITY = 75.0
DRIFT_THRESHOLD = 0.72
WEIGHTS = {"exact": 0.5, "prefix": 0.15, "suffix": 0.15, "nearness": 0.2}
# Nearness falls to zero this many characters away from the old position: similar words far
# away, in other surroundings, are another passage (the headline echoing the body), not a drift.
NEARNESS_RANGE = 1000
# How far (characters) a fuzzy match's ends may move to land on whole words that fit better.
WORD_SLACK = 24
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Anchor:
    """What ``reanchor`` found: the new selector and the match's score (1.0 for exact)."""

    selector: Selector
    score: float

    @property
    def status(self) -> str:
        return self.selector.status


def reanchor(
    content: str, *, exact: str, prefix: str = "", suffix: str = "", start: int | None = None,
) -> Anchor:
    """Place a quote's selector (``exact``/``prefix``/``suffix``, old ``start``) in ``content``."""
    if not exact:
        return Anchor(_orphaned(exact, prefix, suffix), 0.0)
    if start is not None and content[start:start + len(exact)] == exact:
        return Anchor(selector_at(content, start, start + len(exact)), 1.0)
    found = anchor_exact(content, exact, prefix=prefix, suffix=suffix, hint=start)
    if found.status == "anchored":
        return Anchor(found, 1.0)
    best = _best_fuzzy(content, exact, prefix, suffix, start)
    if best is None:
        return Anchor(_orphaned(exact, prefix, suffix), 0.0)
    score, begin, end = best
    if score < DRIFT_THRESHOLD:
        return Anchor(_orphaned(exact, prefix, suffix), score)
    return Anchor(selector_at(content, begin, end, status="drifted"), score)


def _orphaned(exact: str, prefix: str, suffix: str) -> Selector:
    return Selector(exact=exact, prefix=prefix, suffix=suffix, start=None, end=None,
                    status="orphaned")


def _best_fuzzy(
    content: str, exact: str, prefix: str, suffix: str, old_start: int | None,
) -> tuple[float, int, int] | None:
    """The best fuzzy placement of ``exact``: ``(score, start, end)`` or None."""
    candidates = set()
    # Where the words alone fit best, and where the words with their old surroundings fit best
    # (that one tells repeated phrases apart).
    alignment = fuzz.partial_ratio_alignment(exact, content)
    if alignment is not None:
        candidates.add((alignment.dest_start, alignment.dest_end))
    if prefix or suffix:
        context = fuzz.partial_ratio_alignment(prefix + exact + suffix, content)
        if context is not None:
            lo = max(0, context.dest_start - CONTEXT_CHARS)
            hi = min(len(content), context.dest_end + CONTEXT_CHARS)
            inner = fuzz.partial_ratio_alignment(exact, content[lo:hi])
            if inner is not None:
                candidates.add((lo + inner.dest_start, lo + inner.dest_end))
    best = None
    for begin, end in candidates:
        begin, end = _whole_words(content, exact, *_snap_to_words(content, begin, end))
        if end <= begin:
            continue
        exact_similarity = fuzz.ratio(exact, content[begin:end])
        if exact_similarity < MIN_EXACT_SIMILARITY:
            continue
        score = (
            WEIGHTS["exact"] * exact_similarity / 100
            + WEIGHTS["prefix"] * _context_similarity(prefix, content[max(0, begin - len(prefix)):begin])
            + WEIGHTS["suffix"] * _context_similarity(suffix, content[end:end + len(suffix)])
            + WEIGHTS["nearness"] * _nearness(begin, old_start)
        )
        if best is None or score > best[0]:
            best = (score, begin, end)
    return best


def _context_similarity(old: str, new: str) -> float:
    # No old context (the quote opened or closed the text) cannot disagree.
    return 1.0 if not old else fuzz.ratio(old, new) / 100


def _nearness(position: int, old_start: int | None) -> float:
    if old_start is None:
        return 0.5
    return max(0.0, 1.0 - abs(position - old_start) / NEARNESS_RANGE)


def _is_start(content: str, i: int) -> bool:
    """A selector may start at ``i``: not whitespace, and not in the middle of a word."""
    return (0 <= i < len(content) and not content[i].isspace()
            and (i == 0 or not (content[i - 1].isalnum() and content[i].isalnum())))


def _is_end(content: str, i: int) -> bool:
    """A selector may end at ``i`` (exclusive): after a non-space, not in the middle of a word."""
    return (0 < i <= len(content) and not content[i - 1].isspace()
            and (i == len(content) or not (content[i - 1].isalnum() and content[i].isalnum())))


def _whole_words(content: str, exact: str, begin: int, end: int) -> tuple[int, int]:
    """The whole-word span near ``(begin, end)`` whose text is most like ``exact``.

    An alignment can start a word late ("can collaborate…" for "You can collaborate…") or take a
    neighbouring quotation mark: every start and end at a word boundary within ``WORD_SLACK``
    characters is tried. A span that starts with the quote's first word and ends with its last
    word wins over one that does not (a shorter span can look closer to the old words while
    dropping an unchanged edge word); then the closest text; then the span nearest the alignment.
    """
    words = _WORD.findall(exact.casefold())
    first, last = (words[0], words[-1]) if words else ("", "")
    starts = [i for i in range(max(0, begin - WORD_SLACK), min(end, begin + WORD_SLACK) + 1)
              if _is_start(content, i)]
    ends = [i for i in range(max(begin + 1, end - WORD_SLACK), min(len(content), end + WORD_SLACK) + 1)
            if _is_end(content, i)]
    best = (begin, end)
    best_key = None
    for lo in starts:
        for hi in ends:
            if hi <= lo:
                continue
            text = content[lo:hi]
            span_words = _WORD.findall(text.casefold())
            edges = (span_words[:1] == [first]) + (span_words[-1:] == [last])
            key = (edges, fuzz.ratio(exact, text), -abs(lo - begin) - abs(hi - end))
            if best_key is None or key > best_key:
                best, best_key = (lo, hi), key
    return best


def _snap_to_words(content: str, begin: int, end: int) -> tuple[int, int]:
    """Widen a fuzzy match to whole words, then trim spaces (an alignment may cut a word)."""
    while 0 < begin < len(content) and content[begin - 1].isalnum() and content[begin].isalnum():
        begin -= 1
    while 0 < end < len(content) and content[end - 1].isalnum() and content[end].isalnum():
        end += 1
    while begin < end and content[begin].isspace():
        begin += 1
    while end > begin and content[end - 1].isspace():
        end -= 1
    return begin, end
