"""What makes a sentence worth checking, as features a person can read.

Two halves, both language-aware (English and Spanish) and both cheap enough to score a
5,000-word article in a few tens of milliseconds:

- ``split_sentences``: sentences with their character offsets in the text they came from (the
  source's snapshot), so a candidate can be highlighted and matched to the quotes anchored there;
- ``CUES``: interpretable cues — a number, a percentage, an amount of money, a date, a
  comparison, a change, a statistic, a causal link, a factual verb, an attribution, a public
  figure, a promise, a quotation, a law or policy — and the cues that make a sentence *not*
  worth checking: a question, an opinion, a greeting, procedure, hedging, too few words.
  ``InterpretableFeatures`` turns sentences into the cue matrix the model weighs; the model's
  weights times these values are the *reasons* shown to the desk (``triage.model``).

The word and character n-grams (TF-IDF) that sit beside these cues in the model are built by
scikit-learn in ``triage.model``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

# --- Sentence splitting ---------------------------------------------------------------------

# Words whose full stop does not end a sentence (English and Spanish titles and abbreviations).
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "jr", "sr", "sra", "srta", "prof",
    "vs", "no", "inc", "corp", "ltd", "co", "dept", "lt", "col", "capt", "sgt", "rev", "hon",
    "pres", "etc", "approx", "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "lic", "ing", "arq", "dra", "ud", "uds", "av", "pág", "núm",
    "aprox", "u.s", "u.k", "u.n", "e.u", "ee.uu", "d.c", "p.m", "a.m", "a.c", "ph.d",
})
# A sentence ends at . ! ? or … (with closing quotation marks or brackets after it), followed by
# white space and something that can start a sentence: a capital, a digit, an opening mark, ¿ or ¡.
_SENTENCE_END = re.compile(r"(?:[.!?…]+)[\"”’'»)\]]*\s+(?=[\"“‘'«(¿¡\[]?[A-ZÁÉÍÓÚÑÜ0-9])")
_LAST_WORD = re.compile(r"([\w.]+)$")
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text == content[start:end]`` of the text it was split from."""

    start: int
    end: int
    text: str


def _ends_sentence(chunk: str) -> bool:
    """Whether the full stop at the end of ``chunk`` ends a sentence (not an abbreviation or an
    initial such as the "J." of "J. Smith")."""
    stripped = chunk.rstrip("\"”’'»)]").rstrip()
    if not stripped.endswith("."):
        return True
    word = _LAST_WORD.search(stripped[:-1])
    if not word:
        return True
    token = word.group(1).lower().strip(".")
    return not (token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()))


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order, each with its offsets; paragraphs (lines) never share
    a sentence. Headlines and list items without a full stop are sentences of their own."""
    sentences: list[Sentence] = []
    for paragraph in _PARAGRAPH.finditer(text):
        lo, hi = paragraph.start(), paragraph.end()
        start = lo
        for match in _SENTENCE_END.finditer(text, lo, hi):
            if not _ends_sentence(text[start:match.start() + len(match.group().rstrip())]):
                continue
            _add(sentences, text, start, match.start() + len(match.group().rstrip()))
            start = match.end()
        _add(sentences, text, start, hi)
    return sentences


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end, text[start:end]))


# --- Language --------------------------------------------------------------------------------

_ES_WORDS = frozenset(
    (
        "el", "la", "los", "las", "de", "del", "que", "y", "en", "un", "una", "por", "con",
        "para", "es", "se", "no", "lo", "como", "más", "pero", "sus", "su", "al", "fue", "ha",
        "han", "este", "esta", "hemos", "hay", "muy", "también", "según", "porque", "año",
        "años", "millones",
    )
)
_EN_WORDS = frozenset(
    (
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "was", "on", "with",
        "as", "are", "be", "by", "this", "have", "from", "at", "not", "has", "will", "we",
        "our", "they", "their", "been", "were", "which", "than", "more", "million", "percent",
    )
)


def guess_language(text: str, default: str = "en") -> str:
    """``"es"`` or ``"en"`` by counting common function words; ``default`` on a tie."""
    words = re.findall(r"[a-záéíóúñü]+", text.lower())
    es = sum(w in _ES_WORDS for w in words) + 2 * len(re.findall(r"[ñ¿¡áéíóú]", text.lower()))
    en = sum(w in _EN_WORDS for w in words)
    if es == en:
        return default
    return "es" if es > en else "en"


def primary_language(code: str) -> str:
    """The primary subtag of a BCP 47 code (``es-MX`` → ``es``), lower case."""
    return (code or "").split("-")[0].strip().lower()


# --- Cues ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One interpretable feature: its code, the reason shown to people, and what it looks for.

    ``words`` are single lower-case tokens and ``phrases`` runs of two to five tokens (set
    look-ups: a regular expression with hundreds of alternatives costs ten times more);
    ``pattern`` catches the rest. ``value`` is 1 when anything is found (``count=True``:
    log(1 + number of matches)), else 0.
    """

    code: str
    label: str
    words: frozenset[str] = frozenset()
    phrases: frozenset[str] = frozenset()
    pattern: re.Pattern | None = None
    count: bool = False

    def value(self, sentence: Prepared) -> float:
        if self.count:
            found = sum(1 for token in sentence.tokens if token in self.words)
            found += sum(sentence.padded.count(f" {phrase} ") for phrase in self.phrases)
            if self.pattern is not None:
                found += len(self.pattern.findall(sentence.text))
            return math.log1p(found)
        if not self.words.isdisjoint(sentence.token_set):
            return 1.0
        if not self.phrases.isdisjoint(sentence.runs):
            return 1.0
        return 1.0 if self.pattern is not None and self.pattern.search(sentence.text) else 0.0


_TOKEN = re.compile(r"[\w'’-]+")
MAX_RUN = 5
_PLAIN = re.compile(r"^[\w'’ -]+$")


@dataclass(frozen=True)
class Prepared:
    """A sentence tokenised once for every cue."""

    text: str
    tokens: tuple[str, ...]
    token_set: frozenset[str]
    runs: frozenset[str]  # every run of 2..MAX_RUN tokens, joined by spaces
    padded: str

    @classmethod
    def of(cls, text: str) -> Prepared:
        tokens = _tokens(text)
        runs = frozenset(" ".join(tokens[i:i + n]) for n in range(2, MAX_RUN + 1)
                         for i in range(len(tokens) - n + 1))
        return cls(text, tokens, frozenset(tokens), runs, " " + " ".join(tokens) + " ")


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(token.replace("’", "'") for token in _TOKEN.findall(text.lower()))


def _cue(code: str, label: str, *terms: str, regex: str = "", count: bool = False,
         case: bool = False) -> Cue:
    """A cue from plain terms (words and phrases, any case) and regular-expression terms (any
    term with other characters, matched as whole words, case-insensitive) plus ``regex`` (as
    written; case-sensitive when ``case``)."""
    words = {t for t in terms if _PLAIN.match(t) and " " not in t}
    phrases = frozenset(" ".join(_tokens(t)) for t in terms if _PLAIN.match(t) and " " in t)
    assert all(2 <= len(phrase.split()) <= MAX_RUN for phrase in phrases), phrases
    patterns = [t for t in terms if not _PLAIN.match(t)]
    flags = 0 if case else re.IGNORECASE
    alternatives = ([regex] if regex else []) + (
        [r"\b(?:" + "|".join(patterns) + r")\b"] if patterns else [])
    pattern = re.compile("|".join(alternatives), flags) if alternatives else None
    return Cue(code, label, frozenset(w.replace("’", "'") for w in words), phrases, pattern, count)


_MONTHS = tuple(
    (
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "enero", "febrero", "marzo", "abril", "mayo",
        "junio", "julio", "agosto", "septiembre", "setiembre", "octubre", "noviembre",
        "diciembre",
    )
)

_NUMBER_WORDS = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "hundreds", "dozen", "dozens", "half", "twice", "dos", "tres", "cuatro",
    "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce", "veinte", "treinta",
    "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa", "cien", "ciento",
    "cientos", "mitad", "doble", "triple",
]

CUES: tuple[Cue, ...] = (
    # --- what makes a sentence worth checking ---
    _cue("number", "a number", *_NUMBER_WORDS, regex=r"\d[\d.,]*", count=True),
    _cue("quantity", "a large quantity",
         "thousand", "thousands", "million", "millions", "billion", "billions", "trillion",
         "trillions", "mil", "miles", "millón", "millones", "billones",
         regex=r"\d\s?(?:bn|mn|m|k)\b"),
    _cue("percentage", "a percentage",
         "percent", "per cent", "percentage point", "percentage points", "por ciento",
         "puntos porcentuales", "porcentaje", regex=r"%"),
    _cue("money", "an amount of money",
         "dollar", "dollars", "euro", "euros", "pesos", "usd", "eur", "mxn", "budget", "tax",
         "taxes", "spending", "spent", "cost", "costs", "costed", "funding", "wage", "wages",
         "salary", "salaries", "presupuesto", "impuesto", "impuestos", "gasto", "gastó", "costó",
         "costo", "coste", "financiamiento", "salario", "salarios", "dólares",
         regex=r"[$€£¥]\s?\d|\d\s?[$€£]"),
    _cue("date", "a date or period",
         *_MONTHS, "last year", "last month", "last week", "last decade", "last quarter",
         "this year", "since", "decade", "decades", "years ago", "el año pasado", "este año",
         "desde", "en los últimos", "década", "décadas", "trimestre", "quarter",
         r"(?:in|over|for) the (?:past|last) \w+", r"hace \w+ años",
         regex=r"\b(?:1[89]|20)\d\d\b"),
    _cue("comparison", "a comparison",
         "more than", "less than", "fewer than", "greater than", "higher than", "lower than",
         "bigger than", "smaller than", "as many as", "compared to", "compared with",
         "than ever", "times more", "times as", "más que", "menos que", "más de", "menos de",
         "mayor que", "menor que", "en comparación con", "comparado con", "frente a",
         "veces más", r"more \w+ than", regex=r"\Ber than\b"),
    _cue("superlative", "a superlative or record",
         "the most", "the least", "the highest", "the lowest", "the largest", "the biggest",
         "the smallest", "the fastest", "the worst", "the best", "the first", "the only",
         "record", "all-time", "ever", "el más", "la más", "los más", "las más", "el mayor",
         "la mayor", "el menor", "la menor", "récord", "histórico", "histórica", "el primero",
         "la primera", "el único", "la única", "jamás", "nunca antes",
         regex=r"\Best (?:in|since|ever)\b"),
    _cue("change", "a change over time",
         "rose", "risen", "rise", "rising", "fell", "fallen", "falling", "dropped", "drop",
         "increase", "increased", "increasing", "decrease", "decreased", "decreasing", "decline",
         "declined", "grew", "grown", "growth", "doubled", "tripled", "halved", "cut", "cuts",
         "reduced", "surged", "soared", "plunged", "climbed", "shrank", "aumentó", "aumentaron",
         "aumento", "subió", "subieron", "bajó", "bajaron", "cayó", "cayeron", "creció",
         "crecieron", "crecimiento", "disminuyó", "disminuyeron", "se duplicó", "se triplicó",
         "redujo", "redujimos", "recortó", "descendió", "incrementó", "incremento", "caída",
         "reducción"),
    _cue("statistic", "a statistic",
         "rate", "rates", "unemployment", "employment", "jobs", "inflation", "gdp", "economy",
         "average", "median", "poll", "polls", "survey", "census", "data", "figures",
         "statistics", "deficit", "debt", "crime", "homicide", "homicides", "death", "deaths",
         "cases", "population", "per capita", "exports", "imports", "poverty", "tasa",
         "desempleo", "empleo", "empleos", "inflación", "pib", "economía", "promedio", "media",
         "encuesta", "censo", "datos", "cifras", "estadísticas", "déficit", "deuda", "delito",
         "delitos", "homicidios", "muertes", "casos", "población", "exportaciones",
         "importaciones", "pobreza", "inegi", "bls"),
    _cue("causal", "a causal assertion",
         "because", "due to", "caused", "causes", "led to", "leads to", "resulted in",
         "result in", "as a result", "thanks to", "therefore", "responsible for", "blame",
         "blamed", "so that", "porque", "debido a", "causó", "causa", "provocó", "provoca",
         "gracias a", "como resultado", "por lo tanto", "por eso", "responsable de", "culpa de",
         "se debe a", "generó"),
    _cue("factual_verb", "a factual assertion",
         "is the", "are the", "was the", "were the", "has been", "have been", "there is",
         "there are", "there were", "there was", "reached", "recorded", "registered", "killed",
         "died", "created", "lost", "won", "approved", "passed", "signed", "voted", "invested",
         "received", "produce", "produces", "account for", "accounts for", "represent",
         "represents", "exceed", "exceeds", "hit", "hay", "había", "hubo", "es el", "es la",
         "son los", "fue el", "fue la", "ha sido", "han sido", "registró", "alcanzó",
         "alcanzaron", "murieron", "perdió", "perdieron", "creó", "creamos", "ganó", "aprobó",
         "aprobaron", "firmó", "votó", "invirtió", "recibió", "representa", "supera", "superó",
         "cuenta con", "tiene", "tienen"),
    _cue("attribution", "attributed to someone",
         "said", "says", "stated", "claimed", "claims", "told", "according to", "announced",
         "declared", "insisted", "argued", "reported", "testified", "tweeted", "wrote", "posted",
         "confirmed", "denied", "acknowledged", "dijo", "afirmó", "aseguró", "declaró", "según",
         "anunció", "señaló", "sostuvo", "indicó", "explicó", "informó", "reconoció", "negó",
         "confirmó", "advirtió", "denunció", "publicó", "escribió", "manifestó", "expresó"),
    _cue("public_figure", "a public figure or institution",
         "president", "vice president", "prime minister", "minister", "secretary", "senator",
         "congressman", "congresswoman", "governor", "mayor", "chancellor", "official",
         "officials", "spokesperson", "spokesman", "ceo", "government", "administration",
         "congress", "senate", "parliament", "ministry", "department", "agency", "court",
         "white house", "the fed", "central bank", "party", "presidente", "presidenta",
         "ministro", "ministra", "secretario", "secretaria", "senador", "senadora", "diputado",
         "diputada", "gobernador", "gobernadora", "alcalde", "alcaldesa", "canciller",
         "gobierno", "congreso", "senado", "ministerio", "secretaría", "tribunal",
         "suprema corte", "banco central", "portavoz", "vocero", "vocera", "funcionarios",
         "partido"),
    # Capitalised words in a row after the first word (a name: "Claudia Sheinbaum", "Banco de
    # México"), or an acronym (INEGI, GDP).
    _cue("named_entity", "a named person or organisation",
         regex=r"(?<=\s)[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:\s(?:de|del|la|of|the)?\s?[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+)+"
               r"|\b[A-Z]{2,6}\b", case=True),
    _cue("promise", "a promise or commitment",
         "will", "won't", "shall", "we are going to", "we're going to", "i'm going to",
         "i am going to", "promise", "promised", "promises", "pledge", "pledged", "pledges",
         "vow", "vowed", "vows", "commit to", "committed to", "commits to", "guarantee",
         "vamos a", "voy a", "va a", "van a", "prometo", "prometió", "prometemos",
         "me comprometo", "nos comprometemos", "se compromete", "se comprometió", "garantizo",
         "garantizamos", r"by 20\d\d",
         # Spanish future tense: "construiremos", "bajará".
         regex=r"\B(?:aremos|eremos|iremos|ará|erá|irá|arán|erán|irán)\b"),
    _cue("quotation", "a quotation", regex=r"[\"“”«»]|(?:^|\s)['‘][^'’]{3,}['’](?:\s|[.,;:]|$)"),
    _cue("policy", "a law or policy",
         "law", "laws", "bill", "act", "legislation", "policy", "regulation", "ban", "tariff",
         "tariffs", "reform", "program", "programme", "decree", "treaty", "agreement", "ley",
         "leyes", "iniciativa", "reforma", "decreto", "política", "programa", "arancel",
         "aranceles", "tratado", "acuerdo", "norma"),
    # --- what makes it not worth checking ---
    _cue("question", "a question", regex=r"\?\s*[\"”’'»)]*$|^\s*[\"“«]?¿"),
    _cue("opinion", "an opinion",
         "i think", "i believe", "i feel", "in my opinion", "in my view", "i hope", "i'm sure",
         "we believe", "we think", "it seems", "should", "must", "ought to", "beautiful",
         "great", "terrible", "wonderful", "amazing", "proud", "shameful", "creo que",
         "pienso que", "en mi opinión", "me parece", "espero que", "ojalá", "debería",
         "deberíamos", "debemos", "hay que", "estoy convencido", "orgulloso", "orgullosa",
         "vergüenza", "maravilloso"),
    _cue("greeting", "a greeting or thanks",
         "thank you", "thanks", "good morning", "good afternoon", "good evening", "good night",
         "welcome", "hello", "ladies and gentlemen", "it's a pleasure", "it is an honor",
         "congratulations", "god bless", "gracias", "buenos días", "buenas tardes",
         "buenas noches", "bienvenidos", "bienvenidas", "señoras y señores", "saludo", "saludos",
         "felicidades", "felicito", "es un honor", "es un placer"),
    _cue("procedure", "procedure",
         "next question", "the floor", "moderator", "adjourned", "we'll take", "let me turn",
         "turn it over", "back to you", "the session", "on the agenda", "rebuttal", "minutes",
         "seconds to", "go ahead", "let's move on", "move on to", "i yield", "please",
         "stay tuned", "after the break", "question goes to", "siguiente pregunta",
         "tiene la palabra", "cedo la palabra", "se levanta la sesión", "orden del día",
         "la sesión", "adelante", "pasamos a", "por favor", "moderador", "moderadora", "réplica",
         "minutos para", "segundos para", "a continuación"),
    _cue("hedge", "hedged or vague",
         "maybe", "perhaps", "might", "could", "possibly", "probably", "some say", "tal vez",
         "quizás", "quizá", "podría", "posiblemente", "probablemente", "a lo mejor"),
    _cue("first_person_feeling", "a personal statement",
         "i love", "i'm happy", "i am happy", "i'm glad", "i want to", "i'd like to",
         "i would like to", "let me", "let us", "let's", "me alegra", "quiero", "quisiera",
         "me gustaría", "estoy feliz"),
)
# Derived cues that are not patterns: computed in ``cue_values``.
SHORT = Cue("short", "too short to check")
LENGTH = Cue("length", "a long sentence")
ALL_CUES: tuple[Cue, ...] = (*CUES, SHORT, LENGTH)
CUE_CODES: tuple[str, ...] = tuple(cue.code for cue in ALL_CUES)
CUE_LABELS: dict[str, str] = {cue.code: cue.label for cue in ALL_CUES}
SHORT_WORDS = 5


def cue_values(text: str) -> list[float]:
    """The value of every cue of ``ALL_CUES`` for one sentence, in order."""
    sentence = Prepared.of(text)
    values = [cue.value(sentence) for cue in CUES]
    words = len(text.split())
    values.append(1.0 if words < SHORT_WORDS else 0.0)
    values.append(min(words, 60) / 30.0)
    return values


def found_cues(text: str) -> list[str]:
    """The codes of the cues found in ``text`` (for people and tests; ``length`` left out)."""
    return [code for code, value in zip(CUE_CODES, cue_values(text), strict=True)
            if value and code != "length"]


class InterpretableFeatures(BaseEstimator, TransformerMixin):
    """scikit-learn transformer: sentences → the cue matrix (one column per ``ALL_CUES``)."""

    def fit(self, sentences, y=None):  # noqa: ARG002 - the cues are fixed, nothing to learn
        return self

    def transform(self, sentences):
        return np.array([cue_values(text) for text in sentences], dtype=np.float64)

    def get_feature_names_out(self, input_features=None):  # noqa: ARG002
        return np.array(CUE_CODES, dtype=object)
