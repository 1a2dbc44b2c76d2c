"""Every ordering the claims API offers the public is served by an index (migration 0009 and
0007): the page query, with sorting made prohibitively expensive, plans no Sort node."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.filters import CLAIM_ORDERINGS
from tests.api_helpers import session_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def _page_query(path: str) -> str:
    """The statement that chooses the page's rows (ORDER BY … LIMIT) for an anonymous request."""
    with CaptureQueriesContext(connection) as captured:
        assert session_client(None).get(path).status_code == 200
    pages = [q["sql"] for q in captured.captured_queries
             if "ORDER BY" in q["sql"] and "LIMIT" in q["sql"] and "claims_claim" in q["sql"]]
    assert pages, [q["sql"] for q in captured.captured_queries]
    return pages[0]


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        # Sorting and scanning whole tables cost "infinity": an index matching the order is used
        # whenever one exists, whatever the (tiny) table's statistics.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("ordering", [key for key in CLAIM_ORDERINGS if key != "relevance"])
def test_every_public_ordering_has_an_index(claim_in, ordering):
    claim_in("published")
    plan = _plan(_page_query(f"/api/v1/claims/?ordering={ordering}&page_size=5"))
    assert "Sort" not in plan, plan
    assert "claim_public_" in plan, plan


def test_relevance_candidates_walk_the_public_date_index(claim_in):
    claim_in("published", text="Tariffs rose again.")
    with CaptureQueriesContext(connection) as captured:
        assert session_client(None).get("/api/v1/claims/?q=tariffs").status_code == 200
    search = [q["sql"] for q in captured.captured_queries if "@@" in q["sql"]]
    assert search
    plan = _plan(search[0])
    assert "claim_public_pub_idx" in plan, plan
