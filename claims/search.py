"""Full-text claim search that forgives misspellings.

``claims_matching`` runs PostgreSQL full-text search on ``Claim.search_vector`` (GIN-indexed,
kept current by triggers: claim text, claimant, rating explanation, linked quotes, analysis).
Each query word the lexicon (``claims_search_word``, migration 0005) does not know is widened to
its nearest known words by trigram similarity — over the small lexicon, not whole texts, which is
what keeps it fast — and matches as a prefix, so ``soverignty`` and ``sover`` both find
"sovereignty"; a word the lexicon knows matches itself (stemmed: ``taxes`` finds "tax").

Languages: every text is indexed in its own language's configuration (``fc_es``, ``fc_en``…,
accents removed by ``unaccent``; migration 0017), so "La soberanía no se negocia" is stored as
``soberan``, ``negoci``. A query word is parsed in each configuration the index uses
(``claims_search_config``: the languages of the claims and quotes indexed, in name order) and its
alternatives are OR'ed, so ``soberania`` and ``negociar`` find that claim and an English query
keeps finding English claims: one tsquery, served by the one GIN index. A word that is a stop word
in any of those languages is left out (it is not indexed in that language's texts). The lexicon
holds words without their accents.

Relevance, defined so that it is deterministic and cheap at any table size (docs/scaling.md):

1. *matches*: the claims of the (already filtered) queryset whose ``search_vector`` matches the
   query built by ``build_tsquery``;
2. *candidates*: the newest ``CANDIDATE_LIMIT`` matches by ``(published_at DESC, id DESC)``
   (a claim never published sorts first);
3. *rank*: ``ts_rank(search_vector, query)`` (normalization 0) of each candidate; results are
   ordered ``rank DESC, published_at DESC, id DESC`` (``RELEVANCE_ORDER``).

Only candidates are ranked, so no request ranks (or counts) every match of a common term; older
matches of a very common term are reached with ``ordering=-published_at``. ``bench/floors.py``
computes the same ranking in one SQL statement and must return the same rows.

Finding the candidates without reading every match (``WINDOWED_CANDIDATES``): each search vector
also holds where its claim sits in publication time (``~y2026``, ``~m202611``…; migration 0019),
so the GIN index itself intersects the query with a *slice* of time — the claims published
between two dates (``fc_published_between``, migration 0021) — and hands over only the
matches inside it. The slices start at the newest 1 %, 4 %, 16 % and 50 % of claims by the
planner's statistics (``fc_search_windows``) and at the earliest publication. Claims never
published (which sort first) are read before them when the queryset holds any (not
``published_only``), in slices of their ids, newest first (``~ua<id >> 10>``… blocks; migration
0022): an editor's search of a common word no longer sorts every matching draft. They are read
newest first, in one statement, until ``CANDIDATE_LIMIT`` matches are found: every match of a
slice is newer than every match of the next, so the candidates are exactly those of the
definition wherever the search stops (the statistics only decide where the slices start). A
common word stops in the first slice, a rare one reads its few matches in each; either way a
search reads each match at most once and about ``CANDIDATE_LIMIT`` claims, not every match
(docs/scaling.md, "Search at 1,000,000 claims").
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Exact, In
from django.db.models.sql.where import AND
from django.utils.translation import gettext as _

from claims.models import PUBLIC_STATUSES, Claim
from factcheck.db_routers import read_cursor
from factcheck.errors import InvalidInput

# The most matches a search ranks (the newest ones). Results beyond it are not returned by a
# relevance search (documented in the API and docs/scaling.md).
CANDIDATE_LIMIT = 500
# Relevance order over the annotated candidates (claims_matching): best rank, then newest.
RELEVANCE_ORDER = ("-rank", "-published_at", "-pk")
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
NEAR_WORDS = 3
WORD_RE = re.compile(r"[^\W_]+")

# The configurations a query is parsed in: those the search vectors use (when no claim was ever
# indexed, the site's language's: settings.LANGUAGE_CODE). bench/floors.py builds its one-statement
# search from these same fragments, so the floor parses a query exactly as the app does.
CONFIGS_CTE = """
configs AS (
  SELECT config::regconfig AS config FROM claims_search_config
  UNION ALL
  SELECT fc_regconfig(%(site_language)s) WHERE NOT EXISTS (SELECT 1 FROM claims_search_config)
)"""
# Each query word (accents removed), with its nearest lexicon spellings when it is not a known word.
WORDS_CTE = """
words AS (
  SELECT k.n, k.word, k.known,
         CASE WHEN k.known THEN '{}'::text[]
              ELSE ARRAY(SELECT s.word FROM claims_search_word s
                          WHERE s.word %% k.word
                          ORDER BY similarity(s.word, k.word) DESC, s.word LIMIT %(near_words)s)
         END AS near
    FROM (SELECT u.n, w.word,
                 EXISTS (SELECT 1 FROM claims_search_word s WHERE s.word = w.word) AS known
            FROM unnest(%(words)s::text[]) WITH ORDINALITY AS u(typed, n)
           CROSS JOIN LATERAL (SELECT unaccent(u.typed) AS word) AS w) AS k
)"""
# Over ``words w``: whether the word is a stop word in one of the configurations …
IS_STOP_WORD = "EXISTS (SELECT 1 FROM configs WHERE numnode(plainto_tsquery(configs.config, w.word)) = 0)"
# … and its alternatives (itself; when the lexicon does not know it, its near spellings and itself
# as a prefix — in place of itself, which the prefix matches too: one entry fewer per
# configuration for the index to look up, 0.5–1 ms of a misspelled word's slice at 1,000,000
# claims), each parsed in every configuration, OR'ed in a fixed order: the tsquery text of one
# word's group. A known word is not widened to a prefix: stemming already finds its inflections,
# and a prefix of a common word reads every posting list it starts (search windows cannot narrow
# that read; docs/scaling.md).
ALTERNATIVES = """(SELECT string_agg(DISTINCT '(' || parsed.query::text || ')', ' | '
                          ORDER BY '(' || parsed.query::text || ')')
          FROM configs,
               unnest(CASE WHEN length(w.word) >= 3 AND NOT w.known THEN ARRAY[w.word || ':*']
                           ELSE ARRAY[w.word] END || w.near)
                 AS alternative(word),
               LATERAL (SELECT to_tsquery(configs.config, alternative.word) AS query) AS parsed
         WHERE numnode(parsed.query) > 0)"""
# (Statements run through a prepared cursor begin with SELECT: see factcheck.db_routers.read_cursor.)
LOOKUP_SQL = f"""
SELECT lookup.is_stop_word, lookup.alternatives FROM (
  WITH {CONFIGS_CTE}, {WORDS_CTE}
  SELECT w.n, {IS_STOP_WORD} AS is_stop_word, {ALTERNATIVES} AS alternatives
    FROM words w) AS lookup
 ORDER BY lookup.n
"""  # noqa: S608 (constant fragments; every value is a parameter)


# The candidates of a search, in one statement. The slices (``fc_search_slices``, migration 0022:
# one tsquery each, newest first) are read in turn: when the search holds claims never published
# (``{unpublished}``: ``true``), which sort first, slices of their ids, newest first; then slices
# of publication time, from ``fc_search_windows()``'s starts to the earliest publication. Each
# slice's matches are probed newest first (``{probe}``: a query selecting ``id``, ordered by
# ``published_at DESC, id DESC`` and limited to ``{limit}``, whose condition includes
# ``WINDOW_MATCH``); one slice's rows all come before the next slice's in that order, so the first
# ``{limit}`` rows of the slices in turn are the newest ``{limit}`` matches. Limit over a nested
# loop: once it has them, later slices are never read, and no match is read twice. Shared with
# bench/floors.py.
WINDOWED_CANDIDATES = """
SELECT slice.id FROM fc_search_slices({unpublished}) WITH ORDINALITY AS w(slice, n)
 CROSS JOIN LATERAL ({probe}) AS slice(id)
 LIMIT {limit}"""
# The search condition inside slice ``w``: ``{query}`` (a tsquery) and the slice's lexemes.
WINDOW_MATCH = "({query} && w.slice)"


# Each word as a prefix, parsed in every configuration the index uses (the admin's search box).
PREFIX_SQL = f"""
SELECT prefixes.query FROM (
  WITH {CONFIGS_CTE}
  SELECT u.n, (SELECT string_agg(DISTINCT '(' || parsed.query::text || ')', ' | '
                                 ORDER BY '(' || parsed.query::text || ')')
                 FROM configs,
                      LATERAL (SELECT to_tsquery(configs.config, u.word || ':*') AS query) AS parsed
                WHERE numnode(parsed.query) > 0) AS query
    FROM unnest(%(words)s::text[]) WITH ORDINALITY AS u(word, n)) AS prefixes
 ORDER BY prefixes.n
"""  # noqa: S608 (constant fragments; every value is a parameter)


def prefix_tsquery(words: list[str]) -> str:
    """A tsquery text matching every one of ``words`` (letters and digits) as a prefix, in any
    language indexed; "" when none is searchable (only stop words)."""
    with read_cursor(Claim, prepared=True) as cursor:
        cursor.execute(PREFIX_SQL, {"site_language": settings.LANGUAGE_CODE, "words": words})
        groups = [row[0] for row in cursor.fetchall() if row[0]]
    return " & ".join(f"({group})" for group in groups)


class ParsedQuery(SearchQuery):
    """A tsquery given as its text, already normalized (``('soberan':*) | ('sovereignti')``)."""

    template = "%(expressions)s::tsquery"


class OpaqueParsedQuery(ParsedQuery):
    """A ``ParsedQuery`` the planner cannot read ahead (a one-row sub-select, run once): the search
    plan is then the same for every term — the GIN index finds the matches, the newest are ranked —
    as in the benchmark's floor, where the query comes from a CTE. With the literal, PostgreSQL
    estimates how often the words occur and, for a middling term (a few % of claims), walks the
    publication-date index checking every claim: 299 ms instead of 18 ms for one such term at
    100,000 claims (docs/benchmarks.md, "Search plans")."""

    template = "(SELECT %(expressions)s::tsquery)"


class WindowedQuery(ParsedQuery):
    """A ``ParsedQuery`` narrowed to the slice ``w`` of ``WINDOWED_CANDIDATES`` (the tsquery given
    as a one-row sub-select, like ``OpaqueParsedQuery``)."""

    template = (f"(SELECT {WINDOW_MATCH.format(query='t.query')} "  # noqa: S608
                "FROM (SELECT %(expressions)s::tsquery AS query) AS t)")


def published_only(queryset: QuerySet) -> bool:
    """Whether ``queryset`` is narrowed (at its top level) to public claims, which are all
    published: its search slices then leave out the claims never published (a fifth of a
    newsroom's claims are drafts, matched by the newest slice otherwise)."""
    where = queryset.query.where
    if where.connector != AND or where.negated:
        return False
    status = Claim._meta.get_field("status")
    for child in where.children:
        if getattr(getattr(child, "lhs", None), "target", None) is not status:
            continue
        if isinstance(child, In) and set(child.rhs) <= set(PUBLIC_STATUSES):
            return True
        if isinstance(child, Exact) and child.rhs in PUBLIC_STATUSES:
            return True
    return False


def query_words(q: str) -> list[str]:
    """The searchable words of ``q`` (lower case, at least two characters)."""
    return [w for w in WORD_RE.findall(q.lower()) if len(w) >= 2][:MAX_WORDS]


def build_tsquery(q: str) -> str:
    """A ``to_tsquery`` expression for ``q``: every meaningful word (or a near spelling) must match.

    Raises InvalidInput when ``q`` is too short, too long, or made only of stop words.
    """
    q = (q or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise InvalidInput(_("The search query is too long."), code="invalid_query",
                           fields={"q": [_("At most %(count)d characters.") % {"count": MAX_QUERY_LENGTH}]})
    words = query_words(q)
    if not words:
        raise InvalidInput(_("The search query is too short."), code="invalid_query",
                           fields={"q": [_("Give at least one word of two or more letters.")]})
    with read_cursor(Claim, prepared=True) as cursor:
        cursor.execute(LOOKUP_SQL, {"site_language": settings.LANGUAGE_CODE,
                                    "near_words": NEAR_WORDS, "words": words})
        rows = cursor.fetchall()
    # Each group: the word, its near spellings and its prefix, parsed in every configuration.
    groups = [f"({alternatives})" for is_stop_word, alternatives in rows
              if not is_stop_word and alternatives]
    if not groups:
        raise InvalidInput(_("The search query has only common words."), code="invalid_query",
                           fields={"q": [_("Add a more specific word.")]})
    return " & ".join(groups)


def claims_matching(queryset: QuerySet, q: str) -> QuerySet:
    """``queryset`` narrowed to claims matching ``q``, annotated with ``rank`` (higher is better).

    Ordering is left to the caller (``RELEVANCE_ORDER`` for relevance). Only the newest
    ``CANDIDATE_LIMIT`` matches by ``(published_at, id)`` are considered, found slice by slice
    (see the module's docstring). Raises InvalidInput for an unusable query (see
    ``build_tsquery``).
    """
    tsquery = build_tsquery(q)
    probe = (
        queryset.filter(search_vector=WindowedQuery(tsquery))
        .order_by("-published_at", "-pk")
        .values("pk")[:CANDIDATE_LIMIT]
    )
    rank = SearchRank(F("search_vector"), OpaqueParsedQuery(tsquery))
    try:
        probe_sql, probe_params = probe.query.get_compiler(using=probe.db).as_sql()
    except EmptyResultSet:  # the queryset can match nothing (e.g. a staff-only filter)
        return queryset.annotate(rank=rank).none()
    # The probe is the queryset's own compiled SQL; every value stays a parameter.
    unpublished = "false" if published_only(queryset) else "true"
    candidates = RawSQL(WINDOWED_CANDIDATES.format(probe=probe_sql, limit="%s",  # noqa: S611
                                                   unpublished=unpublished),
                        (*probe_params, CANDIDATE_LIMIT))
    return queryset.filter(pk__in=candidates).annotate(rank=rank)
