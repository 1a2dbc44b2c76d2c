"""Sentence splitting and the interpretable cues of triage/features.py."""

import pytest

from triage.features import ALL_CUES, CUE_CODES, found_cues, guess_language, split_sentences


def test_sentences_keep_their_offsets_in_the_text():
    text = ('El Sr. García dijo: "Vamos a bajar los impuestos." ¿Es cierto? Según el INEGI, la '
            "inflación fue de 4.5% en 2024.\nThe U.S. economy grew 3.1 percent in 2023, Dr. J. Smith "
            "said. Headline without a full stop\n\nNext paragraph!")
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        'El Sr. García dijo: "Vamos a bajar los impuestos."',
        "¿Es cierto?",
        "Según el INEGI, la inflación fue de 4.5% en 2024.",
        "The U.S. economy grew 3.1 percent in 2023, Dr. J. Smith said.",
        "Headline without a full stop",
        "Next paragraph!",
    ]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_a_closing_quotation_mark_stays_with_its_sentence():
    sentences = split_sentences("“We will win,” she said. “Taxes fell 5%.” He left.")
    assert [s.text for s in sentences] == ["“We will win,” she said.", "“Taxes fell 5%.”", "He left."]


def test_empty_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("\n\n  \n") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Unemployment fell to 3.5% in 2024, the lowest rate since 1969.",
     {"number", "percentage", "date", "superlative", "change", "statistic"}),
    ("The program cost $4 billion, more than the Pentagon spent on drones.",
     {"number", "money", "quantity", "comparison", "policy"}),
    ("Vamos a construir 100 hospitales en 2026, prometió la presidenta Claudia Sheinbaum.",
     {"number", "date", "promise", "public_figure", "named_entity"}),
    ("La pobreza bajó 12 por ciento debido a la reforma, según el INEGI.",
     {"number", "percentage", "change", "statistic", "causal", "attribution", "policy", "named_entity"}),
    ('He said "it is over" and left.', {"attribution", "quotation"}),
    ("What do you make of that?", {"question"}),
    ("¿Qué opina usted de la reforma?", {"question", "policy"}),
    ("I think this is a great country.", {"opinion"}),
    ("Creo que es una vergüenza.", {"opinion"}),
    ("Thank you, ladies and gentlemen.", {"greeting"}),
    ("Thank you all.", {"greeting", "short"}),
    ("Buenas tardes a todos y bienvenidos.", {"greeting"}),
    ("Next question, please, you have ninety seconds.", {"procedure", "number"}),
    ("Se levanta la sesión.", {"procedure", "short"}),
])
def test_cues_found_in_obvious_sentences(text, expected):
    assert expected <= set(found_cues(text)), found_cues(text)


def test_cues_not_found_where_they_are_absent():
    assert found_cues("The weather was pleasant and everyone went home early afterwards.") == []
    assert "question" not in found_cues("The question is settled.")
    assert "number" not in found_cues("The minister spoke at length about schools.")


def test_every_cue_has_a_readable_reason():
    assert len(set(CUE_CODES)) == len(CUE_CODES)
    for cue in ALL_CUES:
        assert cue.label and cue.label[0].islower()


@pytest.mark.parametrize(("text", "language"), [
    ("The government said that unemployment fell by two percent last year.", "en"),
    ("El gobierno dijo que el desempleo bajó dos por ciento el año pasado.", "es"),
])
def test_language_guess(text, language):
    assert guess_language(text) == language
