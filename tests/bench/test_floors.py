"""bench/floors.py: each floor returns the same JSON as the app for the same request — the
property that makes the benchmark's app ÷ floor ratio a fair comparison."""

from __future__ import annotations

import orjson
import pytest

from bench import floors
from bench.dataset import dataset_build
from bench.harness import same_json
from bench.middleware import QUERY_COUNT_HEADER
from bench.scenarios import scenarios_for
from claims.models import Claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_urls(settings):
    """The benchmark's URL map (the app plus the floors) and its query-count middleware."""
    settings.ROOT_URLCONF = "bench.urls"
    settings.MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/s", "token": "100000/s"},
    }
    floors._reference_cache.clear()  # each test builds its topics afresh
    yield
    floors._reference_cache.clear()


@pytest.fixture
def dataset(bench_urls):
    # Enough public claims for more than one page of 50, so next links are compared too.
    return dataset_build(claims=80, seed=11)


def _get(client, path: str):
    response = client.get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return response


def test_every_benchmark_request_gets_the_same_json_from_app_and_floor(client, dataset):
    scenarios = scenarios_for(requests=1)
    assert [s.name for s in scenarios] == ["list", "search", "filters", "detail"]
    compared = 0
    for scenario in scenarios:
        for app_path, floor_path in scenario.pairs:
            app, floor = _get(client, app_path), _get(client, floor_path)
            difference = same_json(app.content, floor.content)
            assert difference is None, (app_path, difference)
            compared += 1
    assert compared == 1 + 6 + 4 + 20


def test_the_comparison_covers_full_pages_next_links_and_search_hits(client, dataset):
    """Guard against a vacuous comparison: the pages compared hold rows and links."""
    page = orjson.loads(_get(client, "/bench/floor/claims/?page_size=50").content)
    assert len(page["results"]) == 50 and page["next"].startswith("http://testserver/api/v1/claims/?")
    assert page["results"][0]["evidence"] and page["results"][0]["topics"]
    hits = orjson.loads(_get(client, "/bench/floor/claims/?page_size=5&q=percent").content)
    assert hits["results"] and hits["next"]
    misspelled = orjson.loads(_get(client, "/bench/floor/claims/?page_size=5&q=percnet").content)
    assert misspelled["results"]


def test_search_ranks_the_newest_candidates_deterministically_as_the_floor_does(
        client, dataset, monkeypatch):
    """A term with more matches than the ranked candidates: the app ranks exactly the newest
    CANDIDATE_LIMIT matches by (published_at, id), the same rows every time, as the floor does."""
    from claims import search

    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 10)
    monkeypatch.setattr(floors, "SEARCH_CANDIDATES", 10)
    query = search.ParsedQuery(search.build_tsquery("percent"))
    public_matches = Claim.objects.public().filter(search_vector=query)
    assert public_matches.count() > 20
    pages = [_get(client, "/api/v1/claims/?page_size=50&q=percent").content for _ in range(3)]
    assert pages[0] == pages[1] == pages[2]
    app = orjson.loads(pages[0])
    newest = public_matches.order_by("-published_at", "-id").values_list("pk", flat=True)[:10]
    assert sorted(c["id"] for c in app["results"]) == sorted(newest)
    floor = _get(client, "/bench/floor/claims/?page_size=50&q=percent").content
    assert same_json(pages[0], floor) is None


@pytest.mark.parametrize("query", ["page_size=7", "page_size=7&q=percent", "page_size=7&rating=false"])
def test_the_floors_next_link_leads_the_app_to_its_second_page(client, dataset, query):
    first = orjson.loads(_get(client, f"/bench/floor/claims/?{query}").content)
    second = orjson.loads(_get(client, first["next"].removeprefix("http://testserver")).content)
    first_ids = {claim["id"] for claim in first["results"]}
    assert second["results"] and not first_ids & {claim["id"] for claim in second["results"]}


def test_private_claims_are_404_on_both(client, dataset):
    draft = Claim.objects.exclude(status__in=["published", "retracted"]).first()
    assert client.get(f"/api/v1/claims/{draft.pk}/").status_code == 404
    assert client.get(f"/bench/floor/claims/{draft.pk}/").status_code == 404


def test_floor_runs_one_query_and_the_header_reports_it(client, dataset):
    """One statement per request once the rating/topic slug maps are loaded (first use only)."""
    claim = Claim.objects.public().first()
    for path in ["/bench/floor/claims/?page_size=50", f"/bench/floor/claims/{claim.pk}/",
                 "/bench/floor/claims/?page_size=50&q=percent&rating=false&topic=economy"]:
        _get(client, path)
        assert _get(client, path)[QUERY_COUNT_HEADER] == "1"
