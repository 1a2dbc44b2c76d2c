"""factchecktools/api.py through Django's test client: constant queries for a page listing."""

from __future__ import annotations

import pytest

from tests.conftest import bring_to, make_ready_claim


def _publish(count: int, editor, reviewer) -> None:
    for _ in range(count):
        bring_to(make_ready_claim(editor), "published", author=editor, reviewer=reviewer)


@pytest.mark.parametrize("count", [1, 6])
def test_pages_list_runs_a_constant_number_of_queries(client, editor, reviewer, count,
                                                      django_assert_num_queries):
    _publish(count, editor, reviewer)
    # the rating scale, the reviews, their evidence with sources (anonymous: no created pages)
    with django_assert_num_queries(3):
        response = client.get("/v1alpha1/pages", {"pageSize": 10})
    assert response.status_code == 200
    assert len(response.json()["claimReviewMarkupPages"]) == count


def test_unknown_page_names_are_not_found(client, db):
    for name in ("pages/abc", "pages/claim-999", "pages/12", "pages/claim-1x"):
        response = client.get(f"/v1alpha1/{name}")
        assert response.status_code == 404, name
        assert response.json()["error"]["code"] == "not_found"
