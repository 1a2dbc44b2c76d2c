"""Scoring quote extraction against a labelled corpus: pure functions, no database.

A corpus is a folder of articles: ``<slug>.txt`` (the text as imported: the headline on the first
line, paragraphs separated by blank lines) and ``<slug>.json`` (metadata and the labelled
quotations ``[{"text", "speaker"}]``). ``manage.py evaluate_quotes`` produces the predictions
(through the import service, or the extractor alone) and prints what this module scores.

Matching a label to a prediction (each label to at most one prediction and back):
  both texts are normalized — Unicode NFC, casefold, quotation marks (and apostrophes, which share
  their characters) removed, whitespace collapsed, punctuation and spaces stripped at both ends —
  and they match when they are equal, or when one contains the other and the shorter is at least
  ``MIN_OVERLAP`` (80 %) of the longer one's length (a quote cut a word short, or with a
  trailing clause, still counts; a prediction that swallows two quotations, or half a quotation,
  does not). Equal texts are paired first, then containments by decreasing overlap; among
  equals, the pair with the right speaker, then the pair closest in order.

Speakers: a label's speaker is right when the matched prediction's speaker is the same name after
``normalize_name`` (accents, case, punctuation and spacing ignored: "José María Aznar" =
"Jose Maria Aznar"). Nothing else is forgiven: a surname alone, a title added or a role instead
of the name is wrong, since the corpus labels the fullest name the article gives. A label
without a speaker (the article names nobody) is right only when the prediction has none either.

Scores (micro-averaged over the articles selected):
  recall      labels matched / labels
  precision   predictions matched / predictions
  speakers    labels matched with the right speaker / labels (what an editor gets right
              without touching anything; never above recall)
  attribution labels matched with the right speaker / labels matched
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MIN_OVERLAP = 0.8
LANGUAGES = ("en", "es")
METRICS = ("recall", "precision", "speakers", "attribution")

QUOTE_MARKS = "\"'“”„‟«»‹›‘’‚‛`´"
_MARKS_RE = re.compile("[" + re.escape(QUOTE_MARKS) + "]")
_EDGE_RE = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES_RE = re.compile(r"\s+")


class CorpusError(ValueError):
    """The corpus folder or one of its files is not what the format asks for."""


@dataclass(frozen=True)
class LabelledQuote:
    text: str
    speaker: str | None


@dataclass(frozen=True)
class Article:
    slug: str
    language: str
    text: str
    quotes: tuple[LabelledQuote, ...]
    outlet: str = ""
    url: str = ""
    genre: str = ""
    origin: str = ""


Prediction = tuple[str, str | None]  # (text, speaker)


# --- Reading the corpus ------------------------------------------------------------------------


def load_article(path: Path) -> Article:
    """One article from ``<slug>.json`` and the ``<slug>.txt`` beside it."""
    text_path = path.with_suffix(".txt")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        text = text_path.read_text(encoding="utf-8")
    except (OSError, json.JSONDecodeError) as exc:
        raise CorpusError(f"{path.name}: {exc}") from exc
    if meta.get("slug") != path.stem:
        raise CorpusError(f"{path.name}: slug {meta.get('slug')!r} is not the file name")
    if meta.get("language") not in LANGUAGES:
        raise CorpusError(f"{path.name}: language must be one of {LANGUAGES}")
    try:
        quotes = tuple(LabelledQuote(text=q["text"], speaker=q["speaker"]) for q in meta["quotes"])
    except (KeyError, TypeError) as exc:
        raise CorpusError(f"{path.name}: each quote needs 'text' and 'speaker'") from exc
    return Article(
        slug=meta["slug"], language=meta["language"], text=text.strip(), quotes=quotes,
        outlet=meta.get("outlet", ""), url=meta.get("url", ""), genre=meta.get("genre", ""),
        origin=meta.get("origin", ""),
    )


def load_corpus(folder: str | Path, *, language: str = "", slugs: Sequence[str] = ()) -> list[Article]:
    """The corpus's articles in file-name order (the order they are imported in)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"Not a folder: {folder}")
    articles = [load_article(path) for path in sorted(folder.glob("*.json"))]
    if not articles:
        raise CorpusError(f"No articles (<slug>.json + <slug>.txt) in {folder}")
    if language:
        articles = [a for a in articles if a.language == language]
    if slugs:
        unknown = set(slugs) - {a.slug for a in articles}
        if unknown:
            raise CorpusError(f"No such article: {', '.join(sorted(unknown))}")
        articles = [a for a in articles if a.slug in slugs]
    return articles


# --- Normalizing -------------------------------------------------------------------------------


def normalize_text(text: str) -> str:
    """What two renderings of one quotation have in common (see the module docstring)."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = _MARKS_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text)
    return _EDGE_RE.sub("", text)


def normalize_name(name: str | None) -> str:
    """A name without accents, case, punctuation or extra spaces ("" for no name)."""
    if not name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"[^\w\s]", " ", plain)
    return " ".join(plain.split())


def text_overlap(label: str, predicted: str) -> float:
    """How well two normalized texts match: 1.0 equal, the shorter's share of the longer one when
    one contains the other, 0.0 otherwise."""
    if not label or not predicted:
        return 0.0
    if label == predicted:
        return 1.0
    shorter, longer = sorted((label, predicted), key=len)
    if shorter not in longer:
        return 0.0
    return len(shorter) / len(longer)


def same_speaker(label: str | None, predicted: str | None) -> bool:
    return normalize_name(label) == normalize_name(predicted)


# --- Scoring -----------------------------------------------------------------------------------


class Ratio:
    """A metric of a ``Score``: one of its counts over another, 1.0 when there is nothing to count
    (no labels to find, no predictions to be wrong)."""

    def __init__(self, part: str, whole: str):
        self.part, self.whole = part, whole

    def __get__(self, score, owner=None):
        if score is None:
            return self
        whole = getattr(score, self.whole)
        return getattr(score, self.part) / whole if whole else 1.0


@dataclass
class Score:
    """Counts for one article or a group of them; the metrics are ratios of these counts."""

    labels: int = 0
    predictions: int = 0
    matched: int = 0  # labels matched (= predictions matched: matching is one to one)
    speakers_right: int = 0
    articles: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(*(getattr(self, f) + getattr(other, f) for f in
                       ("labels", "predictions", "matched", "speakers_right", "articles")))

    recall = Ratio("matched", "labels")
    precision = Ratio("matched", "predictions")
    speakers = Ratio("speakers_right", "labels")
    attribution = Ratio("speakers_right", "matched")

    def as_dict(self) -> dict:
        return {
            "articles": self.articles, "labels": self.labels, "predictions": self.predictions,
            "matched": self.matched, "speakers_right": self.speakers_right,
            **{metric: round(getattr(self, metric), 4) for metric in METRICS},
        }


@dataclass
class ArticleResult:
    article: Article
    predictions: list[Prediction]
    pairs: list[tuple[int, int]]  # (label index, prediction index)
    score: Score
    missed: list[LabelledQuote] = field(default_factory=list)
    spurious: list[Prediction] = field(default_factory=list)
    wrong_speaker: list[tuple[LabelledQuote, str | None]] = field(default_factory=list)


def match(labels: Sequence[LabelledQuote], predictions: Sequence[Prediction]) -> list[tuple[int, int]]:
    """Pair labels with predictions one to one (see the module docstring): ``[(label, prediction)]``
    sorted by label index."""
    normalized_labels = [normalize_text(label.text) for label in labels]
    normalized_predictions = [normalize_text(text) for text, _ in predictions]
    candidates = []
    for i, label in enumerate(normalized_labels):
        for j, predicted in enumerate(normalized_predictions):
            overlap = text_overlap(label, predicted)
            if overlap >= MIN_OVERLAP:
                # A right speaker breaks ties between equally good texts (the same words quoted twice).
                right = same_speaker(labels[i].speaker, predictions[j][1])
                candidates.append((-overlap, not right, abs(i - j), i, j))
    pairs: list[tuple[int, int]] = []
    used_labels: set[int] = set()
    used_predictions: set[int] = set()
    for *_, i, j in sorted(candidates):
        if i not in used_labels and j not in used_predictions:
            used_labels.add(i)
            used_predictions.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def score_article(article: Article, predictions: Iterable[Prediction]) -> ArticleResult:
    predictions = [(text, speaker or None) for text, speaker in predictions]
    labels = list(article.quotes)
    pairs = match(labels, predictions)
    result = ArticleResult(article=article, predictions=predictions, pairs=pairs, score=Score(
        labels=len(labels), predictions=len(predictions), matched=len(pairs), articles=1,
    ))
    for i, j in pairs:
        if same_speaker(labels[i].speaker, predictions[j][1]):
            result.score.speakers_right += 1
        else:
            result.wrong_speaker.append((labels[i], predictions[j][1]))
    matched_labels = {i for i, _ in pairs}
    matched_predictions = {j for _, j in pairs}
    result.missed = [label for i, label in enumerate(labels) if i not in matched_labels]
    result.spurious = [p for j, p in enumerate(predictions) if j not in matched_predictions]
    return result


@dataclass
class Report:
    articles: list[ArticleResult]

    @property
    def overall(self) -> Score:
        return sum((r.score for r in self.articles), Score())

    def by_language(self) -> dict[str, Score]:
        groups: dict[str, Score] = {}
        for result in self.articles:
            language = result.article.language
            groups[language] = groups.get(language, Score()) + result.score
        return dict(sorted(groups.items()))

    def below(self, floors: dict[str, float]) -> list[str]:
        """The overall metrics under their floor, as sentences (empty when all are met)."""
        overall = self.overall
        return [
            f"{metric} {getattr(overall, metric):.3f} is below the floor {floor:.3f}"
            for metric, floor in floors.items() if floor is not None and getattr(overall, metric) < floor
        ]

    def as_dict(self) -> dict:
        return {
            "overall": self.overall.as_dict(),
            "languages": {lang: s.as_dict() for lang, s in self.by_language().items()},
            "articles": [
                {
                    "slug": r.article.slug, "language": r.article.language, "genre": r.article.genre,
                    **r.score.as_dict(),
                    "missed": [{"text": q.text, "speaker": q.speaker} for q in r.missed],
                    "spurious": [{"text": t, "speaker": s} for t, s in r.spurious],
                    "wrong_speaker": [{"text": q.text, "expected": q.speaker, "predicted": s}
                                      for q, s in r.wrong_speaker],
                }
                for r in self.articles
            ],
        }


def evaluate(articles: Sequence[Article], predictions: dict[str, Sequence[Prediction]]) -> Report:
    """Score every article against its predictions (``{slug: [(text, speaker)]}``)."""
    return Report([score_article(a, predictions.get(a.slug, ())) for a in articles])


# --- Tables ------------------------------------------------------------------------------------

_COUNTS = ("articles", "labels", "predictions")


def _row(name: str, score: Score) -> list[str]:
    return [name, str(score.articles), str(score.labels), str(score.predictions),
            *(f"{getattr(score, m):.3f}" for m in METRICS)]


def summary_rows(report: Report) -> list[list[str]]:
    rows = [_row(lang, score) for lang, score in report.by_language().items()]
    rows.append(_row("all", report.overall))
    return rows


def article_rows(report: Report) -> list[list[str]]:
    return [_row(f"{r.article.slug} ({r.article.language})", r.score) for r in report.articles]


def format_text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    lines = ["  ".join(str(c).ljust(w) if k == 0 else str(c).rjust(w)
                       for k, (c, w) in enumerate(zip(line, widths, strict=True)))
             for line in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if k == 0 else "---:" for k in range(len(header))) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def header(first: str) -> list[str]:
    """Column names of the tables: ``first`` names the row (language or article)."""
    return [first, *_COUNTS, *METRICS]
