"""``python -m bench`` (``make bench``): build or reuse the dataset, serve, measure, report.

Options: ``--claims`` (100,000), ``--rounds`` (5), ``--requests`` (request pairs per scenario and
round, 60), ``--rebuild`` (ignore the cached dataset), ``--build-only``, ``--output``
(docs/benchmarks.md; ``-`` to write nothing). ``BENCH_DATABASE_NAME`` names the database
(``factcheck_bench``, or ``factcheck_bench_<claims>`` for another size, so a small trial run never
replaces the full dataset), created on the app's server (embedded, or ``DATABASE_URL``'s). One run
at a time per server (an advisory lock; a second run waits).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000, help="dataset size (claims)")
    parser.add_argument("--seed", type=int, default=20261127, help="dataset random seed")
    parser.add_argument("--rounds", type=int, default=5, help="measurement rounds (>= 3)")
    parser.add_argument("--requests", type=int, default=60, help="request pairs per scenario and round")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the dataset even if cached")
    parser.add_argument("--build-only", action="store_true", help="build the dataset and stop")
    parser.add_argument("--output", default=str(BASE_DIR / "docs" / "benchmarks.md"),
                        help="markdown file to write the results into ('-' for none)")
    args = parser.parse_args(argv)
    if args.rounds < 3:
        parser.error("--rounds must be at least 3")
    return args


def log(message: str) -> None:
    print(message, flush=True)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    default_name = "factcheck_bench" if args.claims == 100_000 else f"factcheck_bench_{args.claims}"
    os.environ.setdefault("BENCH_DATABASE_NAME", default_name)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from bench.database import run_lock

    with run_lock(log=log):
        return _run(args, argv)


def _run(args: argparse.Namespace, argv: list[str]) -> int:
    from django.conf import settings

    from bench.database import dataset_ensure
    from bench.harness import BenchServer, Client, measure, server_environment
    from bench.report import TARGET_RATIO, machine_description, problems, results_table, write_markdown
    from bench.scenarios import scenarios_for

    dataset = dataset_ensure(claims=args.claims, seed=args.seed, rebuild=args.rebuild, log=log)
    if args.build_only:
        return 0
    scenarios = scenarios_for(requests=args.requests)
    database_name = settings.DATABASES["default"]["NAME"]
    started = time.monotonic()
    with BenchServer(env=server_environment(database_name), log=log) as server:
        client = Client(server.port)
        try:
            results = measure(client, scenarios, rounds=args.rounds, requests=args.requests, log=log)
        finally:
            client.close()
    log(f"measured in {time.monotonic() - started:.0f}s\n")
    log(results_table(results))
    found = problems(results)
    for problem in found:
        log(f"PROBLEM: {problem}")
    if args.output != "-":
        command = "make bench" + (f" BENCH_ARGS='{' '.join(argv)}'" if argv else "")
        write_markdown(
            Path(args.output), results=results, machine=machine_description(), dataset=dataset,
            rounds=args.rounds, requests=args.requests, command=command,
        )
        log(f"\nwrote {args.output}")
    slow = [r.scenario.name for r in results if r.ratio_median > TARGET_RATIO]
    if slow:
        log(f"above {TARGET_RATIO:g}× its floor: {', '.join(slow)}")
    # A benchmark that measured failures or different bodies measured nothing: fail loudly.
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
