"""The check-worthiness model (triage/model.py): trained from the repository's corpus and
measured on its held-out split, with the floors the issue sets."""

import numpy as np
import pytest

from bench.triage import build_article
from triage import model as ml
from triage.features import split_sentences

F1_FLOORS = {"en": 0.70, "es": 0.60}


@pytest.fixture(scope="module")
def corpus():
    return ml.split(ml.load_corpus())


@pytest.fixture(scope="module")
def trained(corpus):
    train, _ = corpus
    return ml.train(train)


@pytest.fixture(scope="module")
def scores(trained, corpus):
    _, test = corpus
    return ml.evaluate(trained, test)


def test_the_corpus_has_both_languages_on_both_sides_of_the_split(corpus):
    train, test = corpus
    for side in (train, test):
        assert {example.language for example in side} == {"en", "es"}
        assert {example.label for example in side} == {0, 1}
    assert not {e.doc for e in train} & {e.doc for e in test}, "the split is by document"


@pytest.mark.parametrize("language", ["en", "es"])
def test_f1_on_the_held_out_split_meets_the_floor(scores, language):
    measured = scores["languages"][language]
    assert measured["f1"] >= F1_FLOORS[language], measured


def test_precision_at_10_per_document_is_well_above_chance(scores, corpus):
    _, test = corpus
    for language, measured in scores["languages"].items():
        base_rate = np.mean([e.label for e in test if e.language == language])
        # A random order would find check-worthy sentences at the base rate.
        assert measured["precision_at_10"] >= base_rate + 0.1, (language, measured, base_rate)
        assert measured["precision_at_10"] <= measured["precision_at_10_ceiling"]


def test_mean_f1_is_the_mean_of_the_languages(scores):
    languages = scores["languages"]
    assert scores["mean_f1"] == round((languages["en"]["f1"] + languages["es"]["f1"]) / 2, 4)


def test_training_is_deterministic(corpus, trained):
    train, test = corpus
    again = ml.train(train)
    texts = [e.text for e in test[:50]]
    assert [s.score for s in ml.score(again, texts)] == [s.score for s in ml.score(trained, texts)]


def test_a_stored_model_scores_like_the_fitted_one(trained):
    texts = ["Unemployment fell to 3.5% in 2024.", "Thank you all for coming tonight."]
    restored = ml.loads(ml.dumps(trained))
    assert ml.score(restored, texts) == ml.score(trained, texts)


@pytest.mark.parametrize(("text", "expected_reason"), [
    ("Unemployment fell to 3.5 percent last year, the lowest rate since 1969.", "percentage"),
    ("The state spent $4.2 billion on the program in 2023.", "money"),
    ("La inflación subió al 7,8% en enero, según el INEGI.", "percentage"),
    ("El gobierno destinó 300 millones de pesos a la reforma en 2024.", "number"),
])
def test_check_worthy_sentences_score_high_with_their_reasons(trained, text, expected_reason):
    [result] = ml.score(trained, [text])
    assert result.score >= 0.7, result
    codes = [reason["code"] for reason in result.reasons]
    assert expected_reason in codes, result.reasons
    assert all(reason["weight"] > 0 for reason in result.reasons if reason["code"] == expected_reason)
    assert all(reason["label"] for reason in result.reasons)


@pytest.mark.parametrize(("text", "expected_reason"), [
    ("What would you say to the families watching tonight?", "question"),
    ("¿Qué le diría usted a las familias que nos ven esta noche?", "question"),
    ("Thank you so much, and good evening to everyone here.", "greeting"),
    ("Muchas gracias y buenas noches a todos los presentes.", "greeting"),
])
def test_questions_and_greetings_score_low_and_say_why(trained, text, expected_reason):
    [result] = ml.score(trained, [text])
    assert result.score < 0.3, result
    reason = next(r for r in result.reasons if r["code"] == expected_reason)
    assert reason["weight"] < 0


def test_reasons_are_strongest_first_and_at_most_four(trained):
    [result] = ml.score(trained, [
        "The president said the deficit grew 12% to $1.8 trillion in 2024, more than ever."])
    weights = [abs(reason["weight"]) for reason in result.reasons]
    assert 1 <= len(weights) <= ml.MAX_REASONS
    assert weights == sorted(weights, reverse=True)


def test_precision_at_k_counts_each_documents_best_sentences():
    rows = [("a", 0.9, 1), ("a", 0.8, 0), ("a", 0.1, 1), ("b", 0.5, 0)]
    # Document a: top 2 of 3 → 1 of 2; document b: its one sentence → 0. Mean 0.25.
    assert ml._precision_at_k(rows, k=2) == (0.25, 0.5)


def test_training_needs_both_labels():
    with pytest.raises(ValueError, match="check-worthy and not"):
        ml.train([ml.Example("Taxes fell 5%.", 1, "en")])


def test_a_5000_word_article_is_scored_in_one_batch(trained, monkeypatch):
    """Every sentence of an article goes through the features and the classifier together, once:
    what keeps scoring a long article cheap. The time itself is measured by the benchmark
    (``python -m bench.triage``, figures in docs/triage.md), not asserted here."""
    article = build_article(5000, "both")
    assert len(article.split()) >= 5000
    sentences = [sentence.text for sentence in split_sentences(article)]
    calls = []
    features = trained.named_steps["features"]
    transform = features.transform
    monkeypatch.setattr(features, "transform",
                        lambda texts: calls.append(len(texts)) or transform(texts))
    results = ml.score(trained, sentences)
    assert len(results) == len(sentences) > 300
    assert calls == [len(sentences)]
