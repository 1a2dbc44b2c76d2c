"""Scoring quote extraction (sources/evaluation.py, manage.py evaluate_quotes) and the corpus."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sources import evaluation
from sources.evaluation import Article, LabelledQuote, score_article
from sources.models import Quote, Source
from sources.text import normalize_snapshot

CORPUS = Path(__file__).resolve().parents[2] / "sources" / "corpora" / "quotes"

# The floors the extractor must not fall below on the project's corpus, through the import path
# (what `manage.py evaluate_quotes sources/corpora/quotes` measures). The one place to raise them.
FLOORS = {
    "all": {"recall": 0.97, "precision": 0.96, "speakers": 0.91},
    "en": {"recall": 0.97, "precision": 0.96, "speakers": 0.92},
    "es": {"recall": 0.98, "precision": 0.96, "speakers": 0.90},
}

# What the issue asks of the corpus.
MIN_ARTICLES, MIN_SPANISH, MIN_LABELS = 30, 8, 250


def _article(*quotes: tuple[str, str | None], language: str = "en", slug: str = "a") -> Article:
    return Article(slug=slug, language=language, text="Headline",
                   quotes=tuple(LabelledQuote(text, speaker) for text, speaker in quotes))


# --- Normalizing and matching --------------------------------------------------------------------


def test_normalized_text_ignores_case_marks_spacing_and_edge_punctuation():
    assert evaluation.normalize_text("“We will  appeal,”\n she.") == "we will appeal, she"
    assert evaluation.normalize_text("«No vamos a rendirnos».") == "no vamos a rendirnos"
    assert evaluation.normalize_text("It's done.") == "its done"
    assert evaluation.normalize_text("¿Por qué?") == "por qué"


def test_normalized_name_ignores_accents_case_and_punctuation_only():
    assert evaluation.normalize_name("José María  Aznar") == "jose maria aznar"
    assert evaluation.same_speaker("Ana María de la Fuente", "ana maria de la fuente")
    assert evaluation.same_speaker("Jean-Luc Picard", "Jean Luc Picard")
    assert not evaluation.same_speaker("Ana María de la Fuente", "De la Fuente")
    assert not evaluation.same_speaker("Maria Okafor", "CEO Maria Okafor")
    assert evaluation.same_speaker(None, None)
    assert evaluation.same_speaker(None, "")
    assert not evaluation.same_speaker(None, "Maria Okafor")


def test_overlap_is_the_shorter_texts_share_of_the_longer_when_one_contains_the_other():
    assert evaluation.text_overlap("abc", "abc") == 1.0
    assert evaluation.text_overlap("abcdefghij", "abcdefgh") == pytest.approx(0.8)
    assert evaluation.text_overlap("abcdefgh", "abcdefghij") == pytest.approx(0.8)
    assert evaluation.text_overlap("abcdefghij", "bcdefghijk") == 0.0  # overlapping, neither contains
    assert evaluation.text_overlap("", "abc") == 0.0


def test_a_prediction_cut_short_by_a_word_matches_but_half_a_quotation_does_not():
    label = "We delivered a strong quarter in a difficult market, and I'm proud of it"
    result = score_article(_article((label, "Maria Okafor")), [
        ("We delivered a strong quarter in a difficult market, and I'm proud", "Maria Okafor"),
    ])
    assert result.score.matched == 1

    result = score_article(_article((label, "Maria Okafor")), [
        ("We delivered a strong quarter in a difficult market", "Maria Okafor"),
    ])
    assert result.score.matched == 0
    assert [q.text for q in result.missed] == [label]
    assert result.spurious == [("We delivered a strong quarter in a difficult market", "Maria Okafor")]


def test_a_prediction_swallowing_two_quotations_matches_neither():
    first, second = "We did not expect this result today", "but we are ready for the next round"
    result = score_article(_article((first, "A"), (second, "A")), [(f"{first}, she said, {second}", "A")])
    assert result.score.matched == 0
    assert result.score.recall == 0.0 and result.score.precision == 0.0


def test_matching_is_one_to_one():
    """The same words quoted twice need two predictions; a duplicate prediction is spurious."""
    article = _article(("Hemos merecido más", "Julián Ibarra"), ("Hemos merecido más", "Julián Ibarra"))
    once = score_article(article, [("Hemos merecido más", "Julián Ibarra")])
    assert (once.score.matched, once.score.recall, once.score.precision) == (1, 0.5, 1.0)

    article = _article(("Hemos merecido más", "Julián Ibarra"))
    twice = score_article(article, [("Hemos merecido más", "Julián Ibarra")] * 2)
    assert (twice.score.matched, twice.score.recall, twice.score.precision) == (1, 1.0, 0.5)


def test_exact_matches_are_paired_before_containments():
    article = _article(("Tiene mala pinta", "Ibarra"), ("Tiene mala pinta, de verdad", "Galán"))
    predictions = [("Tiene mala pinta, de verdad", "Galán"), ("Tiene mala pinta", "Ibarra")]
    result = score_article(article, predictions)
    assert result.pairs == [(0, 1), (1, 0)]
    assert result.score.speakers_right == 2


def test_speaker_scores_count_every_label_and_attribution_only_the_matched_ones():
    article = _article(("one two three four", "Ana López"), ("five six seven eight", "Ana López"),
                       ("nine ten eleven twelve", None), ("thirteen fourteen fifteen", "Luis Gil"))
    result = score_article(article, [
        ("One two three four.", "Ana Lopez"),  # right (accents)
        ("five six seven eight", "López"),  # wrong: a surname alone
        ("nine ten eleven twelve", None),  # right: nobody named, nobody predicted
        ("something else entirely", "Luis Gil"),  # spurious
    ])
    score = result.score
    assert (score.labels, score.predictions, score.matched, score.speakers_right) == (4, 4, 3, 2)
    assert score.recall == 0.75 and score.precision == 0.75
    assert score.speakers == 0.5
    assert score.attribution == pytest.approx(2 / 3)
    assert result.wrong_speaker == [(LabelledQuote("five six seven eight", "Ana López"), "López")]
    assert [q.text for q in result.missed] == ["thirteen fourteen fifteen"]


def test_no_predictions_and_no_labels_score_without_dividing_by_zero():
    empty = score_article(_article(), [])
    assert (empty.score.recall, empty.score.precision, empty.score.speakers) == (1.0, 1.0, 1.0)
    silent = score_article(_article(("one two three", "A")), [])
    assert (silent.score.recall, silent.score.precision, silent.score.speakers) == (0.0, 1.0, 0.0)


def test_report_adds_counts_per_language_and_overall_not_ratios():
    report = evaluation.evaluate(
        [_article(("a b c", "X"), ("d e f", "X"), slug="en1"),
         _article(("g h i", "Y"), slug="en2"),
         _article(("j k l", "Z"), language="es", slug="es1")],
        {"en1": [("a b c", "X")], "en2": [("g h i", "Y")], "es1": [("j k l", "W")]},
    )
    languages = report.by_language()
    assert languages["en"].recall == pytest.approx(2 / 3)  # micro: 2 of 3 labels, not mean(0.5, 1)
    assert languages["es"].speakers == 0.0
    overall = report.overall
    assert (overall.articles, overall.labels, overall.matched, overall.speakers_right) == (3, 4, 3, 2)
    assert overall.recall == 0.75 and overall.precision == 1.0 and overall.speakers == 0.5


def test_report_below_names_every_metric_under_its_floor():
    report = evaluation.evaluate([_article(("a b c", "X"), ("d e f", "X"))], {"a": [("a b c", "Y")]})
    assert report.below({"recall": 0.5, "precision": 1.0, "speakers": 0.1}) == [
        "speakers 0.000 is below the floor 0.100",
    ]
    assert report.below({"recall": 0.6, "precision": None, "speakers": 0.0}) == [
        "recall 0.500 is below the floor 0.600",
    ]


# --- The corpus ------------------------------------------------------------------------------------


def test_corpus_is_well_formed():
    articles = evaluation.load_corpus(CORPUS)
    for article in articles:
        assert article.text == normalize_snapshot(article.text), f"{article.slug}: not a normalized snapshot"
        assert "\n\n" in article.text, f"{article.slug}: headline and paragraphs need blank lines"
        assert article.genre and article.origin in ("page", "written"), article.slug
        assert article.outlet, article.slug
        for quote in article.quotes:
            assert quote.text in article.text, f"{article.slug}: label not in the text: {quote.text!r}"
            assert quote.text == quote.text.strip(), f"{article.slug}: label with edge spaces: {quote.text!r}"
            assert quote.speaker is None or quote.speaker.strip() == quote.speaker != ""


def test_corpus_has_the_size_the_issue_asks_for():
    articles = evaluation.load_corpus(CORPUS)
    assert len(articles) >= MIN_ARTICLES
    assert sum(a.language == "es" for a in articles) >= MIN_SPANISH
    assert sum(len(a.quotes) for a in articles) >= MIN_LABELS


def test_corpus_files_come_in_pairs_with_matching_slugs():
    stems = {p.stem for p in CORPUS.iterdir() if p.suffix in (".txt", ".json")}
    for stem in stems:
        assert (CORPUS / f"{stem}.txt").is_file() and (CORPUS / f"{stem}.json").is_file(), stem
        assert json.loads((CORPUS / f"{stem}.json").read_text(encoding="utf-8"))["slug"] == stem


def test_load_corpus_refuses_a_broken_article(tmp_path):
    (tmp_path / "x.json").write_text('{"slug": "y", "language": "en", "quotes": []}', encoding="utf-8")
    (tmp_path / "x.txt").write_text("Headline", encoding="utf-8")
    with pytest.raises(evaluation.CorpusError, match="slug 'y' is not the file name"):
        evaluation.load_corpus(tmp_path)
    with pytest.raises(evaluation.CorpusError, match="Not a folder"):
        evaluation.load_corpus(tmp_path / "missing")


# --- The command -----------------------------------------------------------------------------------


def _run(*args: str) -> str:
    out = StringIO()
    call_command("evaluate_quotes", str(CORPUS), *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_extractor_stays_above_its_floors_on_the_corpus_through_the_import_path():
    """The floors above, through the same path an import takes; nothing is left in the database."""
    sources_before = Source.objects.count()
    floors = FLOORS["all"]
    report = json.loads(_run("--json", *(f"--min-{metric}={value}" for metric, value in floors.items())))
    for language, score in report["languages"].items():
        for metric, floor in FLOORS[language].items():
            assert score[metric] >= floor, f"{language} {metric} {score[metric]} < floor {floor}"
    assert report["overall"]["labels"] == sum(len(a.quotes) for a in evaluation.load_corpus(CORPUS))
    assert Source.objects.count() == sources_before
    assert Quote.objects.count() == 0


@pytest.mark.django_db
def test_the_command_fails_below_a_floor_and_says_which():
    with pytest.raises(CommandError, match=r"^recall \d\.\d{3} is below the floor 1\.010$"):
        _run("--article", "es-futbol-rueda-prensa-derbi", "--min-recall", "1.01")


@pytest.mark.django_db
def test_keep_leaves_the_imported_sources():
    _run("--article", "en-earnings-call-brightline", "--keep")
    source = Source.objects.get(url="https://quotes-corpus.example/en-earnings-call-brightline")
    assert source.language == "en"
    assert source.content.startswith("Brightline Logistics Beats Forecasts")


def test_extractor_only_needs_no_database_and_prints_both_tables():
    out = _run("--extractor-only", "--language", "es")
    assert re.search(r"^es-futbol-rueda-prensa-derbi \(es\)\s+1\s+10\s", out, re.M)
    assert re.search(r"^es\s+\d+\s+\d+", out, re.M)
    assert re.search(r"^all\s+\d+\s+\d+", out, re.M)
    assert not re.search(r"^en\s", out, re.M)


def test_markdown_output_has_the_summary_and_the_per_article_table():
    out = _run("--extractor-only", "--markdown", "--article", "en-wire-reactions-ceasefire")
    assert out.startswith(
        "| language | articles | labels | predictions | recall | precision | speakers | attribution |\n"
    )
    assert "<details><summary>Per article</summary>" in out
    assert "| en-wire-reactions-ceasefire (en) | 1 | 9 |" in out


def test_an_unknown_article_is_a_command_error():
    with pytest.raises(CommandError, match="No such article: nope"):
        _run("--extractor-only", "--article", "nope")


def test_keep_needs_the_import_path():
    with pytest.raises(CommandError, match=r"^--keep needs the import path \(not --extractor-only\)\.$"):
        _run("--extractor-only", "--keep")


def test_json_lists_what_was_missed_and_what_was_spurious_per_article(tmp_path):
    article = CORPUS / "en-tennis-post-match"
    meta = json.loads(article.with_suffix(".json").read_text(encoding="utf-8"))
    meta["quotes"].append({"text": "a label no extractor can find", "speaker": "Nobody"})
    (tmp_path / "en-tennis-post-match.json").write_text(json.dumps(meta), encoding="utf-8")
    (tmp_path / "en-tennis-post-match.txt").write_text(
        article.with_suffix(".txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = StringIO()
    call_command("evaluate_quotes", str(tmp_path), "--extractor-only", "--json", stdout=out)
    result = json.loads(out.getvalue())["articles"][0]
    assert result["labels"] == len(meta["quotes"])
    assert {"text": "a label no extractor can find", "speaker": "Nobody"} in result["missed"]
    assert result["recall"] < 1.0
