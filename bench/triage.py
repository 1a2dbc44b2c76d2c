"""``python -m bench.triage``: how long scoring a ~5,000-word article takes (no database).

Builds an article from the corpus's held-out sentences (English and Spanish, in paragraphs of
five), trains the model from the train split as ``triage.services`` would on first use, then
times ``triage.model.score`` over the article's sentences — splitting, the interpretable cues,
the n-grams and the classifier with reasons — over several rounds, and prints the median and
the worst round. Options: ``--words`` (5,000), ``--rounds`` (7), ``--language`` (en, es or both),
``--write-docs`` (rewrite the measured tables of docs/triage.md: held-out scores and speed).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "triage.md"


def build_article(words: int, language: str) -> str:
    from triage import model as ml

    sentences = [e.text for e in ml.load_corpus()
                 if e.split == "test" and (language == "both" or e.language == language)]
    paragraphs, paragraph, count, index = [], [], 0, 0
    while count < words:
        sentence = sentences[index % len(sentences)]
        paragraph.append(sentence)
        count += len(sentence.split())
        index += 1
        if len(paragraph) == 5:
            paragraphs.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        paragraphs.append(" ".join(paragraph))
    return "\n\n".join(paragraphs)


def measure(article: str, rounds: int) -> dict:
    from triage import model as ml
    from triage.features import split_sentences

    started = time.perf_counter()
    pipeline = ml.train(ml.split(ml.load_corpus())[0])
    training = time.perf_counter() - started
    ml.score(pipeline, ["Warm-up sentence of 12 words to load every part of the model."])
    timings, cpu, sentences = [], [], 0
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        texts = [sentence.text for sentence in split_sentences(article)]
        ml.score(pipeline, texts)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        sentences = len(texts)
    return {"words": len(article.split()), "sentences": sentences, "training_s": training,
            "median_s": statistics.median(timings), "worst_s": max(timings),
            "cpu_median_s": statistics.median(cpu)}


def scores_table() -> str:
    """The held-out scores of a model trained on the corpus's train split, as a Markdown table
    (what ``tests/triage/test_docs.py`` compares with docs/triage.md)."""
    from triage import model as ml

    train, test = ml.split(ml.load_corpus())
    scores = ml.evaluate(ml.train(train), test)
    lines = [
        f"Corpus `{ml.corpus_digest()[:12]}`: {len(train)} training and {len(test)} held-out "
        f"sentences; held-out split:",
        "",
        "| Language | F1 (check-worthy) | Precision | Recall | Precision@10 per document "
        "| P@10 ceiling | Sentences | Check-worthy | Documents |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    rows = [*sorted(scores["languages"].items()), ("overall", scores["overall"])]
    for name, s in rows:
        lines.append(f"| {name} | {s['f1']:.3f} | {s['precision']:.3f} | {s['recall']:.3f} | "
                     f"{s['precision_at_10']:.3f} | {s['precision_at_10_ceiling']:.3f} | "
                     f"{s['sentences']} | {s['positives']} | {s['documents']} |")
    lines += ["", f"Mean F1 over languages (what retraining compares): {scores['mean_f1']:.3f}."]
    return "\n".join(lines)


def replace_section(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(\n<!-- {name}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"docs/triage.md has no <!-- {name}:start/end --> markers")
    return pattern.sub(lambda m: m.group(1) + body + m.group(2), text)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.triage",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--language", choices=["en", "es", "both"], default="both")
    parser.add_argument("--write-docs", action="store_true",
                        help="rewrite the measured tables of docs/triage.md")
    args = parser.parse_args(argv)
    result = measure(build_article(args.words, args.language), args.rounds)
    if args.write_docs:
        speed = ("| Words | Sentences | Wall time (median) | Wall time (worst) | CPU time (median) "
                 "| Training from the corpus | Machine |\n|---|---|---|---|---|---|---|\n"
                 f"| {result['words']} | {result['sentences']} | {result['median_s'] * 1000:.0f} ms | "
                 f"{result['worst_s'] * 1000:.0f} ms | {result['cpu_median_s'] * 1000:.0f} ms | "
                 f"{result['training_s']:.1f} s | {os.cpu_count()} CPUs ({platform.machine()}), "
                 f"load average {os.getloadavg()[0]:.1f} |")
        text = replace_section(DOCS.read_text(encoding="utf-8"), "triage-scores", scores_table())
        text = replace_section(text, "triage-speed", speed)
        DOCS.write_text(text, encoding="utf-8")
        print(f"Wrote the measured tables into {DOCS}")
    print(f"Article: {result['words']} words, {result['sentences']} sentences ({args.language})")
    print(f"Training from the corpus: {result['training_s']:.2f} s")
    print(f"Scoring with reasons: median {result['median_s'] * 1000:.0f} ms, "
          f"worst {result['worst_s'] * 1000:.0f} ms over {args.rounds} rounds "
          f"({result['median_s'] / result['sentences'] * 1e6:.0f} µs a sentence); "
          f"CPU time median {result['cpu_median_s'] * 1000:.0f} ms")
    print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} during the run")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
