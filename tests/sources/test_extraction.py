"""Quote extraction and speaker attribution (sources/extraction.py). No database needed."""

from __future__ import annotations

import pytest

from claims.demo import ARTICLE_FILE
from sources.extraction import METHOD_CONFIDENCE, KnownPerson, extract_quotes, is_organization
from sources.text import normalize_snapshot

ARTICLE = normalize_snapshot(ARTICLE_FILE.read_text(encoding="utf-8"))

SHEINBAUM = "Claudia Sheinbaum"
TRUMP = "Donald Trump"

# Written by hand from the article: every direct quotation, in text order, with its speaker.
DEMO_EXPECTED = [
    ("Sovereignty is not for sale", SHEINBAUM),  # the headline's single-quoted words
    ("It is possible to collaborate, we can work together, but you in your territory, we in ours",
     SHEINBAUM),  # "the Mexican leader insisted": a role
    ("sovereignty is not for sale", SHEINBAUM),  # "stating that": the sentence's subject
    ("On some of the calls, (Trump) said, 'What can we help you with to fight drug trafficking? "
     "I propose that the U.S. Army come in and help you,'", SHEINBAUM),
    ("What can we help you with to fight drug trafficking? I propose that the U.S. Army come in "
     "and help you", TRUMP),  # Trump's words as recounted by Sheinbaum are Trump's
    ("And you know what I told him: 'No, President Trump, the territory is inviolable, sovereignty "
     "is inviolable, sovereignty is not for sale, sovereignty is loved and defended,'", SHEINBAUM),
    ("No, President Trump, the territory is inviolable, sovereignty is inviolable, sovereignty is "
     "not for sale, sovereignty is loved and defended", SHEINBAUM),  # "I told him"
    ("will never accept the presence of the U.S. Army in our territory", SHEINBAUM),
    ("You can collaborate, we can work together, but you in your territory, we in ours", SHEINBAUM),
]

DEMO_PEOPLE = [
    KnownPerson("Claudia Sheinbaum", ("Sheinbaum", "the Mexican leader", "the president of Mexico",
                                      "Mexican President"), "President of Mexico"),
    KnownPerson("Donald Trump", ("Trump", "President Trump", "President Donald Trump"),
                "President of the United States"),
    KnownPerson("Agustina Blanco", (), "Journalist, Voz.us"),
]


def _pairs(text: str, known=()) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in extract_quotes(normalize_snapshot(text), known=known)]


@pytest.mark.parametrize("known", [(), DEMO_PEOPLE], ids=["nobody-known", "demo-people-known"])
def test_demo_article_yields_every_quote_with_its_speaker(known):
    assert _pairs(ARTICLE, known) == DEMO_EXPECTED


def test_demo_quotes_are_anchored_at_their_offsets():
    for quote in extract_quotes(ARTICLE):
        assert ARTICLE[quote.start:quote.end] == quote.text


def test_nested_quote_points_at_the_quote_holding_it():
    quotes = extract_quotes(ARTICLE)
    inner = next(q for q in quotes if q.text.startswith("What can we help"))
    assert quotes[inner.outer].text.startswith("On some of the calls")
    assert quotes[inner.outer].start < inner.start < inner.end <= quotes[inner.outer].end + 1


def test_said_after_the_name_and_name_after_said():
    text = ('"Taxes will fall next year," Maria Lopez said. Later: "We kept our word," said John Smith.')
    assert _pairs(text) == [("Taxes will fall next year", "Maria Lopez"),
                            ("We kept our word", "John Smith")]


def test_curly_quotes_and_according_to():
    text = "The plan is “a disaster for farmers,” according to Senator Ann Brown."
    assert _pairs(text) == [("a disaster for farmers", "Ann Brown")]


def test_told_and_wrote_before_the_quote():
    text = (
        "John Smith told reporters: “We will not raise taxes.”\n\n"
        "Ann Brown wrote on her blog that \"the budget is a fantasy.\""
    )
    assert _pairs(text) == [("We will not raise taxes", "John Smith"),
                            ("the budget is a fantasy", "Ann Brown")]


def test_quotation_interrupted_by_its_attribution():
    text = '"We will build the bridge," Mayor Ann Brown said. "It will open in May."'
    assert _pairs(text) == [("We will build the bridge", "Ann Brown"),
                            ("It will open in May", "Ann Brown")]


def test_quotation_running_over_several_paragraphs():
    text = (
        'Governor Tom Hale spoke at length. "The state is ready for the storm. We have crews in '
        "every county.\n\n"
        '"Nobody will be left behind," he added.'
    )
    assert _pairs(text) == [
        ("The state is ready for the storm. We have crews in every county", "Tom Hale"),
        ("Nobody will be left behind", "Tom Hale"),
    ]


def test_paragraph_without_attribution_continues_the_previous_speaker():
    text = (
        '"Prices are stable," John Smith said.\n\n'
        '"Wages are rising too."\n\n'
        "Inflation was 2% in May."
    )
    assert _pairs(text) == [("Prices are stable", "John Smith"), ("Wages are rising too", "John Smith")]


def test_pronoun_resolves_to_the_sentence_subject_not_the_last_name():
    text = (
        "Ann Brown, the mayor, met John Smith on Monday. She said the meeting went well, "
        'stressing that "the city needs the money."'
    )
    assert _pairs(text) == [("the city needs the money", "Ann Brown")]


def test_bare_role_resolves_to_the_person_it_fits():
    text = (
        "The prime minister of Canada, Mark Jones, met President Donald Trump.\n\n"
        '"We will not be a state," the Canadian leader said.'
    )
    assert _pairs(text) == [("We will not be a state", "Mark Jones")]


def test_colon_introduction_and_surname():
    text = (
        "Finance Minister Rosa Diaz presented the budget on Monday.\n\n"
        'Diaz was blunt: "There is no money left."'
    )
    assert _pairs(text) == [("There is no money left", "Rosa Diaz")]


def test_apostrophes_and_one_word_scare_quotes_are_not_quotes():
    text = "Trump's offer and the players' union's 'plan' were discussed in the '90s style."
    assert _pairs(text) == []


def test_known_alias_names_the_speaker():
    text = '"We are ready," the Mexican leader said.'
    assert _pairs(text, DEMO_PEOPLE) == [("We are ready", SHEINBAUM)]


def test_quote_with_nobody_to_attribute_it_to_has_no_speaker():
    text = 'The sign read "no entry after dark" in large letters.'
    assert _pairs(text) == [("no entry after dark", None)]


@pytest.mark.parametrize(("text", "expected"), [
    ('"We\'re not going to back down," said Gov. Gavin Newsom, a Democrat.',
     [("We're not going to back down", "Gavin Newsom")]),
    ("Prime Minister Keir Starmer told Parliament on Tuesday: “We will act.” He added that the plan "
     "was “fully funded.”", [("We will act", "Keir Starmer"), ("fully funded", "Keir Starmer")]),
    ('According to Dr. Anthony Fauci, "the virus is spreading."',
     [("the virus is spreading", "Anthony Fauci")]),
    ('Smith, 54, said: "No comment."', [("No comment", "Smith")]),
    ('Senator Elizabeth Warren (D-Mass.) said the bill "is a giveaway."',
     [("is a giveaway", "Elizabeth Warren")]),
    ('In a post on Truth Social, Trump wrote: "Mexico will pay."', [("Mexico will pay", "Trump")]),
    ('"We\'ll see," said Ms. Ana García, the minister of economy.', [("We'll see", "Ana García")]),
    ("“It’s a disaster,” she said.", [("It’s a disaster", None)]),
])
def test_common_newsroom_attributions(text, expected):
    assert _pairs(text) == expected


def test_paragraph_ending_with_a_colon_introduces_the_quote_below():
    text = (
        '"We are done," John Smith said.\n\n'
        "Ann Brown, the mayor, said in a statement:\n\n"
        '"The bridge will open in May."'
    )
    assert _pairs(text) == [("We are done", "John Smith"), ("The bridge will open in May", "Ann Brown")]


def test_three_paragraph_quotation_attributed_at_its_end():
    text = (
        '"We are done," John Smith said.\n\n'
        '"The first part of the plan is ready.\n\n'
        '"The second part is ready too.\n\n'
        '"And the third part is coming," Ann Brown said.'
    )
    assert [speaker for _, speaker in _pairs(text)] == ["John Smith", "Ann Brown", "Ann Brown", "Ann Brown"]


@pytest.mark.parametrize(("text", "expected"), [
    ('"We are ready to talk," the White House said.', [("We are ready to talk", "White House")]),
    ('"The border is closed," said the Ministry of Foreign Affairs.',
     [("The border is closed", "Ministry of Foreign Affairs")]),
    ('According to the Pentagon, "no troops will cross."', [("no troops will cross", "Pentagon")]),
    ('"Prices will fall," the Bank of Mexico said in a statement.', [("Prices will fall", "Bank of Mexico")]),
    ('"It is safe," Human Rights Watch said.', [("It is safe", "Human Rights Watch")]),
])
def test_organisations_are_speakers_too(text, expected):
    assert _pairs(text) == expected
    assert all(is_organization(speaker) for _, speaker in expected)


def test_a_role_never_resolves_to_an_organisation():
    text = ('"We are ready," Joe Biden said. "Talks start Monday," the White House said in a statement. '
            '"We will see," the president said.')
    assert _pairs(text) == [("We are ready", "Joe Biden"), ("Talks start Monday", "White House"),
                            ("We will see", "Joe Biden")]


@pytest.mark.parametrize(("name", "organization"), [
    ("White House", True), ("Ministry of Foreign Affairs", True), ("National Guard", True),
    ("Claudia Sheinbaum", False), ("Donald Trump", False), ("Smith", False),
])
def test_organisation_names_are_told_from_people(name, organization):
    assert is_organization(name) is organization


# --- Patterns of real news writing, English and Spanish ---------------------------------------


def _full(text: str, language=None, known=()):
    return [(q.text, q.speaker, q.method) for q in
            extract_quotes(normalize_snapshot(text), language=language, known=known)]


@pytest.mark.parametrize(("text", "expected"), [
    ("«Vamos a bajar los impuestos», dijo el ministro de Hacienda, Pedro Salas.",
     [("Vamos a bajar los impuestos", "Pedro Salas")]),
    ("La alcaldesa Rosa Ibáñez aseguró que «la obra estará lista en mayo».",
     [("la obra estará lista en mayo", "Rosa Ibáñez")]),
    ("Según Marta Gil, portavoz del sindicato, “no habrá huelga”.", [("no habrá huelga", "Marta Gil")]),
    ("La senadora Lilia Torres habló tras la votación. «Es un día histórico», afirmó.",
     [("Es un día histórico", "Lilia Torres")]),
])
def test_spanish_speech_verbs_roles_and_marks(text, expected):
    assert [(t, s) for t, s, _ in _full(text, "es")] == expected


def test_spanish_dialogue_dashes():
    text = ("El entrenador del equipo, Julio Prado, habló al terminar el partido.\n\n"
            "—Merecimos ganar —dijo el técnico—. El equipo jugó muy bien.")
    assert _full(text, "es") == [
        ("Merecimos ganar", "Julio Prado", "role"),
        ("El equipo jugó muy bien", "Julio Prado", "continuation"),
    ]


def test_speaker_on_a_line_of_its_own_in_capitals():
    text = ("Leaders reacted on Friday:\n\n"
            "JANE OKORO, FINANCE MINISTER OF THE REPUBLIC:\n\n"
            '"This deal protects our farmers."\n\n'
            '"We will sign it next week."\n\n'
            "PAUL MEYER, OPPOSITION LEADER, ON TWITTER:\n\n"
            '"A bad day for workers."')
    assert _full(text) == [
        ("This deal protects our farmers", "Jane Okoro", "speaker_line"),
        ("We will sign it next week", "Jane Okoro", "continuation"),
        ("A bad day for workers", "Paul Meyer", "speaker_line"),
    ]


def test_role_then_name_goes_to_the_name_that_follows():
    text = ('Lena Ortiz filed the suit in March. "The ruling is clear," said the state\'s attorney '
            "general, Rob Haines, on Monday.")
    assert _full(text)[0][:2] == ("The ruling is clear", "Rob Haines")


def test_person_introduced_in_narrative_then_he_said():
    text = ('"The mine was safe," the company said in a statement.\n\n'
            "Gary Lund, a miner for 20 years, was on the night shift. He said: "
            '"We heard the pipes knocking."')
    assert _full(text)[1][:2] == ("We heard the pipes knocking", "Gary Lund")


def test_two_people_with_one_surname_are_kept_apart():
    text = ('Tom Harlow has farmed here for forty years. "The river took everything," Harlow said.\n\n'
            'His wife, Linda Harlow, was calmer. "We plant again in April," Harlow said.')
    assert [s for _, s, _ in _full(text)] == ["Tom Harlow", "Linda Harlow"]


def test_no_people_from_title_case_headlines_or_company_roles():
    text = ("Minister Slams Budget Plan\n\n"
            '"This budget is reckless," Acme CEO Dana Wills said on Monday.')
    assert _full(text) == [("This budget is reckless", "Dana Wills", "after_verb")]


def test_reversed_and_mixed_marks_and_nicknames():
    text = ("”The fares stay the same,“ said Mayor Gwen Hart. The transit chief, nicknamed 'the Fixer', "
            'added: "We cut what we could.”')
    assert [(t, s) for t, s, _ in _full(text)] == [
        ("The fares stay the same", "Gwen Hart"), ("We cut what we could", "Gwen Hart"),
    ]


def test_statement_speaker_named_only_in_the_headline():
    text = ("Statement from Governor Maria Delgado on the floods\n\n"
            '"Tonight our state grieves. Every family will get help."')
    assert _full(text) == [("Tonight our state grieves. Every family will get help", "Maria Delgado",
                             "headline")]


def test_full_name_once_then_compound_surname():
    text = ('Ana María de la Fuente, la consejera, habló el lunes. «No lo compartimos», dijo de la Fuente.')
    assert [s for _, s, _ in _full(text, "es")] == ["Ana María de la Fuente"]


def test_a_candidate_known_person_is_never_found_by_surname_alone():
    known = [KnownPerson("Ruth Calder", (), "", confirmed=False)]
    assert [s for _, s, _ in _full('"We are ready," Calder said.', known=known)] == ["Calder"]
    confirmed = [KnownPerson("Ruth Calder")]
    assert [s for _, s, _ in _full('"We are ready," Calder said.', known=confirmed)] == ["Ruth Calder"]


def test_every_quote_carries_a_method_and_a_confidence():
    for quote in extract_quotes(ARTICLE, language="en"):
        assert quote.method in METHOD_CONFIDENCE
        assert 0 < quote.confidence <= 1


def test_press_conference_questions_and_answers():
    text = ("La presidenta Lucía Ortega habló el lunes en su conferencia matutina.\n\n"
            "Una reportera le preguntó por el presupuesto.\n\n"
            "—Presidenta, ¿habrá recortes?\n\n"
            "—No habrá recortes —respondió—. El gasto social se mantiene.\n\n"
            "Otro periodista, Pablo Ruiz, insistió.\n\n"
            "—¿Puede garantizarlo?\n\n"
            "—Lo garantizo —contestó.")
    assert [(t, s) for t, s, _ in _full(text, "es")] == [
        ("Presidenta, ¿habrá recortes?", None),  # a reporter the article does not name
        ("No habrá recortes", "Lucía Ortega"),
        ("El gasto social se mantiene", "Lucía Ortega"),
        ("¿Puede garantizarlo?", "Pablo Ruiz"),
        ("Lo garantizo", "Lucía Ortega"),  # an answer: whoever spoke before the one who asked
    ]


def test_a_quote_after_narrative_goes_to_the_person_it_introduced():
    text = ('"The vote was fair," Mayor Dana Cole said.\n\n'
            "Lena Park, a nurse, has lived on the street for 30 years. She was at the meeting.\n\n"
            '"Nobody asked us."')
    assert [s for _, s, _ in _full(text)] == ["Dana Cole", "Lena Park"]


def test_a_name_right_after_a_role_complement_and_names_never_cross_lines():
    text = ("Los Ibarra, medio siglo en la Rioja Alavesa\n\n"
            "Jesús Ibarra poda sus viñas cada enero.\n\n"
            "Según el catedrático de Derecho Constitucional Ignacio Bermejo, la ley «no cambia nada». "
            "Bermejo lo repitió dos veces.")
    people = {s for _, s, _ in _full(text, "es")}
    assert people == {"Ignacio Bermejo"}


def test_capitalised_pieces_of_words_are_not_names():
    text = ('Shares of XPeng and eBay rose. "We are not worried," said DataCorp\'s McAllister.')
    quotes = _full(text)
    assert [s for _, s, _ in quotes] == ["McAllister"]


def test_para_x_gives_whose_view_a_quotation_is():
    text = "Para el ministro de Hacienda, Luis Vera, el déficit «ya está bajo control»."
    assert _full(text, "es") == [("ya está bajo control", "Luis Vera", "according_to")]


def test_a_feminine_role_or_pronoun_does_not_go_to_a_man():
    text = ("La ministra de Trabajo, Yolanda Ruiz, anunció la subida del salario mínimo.\n\n"
            "La patronal criticó la medida. Su presidente, Antonio Gil, advirtió de que "
            "«las pymes no pueden más».\n\n"
            "La vicepresidenta insistió: «No hay marcha atrás».")
    assert [s for _, s, _ in _full(text, "es")] == ["Antonio Gil", "Yolanda Ruiz"]
    english = ('"We will appeal," said Mr. Tom Reyes, the defendant.\n\n'
               "His lawyer, Ms. Dana Holt, spoke to reporters outside. Reyes left without comment.\n\n"
               '"The verdict will not stand," she said.')
    assert [s for _, s, _ in _full(english)] == ["Tom Reyes", "Dana Holt"]
