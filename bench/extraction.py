"""Extraction speed: ``python -m bench.extraction`` times ``extract_quotes`` on a ~5,000-word
article built by joining the labelled corpus's articles of one language (sources/corpora/quotes),
and prints the median wall-clock and CPU time of several runs after a warm-up. No database."""

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
        wall, cpu = [], []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            quotes = extract_quotes(text, language=language)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        # CPU time is what the extraction costs; wall time also counts waiting for a core.
        print(f"{language}: {len(text.split())} words, {len(quotes)} quotes: median "
              f"{statistics.median(wall) * 1000:.0f} ms wall ({statistics.median(cpu) * 1000:.0f} ms CPU), "
              f"max {max(wall) * 1000:.0f} ms wall over {runs} runs")


if __name__ == "__main__":
    main()
