"""The language of a text: ``detect_language(text)`` → an ISO 639-1 code, or None when unsure.

Uses py3langid (a naive Bayes classifier over byte n-grams, 97 languages; its model ships inside
the package, nothing is downloaded). The model is loaded once per process, on first use (a few
seconds), and a call then takes milliseconds. Texts too short to tell, and answers below
``MIN_PROBABILITY``, give None rather than a guess.
"""

from __future__ import annotations

import functools
import re

MIN_LETTERS = 20
MIN_PROBABILITY = 0.8
# More than enough to tell a language; long articles are cut here to keep detection fast.
MAX_CHARS = 5000


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language (``"en"``, ``"es"``, …), or None when the text
    is too short or the detector is not sure."""
    sample = text[:MAX_CHARS]
    if len(re.findall(r"[^\W\d_]", sample)) < MIN_LETTERS:
        return None
    language, probability = _identifier().classify(sample)
    return str(language) if probability >= MIN_PROBABILITY else None


def primary_language(code: str | None) -> str | None:
    """``"es-MX"`` → ``"es"``; empty → None."""
    if not code:
        return None
    return code.replace("_", "-").split("-")[0].strip().lower() or None
