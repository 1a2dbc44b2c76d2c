"""Text snapshot normalization: the one definition of the text quotes are anchored in."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Every Unicode space separator (NBSP, thin space, ...) plus tabs becomes a plain space.
_SPACES = re.compile(r"[^\S\n]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_snapshot(text: str) -> str:
    """Unicode NFC, unified line breaks, runs of spaces collapsed, at most one blank line between
    paragraphs, lines stripped. Quotation marks and all other characters are kept as written."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    text = _ZERO_WIDTH.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def normalize_quote_text(text: str) -> str:
    """A quote typed or extracted is normalized like the snapshot so the two can be compared."""
    return " ".join(normalize_snapshot(text).split())


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
