"""Build triage/corpus/sentences.jsonl from the per-document files in triage/corpus/raw/.

Each raw file is one document: header lines ``# key: value`` (doc, language, genre, origin,
optional source) followed by one sentence per line, prefixed by its label (``1 `` or ``0 ``).

The train/test split is by document. A document keeps the split it already has in
sentences.jsonl; a new document is assigned in a fixed order (sha1 of its id) so that each
language's test share of sentences stays near 25%. Run: ``python triage/corpus/build.py``.
"""

import hashlib
import json
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
        new = sorted((d for d in docs if d[0] not in kept), key=lambda d: hashlib.sha1(d[0].encode()).hexdigest())
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


def main():
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
