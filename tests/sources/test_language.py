"""Language detection (sources/language.py): the model ships inside py3langid."""

from __future__ import annotations

import pytest

from sources.language import detect_language, primary_language


@pytest.mark.parametrize(("text", "expected"), [
    ("The president said on Tuesday that taxes would not rise next year, despite the deficit.", "en"),
    ("La presidenta aseguró este martes que no habrá aumento de impuestos el próximo año.", "es"),
    ("Hola", None),  # too short to tell
    ("", None),
    ("12345 67890 !!!", None),
])
def test_detect_language(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize(("code", "expected"), [("es-MX", "es"), ("EN_gb", "en"), ("", None), (None, None)])
def test_primary_language(code, expected):
    assert primary_language(code) == expected
