"""W3C Web Annotation selectors for quotes in a source's text snapshot.

``anchor_exact`` places a quote's text in a snapshot (TextQuoteSelector + TextPositionSelector).
Re-anchoring after the snapshot changes builds on the same ``Selector``.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Selector:
    exact: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    status: str  # one of Quote.AnchorStatus values


def selector_at(content: str, start: int, end: int, status: str = "anchored") -> Selector:
    return Selector(
        exact=content[start:end],
        prefix=content[max(0, start - CONTEXT_CHARS):start],
        suffix=content[end:end + CONTEXT_CHARS],
        start=start,
        end=end,
        status=status,
    )


def find_all(content: str, needle: str) -> list[int]:
    positions, index = [], content.find(needle)
    while needle and index != -1:
        positions.append(index)
        index = content.find(needle, index + 1)
    return positions


def anchor_exact(
    content: str, text: str, *, prefix: str = "", suffix: str = "", hint: int | None = None
) -> Selector:
    """Anchor ``text`` in ``content``.

    Among several occurrences, the one whose surroundings best match ``prefix``/``suffix`` wins,
    then the one nearest ``hint`` (an old start offset). Not found → status ``unverified`` with
    no position.
    """
    positions = find_all(content, text)
    if not positions:
        return Selector(exact=text, prefix="", suffix="", start=None, end=None, status="unverified")

    def score(pos: int) -> tuple:
        before = content[max(0, pos - len(prefix)):pos] if prefix else ""
        after = content[pos + len(text):pos + len(text) + len(suffix)] if suffix else ""
        context = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        distance = abs(pos - hint) if hint is not None else 0
        return (-context, distance, pos)

    best = min(positions, key=score)
    return selector_at(content, best, best + len(text))


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
