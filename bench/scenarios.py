"""The four measured scenarios and the requests each sends, chosen from the dataset.

Every scenario cycles through a few inputs (search terms, filter pairs, claim ids) so neither
side profits from one hot row; the app and its floor always get the same input.
"""

from __future__ import annotations

from django.db import connection

from bench.harness import Scenario

FLOOR_PREFIX = "/bench/floor/claims/"
APP_PREFIX = "/api/v1/claims/"
PAGE_SIZE = 50
# A common word (~20% of public claims: far more matches than the app ranks, its newest
# claims.search.CANDIDATE_LIMIT), a mid-frequency word (~4%), a two-word query, a place, a rarer
# word and a misspelling (the lexicon's trigram path). The ranking is deterministic (the newest
# candidates, then ts_rank), so the floor computes the same rows for every one of them.
SEARCH_TERMS = ["unemployment", "mortgage", "tariff revenue", "Guadalajara", "measles", "soverignty"]


def _floor(app_path: str) -> str:
    return FLOOR_PREFIX + app_path.removeprefix(APP_PREFIX)


def _pairs(app_paths: list[str]) -> list[tuple[str, str]]:
    return [(app_path, _floor(app_path)) for app_path in app_paths]


def scenarios_for(*, requests: int) -> list[Scenario]:
    with connection.cursor() as cursor:
        # Topics by popularity: the most used, a middling one, a rare one.
        cursor.execute(
            "SELECT t.slug FROM claims_topic t JOIN claims_claim_topics ct ON ct.topic_id = t.id "
            "GROUP BY t.id ORDER BY count(*) DESC, t.id"
        )
        topics = [row[0] for row in cursor.fetchall()]
        # Public claims spread over the whole id range.
        cursor.execute("SELECT id FROM claims_claim WHERE status = 'published' ORDER BY id")
        published = [row[0] for row in cursor.fetchall()]
    picked_topics = [topics[i] for i in (0, len(topics) // 10, len(topics) // 2) if i < len(topics)]
    filter_pairs = [
        (rating, topic) for rating, topic in zip(
            ["false", "half-true", "misleading", "mostly-true"], picked_topics * 2, strict=False)
    ]
    detail_ids = published[:: max(1, len(published) // 20)][:20]
    list_path = f"{APP_PREFIX}?page_size={PAGE_SIZE}"
    return [
        Scenario("list", f"`GET {list_path}` anonymous (newest published first)", _pairs([list_path])),
        Scenario(
            "search",
            f"`{list_path}&q=…` with q in {', '.join(repr(t) for t in SEARCH_TERMS)} "
            "(a common, a middling, a two-word, a place, a rare and a misspelled term)",
            _pairs([f"{list_path}&q={term.replace(' ', '+')}" for term in SEARCH_TERMS]),
        ),
        Scenario(
            "filters",
            f"`{list_path}&rating=…&topic=…` with "
            + ", ".join(f"{r}+{t}" for r, t in filter_pairs)
            + " (topics: the most used, a middling and a rare one)",
            _pairs([f"{list_path}&rating={r}&topic={t}" for r, t in filter_pairs]),
        ),
        Scenario(
            "detail",
            f"`GET {APP_PREFIX}{{id}}/` for {len(detail_ids)} published claims across the id range",
            _pairs([f"{APP_PREFIX}{pk}/" for pk in detail_ids]),
        ),
    ]
