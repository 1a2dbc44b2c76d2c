"""Saved searches (saved_searches/): the claims list's own parameters, validated by its filters,
private to their owner, with new matches since the last visit and an export."""

from __future__ import annotations

import orjson
import pytest

from saved_searches.models import SavedSearch
from tests.accounts.helpers import organisation
from tests.api_helpers import assert_error, session_client

URL = "/api/v1/saved-searches/"


@pytest.fixture
def published(claim_in):
    return claim_in("published")


def test_save_list_and_open_a_search(editor, published):
    client = session_client(editor)
    created = client.post(URL, {"name": "False claims", "query": "?rating=false&status=published"},
                          format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["query"] == "rating=false&status=published"
    assert body["claims_url"].endswith("/api/v1/claims/?rating=false&status=published")
    assert created["ETag"] == '"v1"'
    assert [s["name"] for s in client.get(URL).json()] == ["False claims"]


def test_bad_queries_name_the_parameter_and_save_nothing(editor, db):
    client = session_client(editor)
    unknown = client.post(URL, {"name": "x", "query": "colour=red&cursor=abc"}, format="json")
    error = assert_error(unknown, 400)
    assert set(error["fields"]) == {"query.colour", "query.cursor"}
    bad_value = client.post(URL, {"name": "x", "query": "rating=nonexistent"}, format="json")
    assert "query.rating" in assert_error(bad_value, 400)["fields"]
    duplicate = [client.post(URL, {"name": "Same", "query": ""}, format="json") for _ in range(2)]
    assert duplicate[0].status_code == 201
    assert assert_error(duplicate[1], 400)["fields"] == {"name": ["Already used."]}
    assert SavedSearch.objects.count() == 1


def test_new_matches_count_what_appeared_since_the_last_visit(editor, reviewer, claim_in):
    client = session_client(editor)
    search = client.post(URL, {"name": "All public", "query": "status=published"}, format="json").json()
    assert search["new_matches"] == 0
    claim_in("published")
    claim_in("published")
    assert client.get(f"{URL}{search['id']}/").json()["new_matches"] == 2
    seen = client.post(f"{URL}{search['id']}/seen/")
    assert seen.status_code == 200 and seen.json()["new_matches"] == 0


def test_searches_are_private_to_their_owner(editor, reviewer, client, db):
    mine = session_client(editor).post(URL, {"name": "Mine", "query": ""}, format="json").json()
    assert session_client(reviewer).get(f"{URL}{mine['id']}/").status_code == 404
    assert session_client(reviewer).get(URL).json() == []
    assert client.get(URL).status_code in (401, 403)


def test_changes_need_the_current_version(editor, db):
    client = session_client(editor)
    search = client.post(URL, {"name": "A", "query": ""}, format="json").json()
    assert_error(client.patch(f"{URL}{search['id']}/", {"name": "B"}, format="json"), 428)
    renamed = client.patch(f"{URL}{search['id']}/", {"name": "B"}, format="json", HTTP_IF_MATCH='"v1"')
    assert renamed.status_code == 200 and renamed.json()["name"] == "B"
    assert_error(client.delete(f"{URL}{search['id']}/", HTTP_IF_MATCH='"v1"'), 412)
    assert client.delete(f"{URL}{search['id']}/", HTTP_IF_MATCH='"v2"').status_code == 204


def test_export_streams_the_searchs_claims(editor, published, claim_in):
    claim_in("draft")
    client = session_client(editor)
    search = client.post(URL, {"name": "Published", "query": "status=published"}, format="json").json()
    response = client.get(f"{URL}{search['id']}/export/", {"format": "ndjson"})
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).splitlines()
    assert [orjson.loads(line)["id"] for line in lines] == [published.pk]


def test_an_organisations_search_is_seen_by_members_and_changed_by_managers_and_its_creator(
        editor, reviewer, other_reviewer, outsider, db, django_assert_num_queries):
    organisation("Desk", managers=[reviewer], members=[editor, other_reviewer])
    refused = session_client(outsider).post(URL, {"name": "x", "query": "", "organisation": "desk"},
                                            format="json")
    assert assert_error(refused, 400)["fields"] == {"organisation": ["Not one of your organisations."]}
    made = session_client(editor).post(URL, {"name": "Team", "query": "status=published",
                                             "organisation": "desk"}, format="json")
    assert made.status_code == 201 and made.json()["organisation"] == "desk"
    detail = f"{URL}{made.json()['id']}/"
    session_client(other_reviewer).post(URL, {"name": "Mine", "query": ""}, format="json")
    member = session_client(other_reviewer)
    member.get(URL)
    with django_assert_num_queries(5):  # session, user, searches, and a count of new matches each
        assert sorted(s["name"] for s in member.get(URL).json()) == ["Mine", "Team"]
    assert_error(session_client(outsider).get(detail), 404)
    assert_error(member.patch(detail, {"name": "Renamed"}, format="json", HTTP_IF_MATCH='"v1"'), 403)
    assert_error(member.delete(detail, HTTP_IF_MATCH='"v1"'), 403)
    assert_error(session_client(editor).patch(detail, {"organisation": "desk"}, format="json",
                                              HTTP_IF_MATCH='"v1"'), 400)
    renamed = session_client(editor).patch(detail, {"name": "Renamed"}, format="json", HTTP_IF_MATCH='"v1"')
    assert renamed.status_code == 200
    assert session_client(reviewer).delete(detail, HTTP_IF_MATCH='"v2"').status_code == 204
    assert [s.name for s in SavedSearch.objects.all()] == ["Mine"]
