"""/api/v1/webhooks/ (webhooks/api.py) for users and organisations: members see an organisation's
endpoints and their delivery logs, its managers and the member who made one change it, everyone
else gets 404 as for a missing one."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import organisation
from tests.api_helpers import assert_error, session_client
from webhooks.models import WebhookEndpoint

URL = "/api/v1/webhooks/"


@pytest.fixture(autouse=True)
def allow_receiver(settings):
    settings.FACTCHECK_OUTBOUND_ALLOW = ["127.0.0.1:9"]


@pytest.fixture
def team(editor, reviewer, other_reviewer):
    return organisation(managers=[reviewer], members=[editor, other_reviewer])


def create(user, **body):
    return session_client(user).post(URL, {"url": "http://127.0.0.1:9/hook", **body}, format="json")


def test_a_member_subscribes_an_endpoint_for_the_organisation(editor, other_reviewer, outsider, team):
    created = create(editor, organisation="desk-team", events=["claim.published"])
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["organisation"] == "desk-team" and body["secret"].startswith("whsec_")
    stored = WebhookEndpoint.objects.get()
    assert (stored.owner, stored.organisation, stored.created_by) == (None, team, editor)
    assert [e["id"] for e in session_client(other_reviewer).get(URL).json()] == [body["id"]]
    assert session_client(outsider).get(URL).json() == []
    assert_error(session_client(outsider).get(f"{URL}{body['id']}/"), 404)
    assert_error(session_client(outsider).get(f"{URL}{body['id']}/deliveries/"), 404)
    assert session_client(other_reviewer).get(f"{URL}{body['id']}/deliveries/").json() == []


def test_only_members_create_for_an_organisation(outsider, team):
    error = assert_error(create(outsider, organisation="desk-team"), 400)
    assert error["fields"] == {"organisation": ["Not one of your organisations."]}
    assert_error(create(outsider, organisation="no-such-team"), 400)
    assert not WebhookEndpoint.objects.exists()


def test_managers_and_the_creator_change_members_only_look(editor, reviewer, other_reviewer, outsider,
                                                           team):
    made = create(editor, organisation="desk-team").json()
    detail = f"{URL}{made['id']}/"
    assert_error(session_client(other_reviewer).delete(detail), 403)
    assert_error(session_client(other_reviewer).post(f"{detail}enable/"), 403)
    assert_error(session_client(outsider).delete(detail), 404)
    assert session_client(editor).post(f"{detail}enable/").status_code == 200
    assert session_client(reviewer).delete(detail).status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_the_list_is_own_and_organisations_in_fixed_queries(editor, reviewer, team,
                                                            django_assert_num_queries):
    create(editor)
    create(reviewer, organisation="desk-team")
    other = organisation("Other team", managers=[reviewer])
    create(reviewer, organisation=other.slug)
    client = session_client(editor)
    with django_assert_num_queries(3):  # session, user, the endpoints with their organisations
        listing = client.get(URL).json()
    assert sorted((e["organisation"] or "") for e in listing) == ["", "desk-team"]
