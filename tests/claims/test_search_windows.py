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
    assert "fc_search_slices(false)" in public_sql and "fc_search_slices(true)" not in public_sql
    assert "fc_search_slices(true)" in staff_sql


def test_an_id_slice_matches_exactly_the_never_published_claims_between_its_ids():
    """fc_unpublished_between (migration 0022) over ids around the edges of every block size
    (1,024 ids up to 2^30) and spans from one block to the whole range: inside iff never
    published and ``low <= id < high``; a published claim is in no id slice; an empty span
    matches nothing."""
    with connection.cursor() as cursor:
        cursor.execute("""
            WITH claims AS (
              SELECT id, published, fc_unpublished_buckets(id, published) AS vector FROM (
                SELECT DISTINCT greatest(1, edge + delta) AS id
                  FROM unnest(ARRAY[0, 1024, 16384, 262144, 4194304, 67108864, 1073741824,
                                    3 * 1073741824::bigint, 5 * 262144 + 7 * 16384 + 3 * 1024])
                         AS edge,
                       unnest(ARRAY[-1025, -1024, -1, 0, 1, 1023, 1024]) AS delta
                UNION SELECT n * 9973 FROM generate_series(1, 300) AS n) AS ids,
                (VALUES (NULL::timestamptz), ('2026-11-28 10:00:00+00')) AS p(published)
            ), bounds AS (
              SELECT DISTINCT greatest(0, (edge >> 10) + k) << 10 AS b
                FROM unnest(ARRAY[0, 1024, 16384, 262144, 4194304, 67108864, 1073741824,
                                  3 * 1073741824::bigint, 1500000, 2900000]) AS edge,
                     unnest(ARRAY[-17, -16, -1, 0, 1, 16, 17]) AS k
            ), spans AS MATERIALIZED (
              SELECT low.b AS low, high.b AS high, fc_unpublished_between(low.b, high.b) AS span
                FROM bounds AS low, bounds AS high WHERE high.b >= low.b
            )
            SELECT count(*),
                   count(*) FILTER (WHERE (vector @@ span) IS DISTINCT FROM
                                          (published IS NULL AND id >= low AND id < high)),
                   count(*) FILTER (WHERE vector @@ span)
              FROM claims, spans
        """)
        pairs, wrong, inside = cursor.fetchone()
    assert pairs > 100_000 and 0 < inside < pairs
    assert wrong == 0
    with connection.cursor() as cursor, pytest.raises(Exception, match="multiples of 1024"):
        cursor.execute("SELECT fc_unpublished_between(1000, 2048)")


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


@pytest.fixture
def drafts(archive, editor):
    """Claims never published, with ids spread over a wide range (a newsroom's drafts are new and
    old), so a staff search reads several slices of ids: theirs, newest first."""
    texts = ["Unemployment fell by 5 percent.", "Mortgage rates rose 2 percent.",
             "The measles outbreak doubled.", "Tariff revenue fell.", "Unemployment rose."]
    ids = [5_000, 20_000, 300_000, 640_000, 830_000, 920_000, 985_000, 990_000, 997_000, 999_999,
           1_000_500, 1_000_900, 1_001_000]
    for k, pk in enumerate(ids):
        Claim.objects.create(id=pk, text=texts[k % len(texts)], slug=f"draft-{pk}", language="en",
                             author=editor)
    return ids


def _slices_of_each_claim(unpublished: bool) -> list[tuple[int, object, list[int] | None]]:
    """(id, published_at, the slices whose condition holds its vector) for every claim, over a
    query every claim matches (no vector holds that word)."""
    match = search.WINDOW_MATCH.format(query="'!zzzzunused'::tsquery")
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT c.id, c.published_at,
                   array_agg(w.n ORDER BY w.n) FILTER (WHERE c.search_vector @@ ({match}))
              FROM claims_claim c,
                   fc_search_slices({"true" if unpublished else "false"}) WITH ORDINALITY AS w(slice, n)
             GROUP BY c.id, c.published_at""")  # noqa: S608 - constant fragments
        return cursor.fetchall()


@pytest.mark.parametrize("q", ["percent", "unemployment", "mortgage", "measles", "tariff revenue"])
@pytest.mark.parametrize("limit", [1, 3, 9, 40])
def test_a_staff_search_reads_the_drafts_newest_id_first(drafts, monkeypatch, q, limit):
    """Drafts sort first (newest id first), found slice of ids by slice: the candidates are the
    definition's however many of them the drafts make up."""
    monkeypatch.setattr(search, "CANDIDATE_LIMIT", limit)
    found = set(search.claims_matching(Claim.objects.all(), q).values_list("pk", flat=True))
    assert found == newest_matches(Claim.objects.all(), q, limit)


def test_a_staff_search_of_a_word_the_newest_drafts_hold_reads_no_older_draft(drafts, monkeypatch):
    """The newest slice of ids answers; the drafts of older slices are never read (before
    migration 0022 every matching draft sat in the first slice and was read to sort them)."""
    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 1)
    staff = Claim.objects.all()
    matching_drafts = staff.filter(published_at__isnull=True,
                                   search_vector=search.ParsedQuery(search.build_tsquery("unemployment")))
    assert matching_drafts.count() >= 5
    sql, params = search.claims_matching(staff, "unemployment").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    (loop,) = [node for node in _nodes(plan[0]["Plan"]) if node["Node Type"] == "Nested Loop"
               and node["Plans"][0]["Node Type"] == "Function Scan"]
    probe = loop["Plans"][1]
    assert probe["Actual Loops"] == 1  # the first slice answered
    read = sum(node["Actual Rows"] * node["Actual Loops"] for node in _nodes(probe)
               if node["Node Type"] in ("Bitmap Heap Scan", "Index Scan", "Seq Scan"))
    assert 0 < read < matching_drafts.count()


@pytest.mark.parametrize("unpublished", [True, False])
def test_the_slices_cut_publication_time_without_overlap(archive, drafts, unpublished):
    """Each published claim is in exactly one slice, the one whose dates hold its publication; a
    claim never published is in exactly one slice of ids when the search holds those, else in
    none; every slice of ids comes before every slice of time, and a newer id never in a later
    slice than an older one."""
    rows = _slices_of_each_claim(unpublished)
    assert len(rows) == Claim.objects.count() and any(published is None for _, published, _ in rows)
    never = sorted(((pk, slices) for pk, published, slices in rows if published is None), reverse=True)
    id_slices = {s for _, slices in never for s in slices or []}
    if not unpublished:
        assert id_slices == set()
    else:
        assert all(len(slices) == 1 for _, slices in never)
        order = [slices[0] for _, slices in never]  # newest id first
        assert order == sorted(order) and len(id_slices) >= 3  # several slices of ids, in order
    first_time_slice = max(id_slices, default=0) + 1
    for _, published, slices in rows:
        if published is not None:
            day = published.date()  # UTC
            assert slices == [first_time_slice + next(k for k, since in enumerate(archive) if day >= since)]


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
    # The nested loop over the slices (fc_search_slices) and, inside it, the probe: run once per
    # slice read.
    loops = [node for node in _nodes(plan[0]["Plan"]) if node["Node Type"] == "Nested Loop"
             and node["Plans"][0]["Node Type"] == "Function Scan"]
    assert len(loops) == 1
    assert loops[0]["Plans"][1]["Actual Loops"] == answering + 1


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)
