"""The benchmark's own database: created on demand, built once, reused while it still matches.

A row in ``bench_dataset`` records what was built (the size, the seed, the builder's version
and the migrations applied); ``make bench`` rebuilds only when one of these changed — except that
migrations added since the build are applied to the cached data, as a deployment would apply
them to a production database (an index or a trigger change: the 1,000,000-claim dataset takes
12 minutes of 2 cores to build, adding an index to it seconds). A migration that disappeared
(renamed, squashed) still means a rebuild.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from bench.dataset import DatasetSummary, dataset_build

# Bump when the generated data changes shape, so cached datasets are rebuilt.
BUILDER_VERSION = 2  # 2: ids in creation order


def _server_connection() -> psycopg.Connection:
    """A connection to the server's maintenance database (to create or drop the bench database)."""
    params = settings.DATABASES["default"]
    return psycopg.connect(
        host=params.get("HOST") or None, port=params.get("PORT") or None, user=params.get("USER") or None,
        password=params.get("PASSWORD") or None, dbname="postgres", autocommit=True,
    )


# pg_advisory_lock key held by a running benchmark (any stable bigint).
RUN_LOCK_KEY = 0x62656E6368  # "bench"


@contextlib.contextmanager
def run_lock(*, wait_seconds: float = 1200, log=print) -> Iterator[None]:
    """One benchmark at a time per database server: two runs would drop each other's database
    or measure each other's load. Waits up to ``wait_seconds`` for a running one to finish."""
    with _server_connection() as conn:
        deadline = time.monotonic() + wait_seconds
        announced = False
        while not conn.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK_KEY]).fetchone()[0]:
            if time.monotonic() > deadline:
                raise RuntimeError("another benchmark is still running on this server; try later")
            if not announced:
                log("waiting for another benchmark run on this server to finish ...")
                announced = True
            time.sleep(2)
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK_KEY])


def database_recreate(name: str) -> None:
    """Drop (if present) and create the benchmark database. Refuses any other name."""
    if "bench" not in name:
        raise RuntimeError(f"refusing to drop {name!r}: the benchmark database name must contain 'bench'")
    connection.close()
    with _server_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(name: str) -> bool:
    with _server_connection() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def disk_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def applied_migrations() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('django_migrations') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return set()
        cursor.execute("SELECT app || '.' || name FROM django_migrations")
        return {row[0] for row in cursor.fetchall()}


def dataset_fingerprint(*, claims: int, seed: int, migrations: set[str] | None = None) -> str:
    """What the cached dataset must match: size, seed, builder version, the migration graph
    (the migrations on disk unless ``migrations`` is given)."""
    migrations = sorted(disk_migrations() if migrations is None else migrations)
    payload = json.dumps([claims, seed, BUILDER_VERSION, migrations, _source_digest()])
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _source_digest() -> str:
    """The builder's own code: editing the generator invalidates the cache."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("dataset.py", "vocabulary.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def cached_fingerprint() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_dataset') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT fingerprint FROM bench_dataset ORDER BY built_at DESC LIMIT 1")
        row = cursor.fetchone()
    return row[0] if row else None


def dataset_ensure(*, claims: int, seed: int, rebuild: bool = False, log=print) -> dict:
    """Make the benchmark database hold the dataset for (claims, seed); build it only if needed.

    Returns the dataset's description (counts and build time) as stored in ``bench_dataset``.
    """
    name = settings.DATABASES["default"]["NAME"]
    fingerprint = dataset_fingerprint(claims=claims, seed=seed)
    if not rebuild and database_exists(name) and cached_fingerprint() == fingerprint:
        log(f"dataset: reusing {name} (fingerprint {fingerprint})")
        dataset_vacuum(log=log)
        return _stored_summary()
    if not rebuild and database_exists(name) and _migrate_forward(claims=claims, seed=seed, log=log):
        dataset_vacuum(log=log)
        return _stored_summary()
    log(f"dataset: building {claims:,} claims in {name} (fingerprint {fingerprint}) ...")
    started = time.monotonic()
    database_recreate(name)
    call_command("migrate", verbosity=0, interactive=False)
    log(f"dataset: migrated in {time.monotonic() - started:.0f}s")
    summary: DatasetSummary = dataset_build(claims=claims, seed=seed)
    log(f"dataset: loaded in {time.monotonic() - started:.0f}s; vacuum analyze ...")
    dataset_vacuum(log=log)
    with connection.cursor() as cursor:
        description = {**summary.__dict__, "seed": seed, "build_seconds": round(time.monotonic() - started)}
        cursor.execute(
            "CREATE TABLE bench_dataset (fingerprint text NOT NULL, built_at timestamptz NOT NULL"
            " DEFAULT now(), description jsonb NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO bench_dataset (fingerprint, description) VALUES (%s, %s)",
            [fingerprint, json.dumps(description)],
        )
    log(f"dataset: built in {description['build_seconds']}s: {description}")
    return description


def _migrate_forward(*, claims: int, seed: int, log=print) -> bool:
    """Apply the migrations added since the cached dataset was built; False when the cache is
    not that dataset with fewer migrations (then it must be rebuilt)."""
    stored = cached_fingerprint()
    applied, on_disk = applied_migrations(), disk_migrations()
    if stored is None or not applied < on_disk \
            or stored != dataset_fingerprint(claims=claims, seed=seed, migrations=applied):
        return False
    log(f"dataset: applying {len(on_disk - applied)} new migration(s) to the cached data: "
        f"{', '.join(sorted(on_disk - applied))}")
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE bench_dataset SET fingerprint = %s",
                       [dataset_fingerprint(claims=claims, seed=seed)])
    log(f"dataset: migrated in {time.monotonic() - started:.0f}s")
    return True


def dataset_vacuum(*, log=print, attempts: int = 5) -> float:
    """VACUUM ANALYZE until (nearly) every claims page is all-visible; returns that share.

    Index-only scans, and so the plans measured, depend on the visibility map. A VACUUM that
    runs while another session holds an old snapshot (someone's long test transaction on the
    same server) leaves most pages not all-visible; such runs measured list pages 3× slower.
    """
    share = 0.0
    for attempt in range(attempts):
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("SELECT relallvisible::float / greatest(relpages, 1) FROM pg_class "
                           "WHERE oid = 'claims_claim'::regclass")
            share = cursor.fetchone()[0]
        if share >= 0.95:
            break
        log(f"dataset: only {share:.0%} of claims pages all-visible (an old snapshot elsewhere?); "
            f"vacuuming again ({attempt + 1}/{attempts})")
        time.sleep(5)
    log(f"dataset: {share:.0%} of claims pages all-visible")
    return share


def _stored_summary() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM bench_dataset ORDER BY built_at DESC LIMIT 1")
        description = cursor.fetchone()[0]
    return json.loads(description) if isinstance(description, str) else description
