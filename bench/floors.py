"""The floors: what the claim endpoints cost with nothing but one SQL statement and orjson.

Each floor is a bare Django view (no DRF: no content negotiation, authentication, permissions,
throttling, FilterSet or serializer) that runs ONE hand-written statement — the claim documents
built by PostgreSQL with ``json_build_object``/``json_agg`` — and writes the body with orjson.
It returns the same JSON as the app for the same request (``tests/bench/test_floors.py`` and every
``make bench`` run check it), so the ratio app ÷ floor is the price of everything the app does
on top: parsing and validating parameters, permissions, throttling, ETags, pagination objects.

The SQL is written here on purpose, not imported from the app: a floor that reused the app's
query could not notice the app drifting from the representation in issue 3. The floors serve
only the anonymous (public) view and only valid parameters; they validate nothing.
"""

from __future__ import annotations

import base64
from urllib import parse

import orjson
from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse

from claims.models import Claim
from claims.search import (
    ALTERNATIVES,
    CONFIGS_CTE,
    IS_STOP_WORD,
    NEAR_WORDS,
    WINDOW_MATCH,
    WINDOWED_CANDIDATES,
    WORDS_CTE,
    query_words,
)
from factcheck.db_routers import read_cursor

APP_LIST_PATH = "/api/v1/claims/"
PUBLIC = "('published', 'retracted')"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SEARCH_CANDIDATES = 500  # the app ranks the newest this many matches (claims.search.CANDIDATE_LIMIT)

# One claim document for the row ``c`` (claims_claim); parameters api_base and site_base.
# The f-strings below only splice these constant fragments together; every value is a parameter.
CLAIM_DOCUMENT = f"""json_build_object(
  'id', c.id,
  'slug', c.slug,
  'url', %(api_base)s::text || c.id || '/',
  'public_url', CASE WHEN c.status IN {PUBLIC} THEN %(site_base)s::text || c.slug || '/' END,
  'text', c.text,
  'claimant', (SELECT json_build_object('id', p.id, 'slug', p.slug, 'name', p.name)
                 FROM sources_person p WHERE p.id = c.claimant_id),
  'claim_date', c.claim_date,
  'language', c.language,
  'topics', coalesce((SELECT json_agg(json_build_object('slug', t.slug, 'name', t.name)
                                      ORDER BY t.name, t.id)
                        FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id
                       WHERE ct.claim_id = c.id), '[]'),
  'status', c.status,
  'rating', (SELECT json_build_object('slug', r.slug, 'label', r.label, 'value', r.value)
               FROM claims_rating r WHERE r.id = c.rating_id),
  'rating_explanation', c.rating_explanation,
  'analysis', c.analysis,
  'evidence', coalesce((
      SELECT json_agg(json_build_object(
               'relation', e.relation, 'note', e.note,
               'source', json_build_object(
                   'id', s.id, 'url', s.url, 'title', s.title,
                   'outlet', (SELECT json_build_object('name', o.name, 'domain', o.domain)
                                FROM sources_outlet o WHERE o.id = s.outlet_id),
                   'published_at', s.published_at),
               'quote', (SELECT json_build_object('id', q.id, 'text', q.text, 'speaker',
                                  (SELECT json_build_object('id', sp.id, 'name', sp.name)
                                     FROM sources_person sp WHERE sp.id = q.speaker_id))
                           FROM sources_quote q WHERE q.id = e.quote_id)
             ) ORDER BY e."order", e.id)
        FROM claims_evidence e JOIN sources_source s ON s.id = e.source_id
       WHERE e.claim_id = c.id), '[]'),
  'corrections', coalesce((
      SELECT json_agg(json_build_object(
               'kind', k.kind, 'note', k.note,
               'old_rating', (SELECT slug FROM claims_rating WHERE id = k.old_rating_id),
               'new_rating', (SELECT slug FROM claims_rating WHERE id = k.new_rating_id),
               'created_at', k.created_at) ORDER BY k.created_at, k.id)
        FROM claims_correction k WHERE k.claim_id = c.id), '[]'),
  'relations', coalesce((
      SELECT json_agg(json_build_object(
               'kind', x.kind, 'direction', x.direction,
               'claim', json_build_object('id', o.id, 'slug', o.slug, 'text', o.text,
                                          'url', %(api_base)s::text || o.id || '/'))
             ORDER BY x.direction DESC, x.kind, o.id)
        FROM (SELECT kind, 'out' AS direction, to_claim_id AS other_id
                FROM claims_claimrelation WHERE from_claim_id = c.id
              UNION ALL
              SELECT kind, 'in', from_claim_id FROM claims_claimrelation WHERE to_claim_id = c.id) x
        JOIN claims_claim o ON o.id = x.other_id AND o.status IN {PUBLIC}), '[]'),
  'review', json_build_object(
      'origin', CASE WHEN c.is_external THEN 'external' ELSE 'own' END,
      'publisher', CASE WHEN c.is_external
                        THEN json_build_object('name', c.external_publisher_name,
                                               'site', c.external_publisher_site)
                        ELSE %(publisher)s::json END,
      'url', CASE WHEN c.is_external THEN c.external_review_url
                  WHEN c.status IN {PUBLIC} THEN %(site_base)s::text || c.slug || '/' END,
      'reviewed_at', CASE WHEN c.is_external THEN c.external_reviewed_at ELSE c.published_at END),
  'published_at', c.published_at,
  'updated_at', c.updated_at,
  'version', c.version
)::text"""  # noqa: S608

DETAIL_SQL = f"SELECT {CLAIM_DOCUMENT} FROM claims_claim c WHERE c.id = %(id)s AND c.status IN {PUBLIC}"  # noqa: S608

# Filters shared by both list statements; a clause is present only when its filter is asked for.
# Ratings and topics arrive as ids (see _reference_ids): the planner must see the actual ids to
# choose between walking a rare topic's claims (3 ms) and scanning claims (a common topic), and a
# clause must not hide behind "param IS NULL OR ...": an EXISTS under OR is not turned into a
# semi-join. Both mistakes made an earlier floor 2–50× slower than the app on some filters.
PUBLIC_FILTER = f"c.status IN {PUBLIC}"
RATING_FILTER = "c.rating_id = ANY(%(rating_ids)s::bigint[])"
TOPIC_FILTER = """EXISTS (SELECT 1 FROM claims_claim_topics ct
                WHERE ct.claim_id = c.id AND ct.topic_id = ANY(%(topic_ids)s::bigint[]))"""
FILTERS = "__FILTERS__"

# Newest published first, keyset-paged on (published_at, id); one row more than the page tells
# whether there is a next page. The page is chosen first, so documents are built for its rows only.
LIST_SQL = f"""
SELECT c.published_at, c.id, {CLAIM_DOCUMENT}
  FROM (SELECT c.id FROM claims_claim c
         WHERE {FILTERS}
         ORDER BY c.published_at DESC, c.id DESC
         LIMIT %(limit)s) page
  JOIN claims_claim c ON c.id = page.id
 ORDER BY c.published_at DESC, c.id DESC"""  # noqa: S608

# Search: the app's query semantics in one statement — each word (accents removed), unless a stop
# word in one of the languages indexed, matches itself, its nearest lexicon spellings when it is
# not a known word, and itself as a prefix, each parsed in every text search configuration the
# index uses (claims_search_config; the site language's when empty), OR'ed; the newest
# SEARCH_CANDIDATES matches by (published_at, id) — found window by window, like the app — are
# ranked with ts_rank and ordered best first, then newest (published_at, id), paged by offset — the
# definition in claims/search.py.
SEARCH_SQL = f"""
WITH {CONFIGS_CTE}, {WORDS_CTE}, groups AS (
  SELECT w.n, {ALTERNATIVES} AS alternatives FROM words w WHERE NOT {IS_STOP_WORD}
), search AS (
  SELECT string_agg('(' || alternatives || ')', ' & ' ORDER BY n)::tsquery AS query
    FROM groups WHERE alternatives IS NOT NULL
), candidates AS ({WINDOWED_CANDIDATES.format(
    probe=("SELECT c.id FROM claims_claim c WHERE " + FILTERS + " AND c.search_vector @@ "
           + WINDOW_MATCH.format(query="(SELECT query FROM search)")
           + " ORDER BY c.published_at DESC, c.id DESC LIMIT %(candidates)s"),
    limit="%(candidates)s", unpublished="false")}
)
SELECT c.published_at, c.id, {CLAIM_DOCUMENT}
  FROM (SELECT c.id, ts_rank(c.search_vector, search.query) AS rank
          FROM claims_claim c, search
         WHERE c.id IN (SELECT id FROM candidates)
         ORDER BY rank DESC, c.published_at DESC, c.id DESC
         LIMIT %(limit)s) page
  JOIN claims_claim c ON c.id = page.id
 ORDER BY page.rank DESC, c.published_at DESC, c.id DESC"""  # noqa: S608


_reference_cache: dict[str, dict[str, int]] = {}


def _reference_ids(table: str, slugs: list[str]) -> list[int] | None:
    """Ids of the given rating or topic slugs (None when no filter was asked for).

    The slug → id maps of these small reference tables (7 ratings, 200 topics) are read once per
    process and kept, as any app could; an unknown slug matches nothing (floors validate nothing).
    """
    if not slugs:
        return None
    if table not in _reference_cache:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT slug, id FROM {table}")  # noqa: S608 (two fixed table names)
            _reference_cache[table] = dict(cursor.fetchall())
    ids = _reference_cache[table]
    return [ids[slug] for slug in slugs if slug in ids]


def _bases() -> dict[str, str]:
    publisher_url = settings.PUBLISHER.get("url") or settings.SITE_URL
    # Our own reviews' publisher: a constant, built once here as the JSON object the app builds.
    publisher = {"name": settings.PUBLISHER.get("name", ""),
                 "site": parse.urlsplit(publisher_url).netloc.lower()}
    return {"api_base": f"{settings.SITE_URL}/api/v1/claims/", "site_base": f"{settings.SITE_URL}/claims/",
            "publisher": orjson.dumps(publisher).decode()}


def _json(body: bytes, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="application/json")


def claim_detail_floor(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /bench/floor/claims/{id}/ — the public claim document, or 404."""
    with read_cursor(Claim, prepared=True) as cursor:
        cursor.execute(DETAIL_SQL, {**_bases(), "id": pk})
        row = cursor.fetchone()
    if row is None:
        raise Http404
    return _json(row[0].encode())


def claim_list_floor(request: HttpRequest) -> HttpResponse:
    """GET /bench/floor/claims/?page_size=&q=&rating=&topic= — the first page, with a next link
    identical to the app's (it points at the app's URL)."""
    size = min(int(request.GET.get("page_size") or DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
    params = {
        **_bases(),
        "rating_ids": _reference_ids("claims_rating", request.GET.getlist("rating")),
        "topic_ids": _reference_ids("claims_topic", request.GET.getlist("topic")),
        "limit": size + 1,
    }
    q = request.GET.get("q") or request.GET.get("query")
    if q:
        params["candidates"] = SEARCH_CANDIDATES
        params["site_language"] = settings.LANGUAGE_CODE
        params["near_words"] = NEAR_WORDS
        params["words"] = query_words(q)
    filters = [PUBLIC_FILTER]
    if params["rating_ids"] is not None:
        filters.append(RATING_FILTER)
    if params["topic_ids"] is not None:
        filters.append(TOPIC_FILTER)
    sql = (SEARCH_SQL if q else LIST_SQL).replace(FILTERS, " AND ".join(filters))
    # Prepared like the app's claim documents (factcheck.db_routers.read_cursor); the search
    # statement begins with WITH, which a prepared cursor cannot take during a request
    # django-pghistory tracks, so it is planned each time (as the app's search statement is).
    with read_cursor(Claim, prepared=not q) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    shown = rows[:size]
    query = "?" + request.GET.urlencode() if request.GET else ""
    app_url = request.build_absolute_uri(APP_LIST_PATH + query)
    next_url = None
    if len(rows) > size:
        if q:
            position = ["relevance", "n", size]
        else:
            last_published, last_id = shown[-1][0], shown[-1][1]
            position = ["-published_at", "n", last_published.isoformat(), last_id]
        next_url = _with_query_param(app_url, "cursor", _cursor(position))
    body = orjson.dumps({
        "next": next_url,
        "previous": None,
        "results": orjson.Fragment(b"[" + ",".join(row[2] for row in shown).encode() + b"]"),
    })
    return _json(body)


def _cursor(position: list) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(position)).decode().rstrip("=")


def _with_query_param(url: str, key: str, value: str) -> str:
    """The URL with ``key`` set (parameters sorted, as the app's links have them)."""
    scheme, netloc, path, query, fragment = parse.urlsplit(url)
    query_dict = parse.parse_qs(query, keep_blank_values=True)
    query_dict[key] = [value]
    query = parse.urlencode(sorted(query_dict.items()), doseq=True)
    return parse.urlunsplit((scheme, netloc, path, query, fragment))
