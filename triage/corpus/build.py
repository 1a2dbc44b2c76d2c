"""Build triage/corpus/sentences.jsonl from the per-document files in triage/corpus/raw/.

Each raw file is one document: header lines ``# key: value`` (doc, language, genre, origin,
optional source) followed by one sentence per line, prefixed by its label (``1 `` or ``0 ``).

The train/test split is by document. A document keeps the split it already has in
sentences.jsonl; a new document is assigned in a fixed order (sha256 of its id) so that each
language's test share of sentences stays near 25%. Run: ``python triage/corpus/build.py``;
``--stats`` prints the statistics table of docs/triage-guideline.md instead.
"""

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw"
OUT = HERE / "sentences.jsonl"
TEST_SHARE = 0.25
HEADER_KEYS = {"doc", "language", "genre", "origin", "source"}


def read_document(path):
    meta, sentences = {}, []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            key = key.strip()
            if key not in HEADER_KEYS:
                raise ValueError(f"{path.name}:{number}: unknown header {key!r}")
            meta[key] = value.strip()
            continue
        label, _, text = line.partition(" ")
        if label not in {"0", "1"} or not text.strip():
            raise ValueError(f"{path.name}:{number}: expected '<0|1> <sentence>'")
        sentences.append((int(label), text.strip()))
    missing = {"doc", "language", "genre", "origin"} - meta.keys()
    if missing:
        raise ValueError(f"{path.name}: missing headers {sorted(missing)}")
    if meta["doc"] != path.stem:
        raise ValueError(f"{path.name}: doc id must equal the file name")
    return meta, sentences


def existing_splits():
    splits = {}
    if OUT.exists():
        for line in OUT.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            splits[row["doc"]] = row["split"]
    return splits


def assign_splits(documents, kept):
    splits = {}
    for language in sorted({meta["language"] for meta, _ in documents}):
        docs = [(meta["doc"], len(sents)) for meta, sents in documents if meta["language"] == language]
        total = test = 0
        for doc, size in docs:
            if doc in kept:
                splits[doc] = kept[doc]
                total += size
                test += size if kept[doc] == "test" else 0
        new = [d for d in docs if d[0] not in kept]
        new.sort(key=lambda d: hashlib.sha256(d[0].encode()).hexdigest())
        for doc, size in new:
            total += size
            if test + size <= TEST_SHARE * total + size / 2:
                splits[doc] = "test"
                test += size
            else:
                splits[doc] = "train"
    return splits


def build_rows(documents, splits):
    rows = []
    for meta, sentences in documents:
        for index, (label, text) in enumerate(sentences, start=1):
            row = {
                "id": f"{meta['doc']}-{index:03d}",
                "doc": meta["doc"],
                "language": meta["language"],
                "genre": meta["genre"],
                "text": text,
                "label": label,
                "origin": meta["origin"],
                "split": splits[meta["doc"]],
            }
            if meta.get("source"):
                row["source"] = meta["source"]
            rows.append(row)
    return rows


def stats_table(rows):
    lines = [
        "| language | split | documents | sentences | check-worthy | share |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for language in ("en", "es"):
        for split in ("train", "test", "all"):
            subset = [r for r in rows if r["language"] == language and split in ("all", r["split"])]
            positives = sum(r["label"] for r in subset)
            docs = len({r["doc"] for r in subset})
            share = f"{positives / len(subset):.0%}"
            lines.append(f"| {language} | {split} | {docs} | {len(subset)} | {positives} | {share} |")
    positives = sum(r["label"] for r in rows)
    docs = len({r["doc"] for r in rows})
    lines.append(f"| all | all | {docs} | {len(rows)} | {positives} | {positives / len(rows):.0%} |")
    origins = {o: sum(1 for r in rows if r["origin"] == o) for o in ("page", "written")}
    lines.append("")
    lines.append(
        f"Origin: {origins['page']} sentences paraphrased from public pages, {origins['written']} written."
    )
    return "\n".join(lines)


def main():
    if "--stats" in sys.argv[1:]:
        rows = [json.loads(line) for line in OUT.read_text(encoding="utf-8").splitlines()]
        print(stats_table(rows))
        return
    documents = [read_document(path) for path in sorted(RAW.glob("*.txt"))]
    seen, duplicates = {}, []
    for meta, sentences in documents:
        for _, text in sentences:
            key = " ".join(text.lower().split())
            if key in seen:
                duplicates.append(f"{meta['doc']} repeats {seen[key]}: {text!r}")
            seen.setdefault(key, meta["doc"])
    if duplicates:
        raise SystemExit("duplicate sentences:\n" + "\n".join(duplicates))
    rows = build_rows(documents, assign_splits(documents, existing_splits()))
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} sentences in {len(documents)} documents -> {OUT.name}")


if __name__ == "__main__":
    main()
