"""The check-worthiness corpus (triage/corpus/sentences.jsonl) is well-formed and split by document."""

import importlib.util
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

CORPUS_DIR = Path(__file__).resolve().parents[2] / "triage" / "corpus"
CORPUS = CORPUS_DIR / "sentences.jsonl"
FIELDS = {"id", "doc", "language", "genre", "text", "label", "origin", "split"}
OPTIONAL = {"source"}
GENRES = {"news", "speech", "debate", "press_release", "press_conference", "press_briefing", "interview"}


@pytest.fixture(scope="module")
def rows():
    with CORPUS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def by_language(rows, language):
    return [row for row in rows if row["language"] == language]


def test_every_row_has_the_fields_and_values_of_the_schema(rows):
    for row in rows:
        assert FIELDS <= row.keys() <= FIELDS | OPTIONAL, row["id"]
        assert row["label"] in (0, 1) and isinstance(row["label"], int), row["id"]
        assert row["language"] in ("en", "es"), row["id"]
        assert row["origin"] in ("page", "written"), row["id"]
        assert row["split"] in ("train", "test"), row["id"]
        assert row["genre"] in GENRES, row["id"]
        assert row["text"] == row["text"].strip() and row["text"], row["id"]
        assert "\n" not in row["text"], row["id"]
        if row["origin"] == "page":
            assert row["source"].startswith("http"), row["id"]


def test_ids_and_texts_are_unique(rows):
    ids = Counter(row["id"] for row in rows)
    texts = Counter(" ".join(row["text"].lower().split()) for row in rows)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [t for t, n in texts.items() if n > 1] == []


def test_ids_are_stable_document_positions(rows):
    positions = defaultdict(list)
    for row in rows:
        doc, _, number = row["id"].rpartition("-")
        assert doc == row["doc"], row["id"]
        positions[doc].append(int(number))
    for doc, numbers in positions.items():
        assert numbers == list(range(1, len(numbers) + 1)), doc


def test_documents_are_whole_and_of_ten_to_forty_sentences(rows):
    sizes = Counter(row["doc"] for row in rows)
    assert {doc: n for doc, n in sizes.items() if not 10 <= n <= 40} == {}
    for field in ("language", "genre", "origin", "split"):
        values = defaultdict(set)
        for row in rows:
            values[row["doc"]].add(row[field])
        assert {doc: v for doc, v in values.items() if len(v) > 1} == {}, field


def test_counts_meet_the_minimums(rows):
    assert len(rows) >= 1500
    assert len(by_language(rows, "en")) >= 1000
    assert len(by_language(rows, "es")) >= 600


@pytest.mark.parametrize("language", ["en", "es"])
def test_positive_share_is_realistic(rows, language):
    labels = [row["label"] for row in by_language(rows, language)]
    assert 0.20 <= sum(labels) / len(labels) <= 0.60


@pytest.mark.parametrize("language", ["en", "es"])
def test_split_is_by_document_with_at_least_a_fifth_held_out(rows, language):
    subset = by_language(rows, language)
    test_rows = [row for row in subset if row["split"] == "test"]
    assert 0.20 <= len(test_rows) / len(subset) <= 0.35
    assert {row["label"] for row in test_rows} == {0, 1}
    train_docs = {row["doc"] for row in subset if row["split"] == "train"}
    test_docs = {row["doc"] for row in test_rows}
    assert train_docs & test_docs == set()
    assert len(test_docs) >= 5


def load_builder():
    spec = importlib.util.spec_from_file_location("corpus_build", CORPUS_DIR / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return build


def test_the_file_is_what_the_builder_makes_from_the_raw_documents(rows):
    build = load_builder()
    documents = [build.read_document(path) for path in sorted(build.RAW.glob("*.txt"))]
    kept = {row["doc"]: row["split"] for row in rows}
    rebuilt = build.build_rows(documents, build.assign_splits(documents, kept))
    assert rebuilt == rows


def test_the_guideline_shows_the_current_statistics(rows):
    build = load_builder()
    guideline = (CORPUS_DIR.parents[1] / "docs" / "triage-guideline.md").read_text(encoding="utf-8")
    assert build.stats_table(rows) in guideline
