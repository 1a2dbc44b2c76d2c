"""The check-worthiness model: training, scoring with reasons, evaluation, (de)serialisation.

Pure machine learning, no database: ``triage.services`` stores fitted models in ``TriageModel``
rows and picks the active one.

The model is a class-balanced logistic regression (scikit-learn, ``liblinear``, fixed
``random_state``: the same corpus gives the same model) over three blocks of features:

- the interpretable cues of ``triage.features`` (weighted ``CUE_WEIGHT`` so that regularisation
  lets them carry what they can — their weights are what the reasons are made of);
- word uni- and bigrams (TF-IDF, sublinear);
- character 3–5-grams inside words (TF-IDF), which share evidence between English and Spanish
  and between inflections (``aumentó``/``aumentaron``, ``increase``/``increased``).

A sentence's *reasons* are the cues found in it whose contribution to its score (weight × value)
is largest in absolute value: positive ones say why it is worth checking, negative ones why not.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from triage.features import CUE_CODES, CUE_LABELS, InterpretableFeatures

CORPUS_PATH = Path(__file__).resolve().parent / "corpus" / "sentences.jsonl"
LANGUAGES = ("en", "es")
RANDOM_STATE = 0
CUE_WEIGHT = 2.0
C = 4.0
# A sentence scoring at least this is predicted check-worthy (for F1); the queue orders by score.
THRESHOLD = 0.5
TOP_K = 10
# Words, plus the signs that carry meaning here (a percentage, money, a question).
WORD_TOKENS = r"(?u)\b\w+\b|[%$€?¿]"
# Reasons: at most this many cues, each contributing at least this much to the log-odds.
MAX_REASONS = 4
MIN_CONTRIBUTION = 0.1
# Cues never given as a reason (``length`` is present in every sentence).
NOT_A_REASON = {"length"}


@dataclass(frozen=True)
class Example:
    """One labelled sentence. ``doc`` groups sentences of one document (for precision@10)."""

    text: str
    label: int
    language: str
    doc: str = ""
    split: str = "train"


@dataclass(frozen=True)
class Scored:
    """A sentence's score (probability of being check-worthy, 0..1) and its reasons."""

    score: float
    reasons: list[dict]


# --- The corpus ----------------------------------------------------------------------------


def load_corpus(path: Path | str | None = None) -> list[Example]:
    """The labelled sentences of the repository's corpus (``triage/corpus/sentences.jsonl``):
    one JSON object a line with ``text``, ``label`` (0/1), ``language``, ``doc`` and ``split``
    (``train``/``test``; the split is by document, so no document is on both sides)."""
    examples = []
    for number, line in enumerate(Path(path or CORPUS_PATH).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            examples.append(Example(
                text=row["text"], label=int(row["label"]), language=row["language"],
                doc=row.get("doc", ""), split=row.get("split", "train"),
            ))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path or CORPUS_PATH}:{number}: not a corpus row ({error})") from error
    return examples


def corpus_digest(path: Path | str | None = None) -> str:
    """SHA-256 of the corpus file: which corpus a model was trained and measured on."""
    return hashlib.sha256(Path(path or CORPUS_PATH).read_bytes()).hexdigest()


def split(examples: Iterable[Example]) -> tuple[list[Example], list[Example]]:
    """``(train, test)`` by each example's ``split``."""
    train, test = [], []
    for example in examples:
        (test if example.split == "test" else train).append(example)
    return train, test


# --- Training and scoring ------------------------------------------------------------------


def build_pipeline() -> Pipeline:
    features = FeatureUnion(
        [
            ("cues", InterpretableFeatures()),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                      token_pattern=WORD_TOKENS)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                      min_df=2)),
        ],
        transformer_weights={"cues": CUE_WEIGHT, "words": 1.0, "chars": 1.0},
    )
    classifier = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", dual=True,
                                    random_state=RANDOM_STATE, max_iter=5000)
    return Pipeline([("features", features), ("classifier", classifier)])


def train(examples: Sequence[Example]) -> Pipeline:
    """Fit a new pipeline on ``examples`` (both labels must be present). Deterministic."""
    labels = {example.label for example in examples}
    if labels != {0, 1}:
        raise ValueError("Training needs check-worthy and not check-worthy sentences.")
    pipeline = build_pipeline()
    pipeline.fit([example.text for example in examples], [example.label for example in examples])
    return pipeline


def cue_weights(pipeline: Pipeline) -> np.ndarray:
    """The log-odds weight of each cue of ``CUE_CODES`` (per unit of the cue's value)."""
    coefficients = pipeline.named_steps["classifier"].coef_[0]
    return coefficients[: len(CUE_CODES)] * CUE_WEIGHT


def score(pipeline: Pipeline, texts: Sequence[str]) -> list[Scored]:
    """Scores and reasons for ``texts`` (one batch: a source's sentences are scored together)."""
    if not texts:
        return []
    features = pipeline.named_steps["features"].transform(list(texts))
    probabilities = pipeline.named_steps["classifier"].predict_proba(features)[:, 1]
    # The cue block comes first in the union, scaled by its weight: read the values back rather
    # than computing the cues twice.
    cues = features[:, : len(CUE_CODES)]
    cues = (cues.toarray() if hasattr(cues, "toarray") else np.asarray(cues)) / CUE_WEIGHT
    weights = cue_weights(pipeline)
    return [Scored(score=round(float(probability), 4), reasons=reasons_for(values, weights))
            for values, probability in zip(cues, probabilities, strict=True)]


def reasons_for(values: Sequence[float], weights: np.ndarray) -> list[dict]:
    """The cues present whose contribution (weight × value) matters most, strongest first:
    ``[{"code", "label", "weight"}]`` — a positive weight is a reason to check, a negative one a
    reason not to."""
    contributions = [
        (code, weight * value)
        for code, value, weight in zip(CUE_CODES, values, weights, strict=True)
        if value and code not in NOT_A_REASON and abs(weight * value) >= MIN_CONTRIBUTION
    ]
    contributions.sort(key=lambda item: (-abs(item[1]), item[0]))
    return [{"code": code, "label": CUE_LABELS[code], "weight": round(float(contribution), 2)}
            for code, contribution in contributions[:MAX_REASONS]]


# --- Evaluation ----------------------------------------------------------------------------


def _f1(labels: Sequence[int], predicted: Sequence[int]) -> dict:
    true_positive = sum(1 for y, p in zip(labels, predicted, strict=True) if y and p)
    predicted_positive = sum(predicted)
    positive = sum(labels)
    precision = true_positive / predicted_positive if predicted_positive else 0.0
    recall = true_positive / positive if positive else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4)}


def _precision_at_k(rows: Sequence[tuple[str, float, int]], k: int = TOP_K) -> tuple[float, float]:
    """Mean over documents of the share of check-worthy sentences among each document's ``k``
    best-scored ones (all of them when it has fewer): what an editor sees at the top of an
    article's queue. Also returns the ceiling a perfect ranking would reach (a document with
    fewer than ``k`` check-worthy sentences cannot fill its top ``k``)."""
    by_doc: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for doc, probability, label in rows:
        by_doc[doc].append((probability, label))
    if not by_doc:
        return 0.0, 0.0
    shares, ceilings = [], []
    for items in by_doc.values():
        top = sorted(items, key=lambda item: -item[0])[:k]
        shares.append(sum(label for _, label in top) / len(top))
        ceilings.append(min(sum(label for _, label in items), len(top)) / len(top))
    return round(sum(shares) / len(shares), 4), round(sum(ceilings) / len(ceilings), 4)


def evaluate(pipeline: Pipeline, examples: Sequence[Example]) -> dict:
    """Scores on ``examples`` (the held-out split): per language and overall, F1 / precision /
    recall of the check-worthy class at ``THRESHOLD``, precision@10 per document, and counts.
    ``mean_f1`` (the mean of the languages' F1) is what retraining compares."""
    if not examples:
        return {"languages": {}, "overall": {}, "mean_f1": 0.0}
    probabilities = pipeline.predict_proba([example.text for example in examples])[:, 1]
    groups: dict[str, list[tuple[Example, float]]] = defaultdict(list)
    for example, probability in zip(examples, probabilities, strict=True):
        groups[example.language].append((example, float(probability)))
        groups["overall"].append((example, float(probability)))
    result: dict = {"languages": {}}
    for name, items in groups.items():
        labels = [example.label for example, _ in items]
        predicted = [int(probability >= THRESHOLD) for _, probability in items]
        scores = _f1(labels, predicted)
        scores["precision_at_10"], scores["precision_at_10_ceiling"] = _precision_at_k(
            [(example.doc or example.text, probability, example.label) for example, probability in items])
        scores["sentences"] = len(items)
        scores["positives"] = sum(labels)
        scores["documents"] = len({example.doc for example, _ in items})
        if name == "overall":
            result["overall"] = scores
        else:
            result["languages"][name] = scores
    languages = result["languages"]
    result["mean_f1"] = round(sum(s["f1"] for s in languages.values()) / len(languages), 4)
    return result


# --- Serialisation -------------------------------------------------------------------------


def dumps(pipeline: Pipeline) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(pipeline, buffer, compress=3)
    return buffer.getvalue()


def loads(blob: bytes) -> Pipeline:
    """A pipeline stored by ``dumps`` (our own database's bytes: trusted, never user input)."""
    return joblib.load(io.BytesIO(bytes(blob)))


SKLEARN_VERSION = sklearn.__version__
