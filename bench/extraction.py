"""Extraction speed: ``python -m bench.extraction`` times ``extract_quotes`` on a ~5,000-word
article built by joining the labelled corpus's articles (sources/corpora/quotes), and prints the
median of several runs. No database needed."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "sources" / "corpora" / "quotes"


def article(words: int = 5000, language: str = "en") -> str:
    from sources.text import normalize_snapshot

    parts, count = [], 0
    texts = sorted(CORPUS.glob(f"{language}-*.txt"))
    while count < words and texts:
        for path in texts:
            text = path.read_text(encoding="utf-8")
            parts.append(text)
            count += len(text.split())
            if count >= words:
                break
    return normalize_snapshot("\n\n".join(parts))


def main(runs: int = 7) -> None:
    sys.path.insert(0, str(CORPUS.parent.parent.parent))
    from sources.extraction import extract_quotes

    for language in ("en", "es"):
        text = article(language=language)
        extract_quotes(text, language=language)  # warm the compiled patterns
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            quotes = extract_quotes(text, language=language)
            timings.append(time.perf_counter() - start)
        print(f"{language}: {len(text.split())} words, {len(quotes)} quotes: median "
              f"{statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms "
              f"over {runs} runs")


if __name__ == "__main__":
    main()
