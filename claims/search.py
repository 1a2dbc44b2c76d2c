"""Full-text claim search that forgives misspellings.

``claims_matching`` runs PostgreSQL full-text search on ``Claim.search_vector`` (GIN-indexed,
kept current by triggers: claim text, claimant, rating explanation, linked quotes, analysis).
Each query word the lexicon (``claims_search_word``, migration 0005) does not know is widened to
its nearest known words by trigram similarity — over the small lexicon, not whole texts, which is
what keeps it fast — and every word also matches as a prefix, so ``soverignty`` and ``sover``
both find "sovereignty".

Relevance, defined so that it is deterministic and cheap at any table size (docs/scaling.md):

1. *matches*: the claims of the (already filtered) queryset whose ``search_vector`` matches the
   query built by ``build_tsquery``;
2. *candidates*: the newest ``CANDIDATE_LIMIT`` matches by ``(published_at DESC, id DESC)`` —
   for a common term the walk of the public ``(published_at, id)`` index stops after that many
   matches, for a rare one the GIN index finds the few matches and they are sorted;
3. *rank*: ``ts_rank(search_vector, query)`` (normalization 0) of each candidate; results are
   ordered ``rank DESC, published_at DESC, id DESC`` (``RELEVANCE_ORDER``).

Only candidates are ranked, so no request ranks (or counts) every match of a common term; older
matches of a very common term are reached with ``ordering=-published_at``. ``bench/floors.py``
computes the same ranking in one SQL statement and must return the same rows.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from factcheck.errors import InvalidInput

# The most matches a search ranks (the newest ones). Results beyond it are not returned by a
# relevance search (documented in the API and docs/scaling.md).
CANDIDATE_LIMIT = 1000
# Relevance order over the annotated candidates (claims_matching): best rank, then newest.
RELEVANCE_ORDER = ("-rank", "-published_at", "-pk")
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
NEAR_WORDS = 3
WORD_RE = re.compile(r"[^\W_]+")

LOOKUP_SQL = """
SELECT w.word,
       numnode(plainto_tsquery('english', w.word)) = 0 AS is_stop_word,
       CASE WHEN EXISTS (SELECT 1 FROM claims_search_word s WHERE s.word = w.word) THEN '{}'::text[]
            ELSE ARRAY(SELECT s.word FROM claims_search_word s
                        WHERE s.word %% w.word
                        ORDER BY similarity(s.word, w.word) DESC, s.word LIMIT %s)
       END AS near
  FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, n)
 ORDER BY w.n
"""


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
    with connection.cursor() as cursor:
        cursor.execute(LOOKUP_SQL, [NEAR_WORDS, words])
        rows = cursor.fetchall()
    groups = []
    for word, is_stop_word, near in rows:
        if is_stop_word:
            continue
        # Words are letters and digits only (WORD_RE), so they are safe inside to_tsquery.
        alternatives = [word, *(w for w in near if WORD_RE.fullmatch(w))]
        if len(word) >= 3:
            alternatives.append(f"{word}:*")
        groups.append("(" + " | ".join(dict.fromkeys(alternatives)) + ")")
    if not groups:
        raise InvalidInput(_("The search query has only common words."), code="invalid_query",
                           fields={"q": [_("Add a more specific word.")]})
    return " & ".join(groups)


def claims_matching(queryset: QuerySet, q: str) -> QuerySet:
    """``queryset`` narrowed to claims matching ``q``, annotated with ``rank`` (higher is better).

    Ordering is left to the caller (``RELEVANCE_ORDER`` for relevance). Only the newest
    ``CANDIDATE_LIMIT`` matches by ``(published_at, id)`` are considered (see the module's
    docstring). Raises InvalidInput for an unusable query (see ``build_tsquery``).
    """
    query = SearchQuery(build_tsquery(q), search_type="raw", config="english")
    # The order matches the partial index claim_public_pub_idx: a common term walks it and stops
    # after CANDIDATE_LIMIT matches; a rare term is found through the GIN index and sorted.
    candidates = (
        queryset.filter(search_vector=query)
        .order_by("-published_at", "-pk")
        .values("pk")[:CANDIDATE_LIMIT]
    )
    return queryset.filter(pk__in=candidates).annotate(rank=SearchRank(F("search_vector"), query))
