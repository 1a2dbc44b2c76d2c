"""Language detection (sources/language.py): the model ships inside py3langid."""

from __future__ import annotations

import pytest

from factcheck.errors import InvalidInput
from sources.language import (
    DEFAULT,
    DETECTED,
    GIVEN,
    detect_language,
    normalize_language,
    primary_language,
    settle_language,
)


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


@pytest.mark.parametrize(("code", "expected"), [
    ("es", "es"), ("ES_mx", "es-MX"), (" en-gb ", "en-GB"), ("zh-Hant", "zh-Hant"), ("", ""),
])
def test_normalize_language(code, expected):
    assert normalize_language(code) == expected


@pytest.mark.parametrize("code", ["Spanish", "e", "es--MX", "es_MX_toolongsubtag", "1234"])
def test_normalize_language_refuses_what_is_not_a_tag(code):
    with pytest.raises(ValueError):
        normalize_language(code)


class Row:
    def __init__(self, language="", language_source=DEFAULT, pk=None):
        self.language, self.language_source, self.pk = language, language_source, pk


SPANISH = "La presidenta aseguró este martes que no habrá aumento de impuestos el próximo año."
ENGLISH = "The president said on Tuesday that taxes would not rise next year, despite the deficit."


def test_settle_language_detects_a_new_row_and_falls_back_when_unsure():
    row = Row()
    assert settle_language(row, text=SPANISH) == ["language", "language_source"]
    assert (row.language, row.language_source) == ("es", DETECTED)
    row = Row()
    settle_language(row, text="Hola", fallback="en")
    assert (row.language, row.language_source) == ("en", DEFAULT)


def test_settle_language_keeps_a_given_language_and_redetects_only_changed_text():
    row = Row("fr", GIVEN, pk=1)
    assert settle_language(row, text=SPANISH) == []
    assert (row.language, row.language_source) == ("fr", GIVEN)
    row = Row("en", DETECTED, pk=1)
    assert settle_language(row, text=SPANISH, text_changed=False) == []  # unchanged text: kept
    settle_language(row, text=SPANISH, text_changed=True)
    assert (row.language, row.language_source) == ("es", DETECTED)
    settle_language(row, text=SPANISH, given="")  # "" hands a language back to detection
    assert (row.language, row.language_source) == ("es", DETECTED)


def test_settle_language_refuses_or_ignores_a_malformed_given_language():
    with pytest.raises(InvalidInput):
        settle_language(Row(), text=SPANISH, given="Spanish!")
    row = Row()
    settle_language(row, text=SPANISH, given="Spanish!", lenient=True)
    assert (row.language, row.language_source) == ("es", DETECTED)


def test_a_declared_language_is_taken_as_detected():
    row = Row()
    settle_language(row, text=SPANISH, declared="pt")
    assert (row.language, row.language_source) == ("pt", DETECTED)
