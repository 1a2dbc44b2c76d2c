"""Streaming exports at scale: rows per second and peak memory of ``claims.exports.stream_export``
(what ``/api/v1/claims/export/`` streams) over every public claim of a benchmark dataset.

    python -m bench.export [--claims 1000000] [--format csv|json|ndjson] [--limit N]

Uses the dataset ``make bench`` built (``factcheck_bench`` for 100,000 claims,
``factcheck_bench_<N>`` otherwise) on the server in DATABASE_URL (or the embedded one). Peak
memory is the process's resident set size before and after (``ru_maxrss``) and the Python heap's
peak (tracemalloc): flat means it does not grow with the number of rows.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--format", default="ndjson", choices=["csv", "json", "ndjson"])
    parser.add_argument("--limit", type=int, default=0, help="stop after this many rows (0: all)")
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    default_name = "factcheck_bench" if args.claims == 100_000 else f"factcheck_bench_{args.claims}"
    os.environ.setdefault("BENCH_DATABASE_NAME", default_name)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser

    from claims.exports import stream_export
    from claims.selectors import claims_visible_to

    viewer = AnonymousUser()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.monotonic()
    rows = size = 0
    checkpoints = []
    for chunk in stream_export(claims_visible_to(viewer), viewer, args.format):
        size += len(chunk)
        rows += chunk.count(b"\n") if args.format != "json" else chunk.count(b'{"id"')
        if rows and rows // 100_000 > len(checkpoints):
            checkpoints.append((rows, tracemalloc.get_traced_memory()[1] / 2**20))
        if args.limit and rows >= args.limit:
            break
    elapsed = time.monotonic() - started
    heap_peak = tracemalloc.get_traced_memory()[1] / 2**20
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"format={args.format} rows={rows:,} bytes={size / 2**20:,.0f} MiB time={elapsed:.1f}s "
          f"rows/s={rows / elapsed:,.0f}")
    print(f"python heap peak {heap_peak:.1f} MiB; "
          f"max RSS {rss_before / 1024:.0f} → {rss_after / 1024:.0f} MiB")
    for count, peak in checkpoints:
        print(f"  after {count:>9,} rows: heap peak so far {peak:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
