"""Search windows (claims/search.py, migration 0019): the GIN index intersects a query with a
publication period; a search reads disjoint slices of time newest first, and where it stops never
changes its result."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from bench.dataset import dataset_build
from claims import search
from claims.models import Claim

pytestmark = pytest.mark.django_db


def test_a_window_matches_exactly_the_claims_published_since_its_date_or_never():
    """Every pair of a publication time and a window start around the edges that matter (month,
    year and decade ends, leap days, the 2100 clamp, UTC midnight): inside iff published on or
    after the start (UTC), or never published when the window holds those."""
    with connection.cursor() as cursor:
        cursor.execute("""
            WITH published AS (
              SELECT ts, fc_publication_buckets(ts) AS vector FROM (
                SELECT unnest(ARRAY[
                  '2019-12-31 23:59:59+00', '2020-01-01 00:00:00+00', '2020-02-29 12:00:00+00',
                  '2024-02-29 00:00:00+00', '2025-11-30 23:00:00-03', '2025-12-01 00:00:00+00',
                  '2026-01-01 00:30:00+01', '2026-06-15 08:00:00+00', '2026-11-28 10:00:00+00',
                  '2026-12-31 23:59:59+00', '2029-12-31 12:00:00+00', '2030-01-01 00:00:00+00',
                  '2099-12-31 00:00:00+00', '2100-01-01 00:00:00+00', '2187-07-04 00:00:00+00',
                  '1998-03-01 00:00:00+00']::timestamptz[]) AS ts
                UNION ALL SELECT NULL
                UNION ALL SELECT '2015-01-01'::timestamptz + n * interval '389 hours 13 minutes'
                  FROM generate_series(0, 150) AS n) AS times
            ), starts AS (
              SELECT since, drafts, fc_published_since(since, drafts) AS span FROM (
                SELECT d::date AS since FROM generate_series('2015-06-01'::date, '2031-02-01', '53 days') AS d
                UNION SELECT unnest(ARRAY['2020-01-01', '2025-12-01', '2026-01-01', '2026-11-28',
                                          '2026-12-31', '2030-01-01', '2024-02-29']::date[])
              ) AS dates, (VALUES (true), (false)) AS d(drafts)
            )
            SELECT count(*),
                   count(*) FILTER (WHERE (vector @@ span) IS DISTINCT FROM
                                          (CASE WHEN ts IS NULL THEN drafts
                                                ELSE (ts AT TIME ZONE 'UTC')::date >= since END)),
                   count(*) FILTER (WHERE vector @@ span)
              FROM published, starts
        """)
        pairs, wrong, inside = cursor.fetchone()
    assert pairs > 10_000 and 0 < inside < pairs
    assert wrong == 0


def test_a_slice_matches_exactly_the_claims_published_between_its_dates():
    """fc_published_between (migration 0021) over pairs of dates around the edges that matter
    (month, year and decade starts, leap days, the 2100 clamp) and spans from a day to decades
    (open-ended ones start by 2100, the buckets' last decade):
    inside iff published on or after ``since`` and before ``until`` (UTC; no ``until``: no end),
    or never published when the slice holds those; an empty span matches nothing."""
    with connection.cursor() as cursor:
        cursor.execute("""
            WITH published AS (
              SELECT ts, fc_publication_buckets(ts) AS vector FROM (
                SELECT unnest(ARRAY[
                  '1998-03-01 00:00:00+00', '2019-12-31 23:59:59+00', '2020-01-01 00:00:00+00',
                  '2024-02-29 00:00:00+00', '2025-11-30 23:00:00-03', '2026-01-01 00:30:00+01',
                  '2029-12-31 12:00:00+00', '2030-01-01 00:00:00+00', '2099-12-31 00:00:00+00',
                  '2100-01-01 00:00:00+00', '2109-12-31 00:00:00+00', '2110-01-01 00:00:00+00',
                  '2187-07-04 00:00:00+00']::timestamptz[]) AS ts
                UNION ALL SELECT NULL
                UNION ALL SELECT '1996-01-01'::timestamptz + n * interval '1129 hours 7 minutes'
                  FROM generate_series(0, 300) AS n) AS times
            ), dates AS (
              SELECT d::date AS day FROM generate_series('1995-12-30'::date, '2031-03-01', '367 days') AS d
              UNION SELECT unnest(ARRAY['2000-01-01', '2020-01-01', '2024-02-29', '2024-03-01',
                                        '2026-01-01', '2030-01-01', '2099-12-30', '2100-01-01',
                                        '2110-01-01', '2110-01-02']::date[])
            ), spans AS MATERIALIZED (  -- each span's tsquery built once, not once per pair
              SELECT since.day AS since, until.day AS until, drafts,
                     fc_published_between(since.day, until.day, drafts) AS span
                FROM dates AS since,
                     (SELECT day FROM dates UNION ALL SELECT NULL) AS until,
                     (VALUES (true), (false)) AS d(drafts)
               -- Open-ended from a day after 2100-01-01 is left out: the buckets' last decade
               -- (~d210) holds every year from 2100 on, so such a slice starts at 2100.
               WHERE (until.day IS NULL AND since.day <= '2100-01-01') OR until.day >= since.day
            )
            SELECT count(*),
                   count(*) FILTER (WHERE (vector @@ span) IS DISTINCT FROM
                                          (CASE WHEN ts IS NULL THEN drafts
                                                ELSE (ts AT TIME ZONE 'UTC')::date >= since
                                                     AND (until IS NULL
                                                          OR (ts AT TIME ZONE 'UTC')::date < until)
                                           END)),
                   count(*) FILTER (WHERE vector @@ span)
              FROM published, spans
        """)
        pairs, wrong, inside = cursor.fetchone()
    assert pairs > 100_000 and 0 < inside < pairs
    assert wrong == 0


def test_window_lexemes_cannot_be_typed_in_a_query(editor):
    claim = Claim.objects.create(text="Tariffs doubled.", slug="tariffs", language="en", author=editor)
    claim.refresh_from_db()
    assert "'~unpublished'" in str(claim.search_vector)
    for typed in ("~unpublished", "'~unpublished'", "~t2026*", "unpublished tariffs"):
        assert "~" not in search.build_tsquery(typed)
        assert not search.claims_matching(Claim.objects.all(), typed).exists()
    assert search.claims_matching(Claim.objects.all(), "tariffs").get() == claim


def test_a_public_search_leaves_the_never_published_out_of_its_windows():
    assert search.published_only(Claim.objects.public().filter(language="en"))
    assert search.published_only(Claim.objects.filter(status__in=["published"]))
    assert search.published_only(Claim.objects.filter(status="published", language="en"))
    for queryset in (Claim.objects.all(), Claim.objects.filter(status__in=["draft", "published"]),
                     Claim.objects.exclude(status__in=["draft"]), Claim.objects.filter(status="draft")):
        assert not search.published_only(queryset)
    public_sql = str(search.claims_matching(Claim.objects.public(), "tariffs").query)
    staff_sql = str(search.claims_matching(Claim.objects.all(), "tariffs").query)
    assert "fc_published_between(w.since, w.newer, false AND w.newer IS NULL)" in public_sql
    assert "fc_published_between(w.since, w.newer, true AND w.newer IS NULL)" in staff_sql


@pytest.fixture
def archive():
    """Claims published over the years since 2021 (the benchmark's generator), with the
    planner's statistics read, so the slices start at real dates (the last at the earliest
    publication)."""
    dataset_build(claims=600, seed=7)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
        cursor.execute("SELECT fc_search_windows(), fc_earliest_publication()")
        windows, earliest = cursor.fetchone()
    assert len(windows) >= 3 and windows[-1] is None and windows[:-1] == sorted(windows[:-1], reverse=True)
    assert earliest == Claim.objects.public().earliest("published_at").published_at.date()  # UTC
    assert earliest <= windows[-2]
    return [*windows[:-1], earliest]  # the slices' starts, as a search reads them


def newest_matches(claims, q: str, limit: int) -> set[int]:
    """The definition, read plainly: the newest ``limit`` matches by (published_at, id)."""
    query = search.ParsedQuery(search.build_tsquery(q))
    return set(claims.filter(search_vector=query).order_by("-published_at", "-id")
               .values_list("pk", flat=True)[:limit])


@pytest.mark.parametrize("q", ["percent", "unemployment", "mortgage", "tariff revenue", "measles",
                               "soverignty", "guadalajara"])
@pytest.mark.parametrize("public", [True, False])
def test_the_candidates_are_the_newest_matches_whichever_window_answers(archive, monkeypatch, q, public):
    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 12)
    claims = Claim.objects.public() if public else Claim.objects.all()  # staff: drafts sort first
    found = set(search.claims_matching(claims, q).values_list("pk", flat=True))
    assert found == newest_matches(claims, q, 12)


@pytest.mark.parametrize("unpublished", [True, False])
def test_the_slices_cut_publication_time_without_overlap(archive, unpublished):
    """Each published claim is in exactly one slice, the one whose dates hold its publication; a
    claim never published is in the newest slice when the search holds those, else in none."""
    # Over a query every claim matches (no vector holds that word).
    match = search.WINDOW_MATCH.format(query="'!zzzzunused'::tsquery",
                                      unpublished="true" if unpublished else "false")
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT c.id, c.published_at,
                   array_agg(w.n ORDER BY w.n) FILTER (WHERE c.search_vector @@ ({match}))
              FROM claims_claim c,
                   (SELECT coalesce(w.since, fc_earliest_publication()) AS since,
                           lag(w.since) OVER (ORDER BY w.n) AS newer, w.n
                      FROM unnest(fc_search_windows()) WITH ORDINALITY AS w(since, n)) AS w
             GROUP BY c.id, c.published_at""")  # noqa: S608 - constant fragments
        rows = cursor.fetchall()
    assert len(rows) == Claim.objects.count() and any(published is None for _, published, _ in rows)
    for _, published, slices in rows:
        if published is None:  # never published: in the newest slice, or in none (a public search)
            assert slices == ([1] if unpublished else None)
        else:
            day = published.date()  # UTC
            assert slices == [next(k + 1 for k, since in enumerate(archive) if day >= since)]


def test_a_search_stops_at_the_first_slice_that_completes_its_candidates(archive, monkeypatch):
    """The slices are read newest first and the statement stops once it holds CANDIDATE_LIMIT
    matches: the probe runs once per slice read, never for the later ones."""
    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 12)
    public = Claim.objects.public()
    matches = public.filter(search_vector=search.ParsedQuery(search.build_tsquery("percent")))
    in_window = [matches.filter(published_at__date__gte=since).count() for since in archive]
    answering = next(k for k, count in enumerate(in_window) if count >= 12)
    assert answering < len(archive) - 1 and in_window[answering] < matches.count()  # not everything
    sql, params = search.claims_matching(public, "percent").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    # The nested loop over the slices (a WindowAgg: each slice with its newer neighbour's start)
    # and, inside it, the probe: run once per slice read.
    loops = [node for node in _nodes(plan[0]["Plan"]) if node["Node Type"] == "Nested Loop"
             and node["Plans"][0]["Node Type"] == "WindowAgg"]
    assert len(loops) == 1
    assert loops[0]["Plans"][1]["Actual Loops"] == answering + 1


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)
