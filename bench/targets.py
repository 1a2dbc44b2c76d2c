"""``python -m bench.targets [--claims N]``: the latency targets of the scaling issue, per URL.

The floors (``python -m bench``) compare the API with raw SQL; this measures absolute latency
where the issue sets an absolute target, one URL at a time, on the cached benchmark dataset
(build it first with ``make bench BENCH_ARGS="--claims N --build-only"``), served by the same
gunicorn (one worker, one thread) and the same keep-alive client:

- search, p95 ≤ 50 ms: ``q=`` on the API, the public site's ``/?q=`` and ``claims:search``,
  for a common, a middling, a rare, a two-word and a misspelled term; the API search also as
  staff (``API search (staff)``: a read token of a staff user of the dataset, who sees the 17 %
  of claims never published — they sort first — and each claim's ``publish_problems``). The
  public search twice: as a page-cache hit (the same URL again), and rendered (``public search
  (rendered)``: each request adds ``fresh=<n>``, a parameter the page ignores but its cache key
  holds, so every request misses the cache and runs the search and the page as a reader's first
  search does);
- every ``ordering=`` the claims API offers (the keyset page must be index-served);
- sitemaps, ≤ 100 ms: the index and section pages (first, middle, last).

Each URL is requested twice to warm up, then ``--requests`` times; median and p95 per URL.
The table is printed and, unless ``--output -``, written into docs/benchmarks.md between
``bench:targets:<claims>`` markers.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SEARCH_TERMS = ["unemployment", "mortgage", "tariff revenue", "Guadalajara", "measles", "soverignty"]
SEARCH_TARGET_MS = 50.0
STAFF_GROUP = "API search (staff)"
SITEMAP_TARGET_MS = 100.0


def urls(section_pages: dict[str, int]) -> list[tuple[str, str, float | None]]:
    """(group, path, target ms) for every measured URL."""
    found = []
    for term in SEARCH_TERMS:
        q = term.replace(" ", "+")
        found += [("API search", f"/api/v1/claims/?page_size=50&q={q}", SEARCH_TARGET_MS),
                  ("public search", f"/?q={q}", SEARCH_TARGET_MS),
                  ("public search (rendered)", f"/?q={q}&fresh={{n}}", SEARCH_TARGET_MS),
                  ("claims:search", f"/api/v1/claims:search?query={q}", SEARCH_TARGET_MS),
                  (STAFF_GROUP, f"/api/v1/claims/?page_size=50&q={q}", SEARCH_TARGET_MS)]
    for ordering in ["-published_at", "published_at", "-claim_date", "claim_date", "-updated_at",
                     "updated_at"]:
        found.append(("API ordering", f"/api/v1/claims/?page_size=50&ordering={ordering}", None))
    found.append(("sitemap", "/sitemap.xml", SITEMAP_TARGET_MS))
    for section, pages in section_pages.items():
        for page in sorted({1, (pages + 1) // 2, pages}):
            found.append(("sitemap", f"/sitemap-{section}.xml?p={page}", SITEMAP_TARGET_MS))
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.targets", description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--output", default=str(BASE_DIR / "docs" / "benchmarks.md"))
    parser.add_argument("--groups", default="", help="only these groups (comma-separated, e.g. 'sitemap')")
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("BENCH_DATABASE_NAME", "factcheck_bench" if args.claims == 100_000
                          else f"factcheck_bench_{args.claims}")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings

    from bench.harness import BenchServer, Client, percentile, server_environment
    from public.sitemaps import SECTIONS

    section_pages = {name: spec.num_pages() for name, spec in SECTIONS.items() if spec.model}
    reference = machine_reference()
    print(f"machine: {reference}", flush=True)
    rows = []
    token = staff_token()
    with BenchServer(env=server_environment(settings.DATABASES["default"]["NAME"])) as server:
        client = Client(server.port)
        staff = Client(server.port, headers={"Authorization": f"Bearer {token.raw}"})
        try:
            only = {name.strip() for name in args.groups.split(",") if name.strip()}
            for group, path, target in urls(section_pages):
                if only and group not in only:
                    continue
                asking = staff if group == STAFF_GROUP else client
                statuses = set()
                # "{n}" in a path: a new URL each request (fresh=<n>: a page-cache miss).
                for n in range(2):
                    statuses.add(asking.get(path.format(n=f"w{n}")).status)
                times = []
                for n in range(args.requests):
                    response = asking.get(path.format(n=n))
                    statuses.add(response.status)
                    times.append(response.seconds * 1000)
                times.sort()
                median, p95 = percentile(times, 50), percentile(times, 95)
                ok = statuses == {200} and (target is None or p95 <= target)
                rows.append((group, path, median, p95, target, statuses, ok))
                print(f"{group:24} {path:60} median {median:7.1f} ms  p95 {p95:7.1f} ms  "
                      f"{sorted(statuses)} {'ok' if ok else 'MISSED'}", flush=True)
        finally:
            client.close()
            staff.close()
            token.token.delete()
    table = _table(rows, claims=args.claims, requests=args.requests, reference=reference)
    if args.output != "-":
        _write(Path(args.output), table, args.claims)
    return 0 if all(row[-1] for row in rows) else 1


def staff_token():
    """A read token of a staff user of the dataset (sees every claim), deleted after the run."""
    from django.contrib.auth import get_user_model

    from accounts.services import api_token_create
    from claims.selectors import sees_private

    user = next(user for user in get_user_model().objects.order_by("pk") if sees_private(user))
    return api_token_create(actor=user, name="bench.targets (staff search)")


def machine_reference() -> str:
    """How fast this machine is, so runs on different machines can be compared: a fixed Python
    loop and a fixed PostgreSQL statement, best of 5 each (absolute latencies scale with them)."""
    from django.db import connection

    def best(run) -> float:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        return min(times)

    statement = "SELECT count(*) FROM generate_series(1, 3000000)"

    def count_series() -> None:
        with connection.cursor() as cursor:
            cursor.execute(statement)
            cursor.fetchone()

    python_ms = best(lambda: sum(range(10**6)))
    postgres_ms = best(count_series)
    return (f"Python `sum(range(10**6))` {python_ms:.1f} ms, PostgreSQL `{statement}` "
            f"{postgres_ms:.0f} ms (best of 5)")


def _table(rows, *, claims: int, requests: int, reference: str) -> str:
    lines = [
        f"_Generated by `python -m bench.targets --claims {claims}` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {requests} requests per URL after "
        f"2 warm-up requests, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        f"machine reference: {reference}._",
        "",
        "| Group | URL | Median | p95 | Target (p95) | Status | Met |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for group, path, median, p95, target, statuses, ok in rows:
        lines.append(f"| {group} | `{path}` | {median:.1f} ms | {p95:.1f} ms | "
                     f"{f'{target:g} ms' if target else '—'} | {','.join(map(str, sorted(statuses)))} | "
                     f"{'yes' if ok else '**NO**'} |")
    return "\n".join(lines)


def _write(path: Path, table: str, claims: int) -> None:
    begin, end = f"<!-- bench:targets:{claims}:begin -->", f"<!-- bench:targets:{claims}:end -->"
    text = path.read_text() if path.exists() else ""
    block = f"{begin}\n{table}\n{end}"
    if begin in text and end in text:
        before, rest = text.split(begin, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + f"\n\n### Targets at {claims:,} claims\n\n{block}\n"
    path.write_text(text)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
