"""Topics and ratings are in the audit trail with the acting user; the rating scale is changed by
administrators only, and a new label touches the claims carrying it (their public pages' "last
updated" time, version and ETag move)."""

from __future__ import annotations

import pytest
from pghistory.models import Events

from claims.models import Claim, Rating, Topic
from tests import factories
from tests.api_helpers import assert_error, session_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def last_event(obj):
    return Events.objects.tracks(obj).order_by("pgh_id").last()


def test_topic_changes_are_recorded_with_the_acting_user(editor):
    client = session_client(editor)
    created = client.post("/api/v1/topics/", {"name": "Economy"}, format="json")
    assert created.status_code == 201, created.content
    topic = Topic.objects.get(pk=created.json()["id"])
    url = f"/api/v1/topics/{topic.pk}/"
    response = client.patch(url, {"name": "The economy"}, format="json",
                            HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 200, response.content
    event = last_event(topic)
    assert event.pgh_diff["name"] == ["Economy", "The economy"]
    assert event.pgh_context["user"] == editor.pk


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_only_administrators_change_a_rating_label(role, request):
    user = request.getfixturevalue(role)
    rating = factories.rating("false")
    client = session_client(user)
    url = f"/api/v1/ratings/{rating.pk}/"
    refused = client.patch(url, {"label": "Wrong"}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])
    assert_error(refused, 403)
    assert Rating.objects.get(pk=rating.pk).label == "False"


def test_rating_label_change_is_recorded_and_touches_its_claims(client, admin_user, claim_in):
    claim = claim_in("published")  # rated False
    other = claim_in("published", rating="true")
    before_etag = client.get(claim.get_absolute_url())["ETag"]
    api = session_client(admin_user)
    url = f"/api/v1/ratings/{claim.rating_id}/"
    response = api.patch(url, {"label": "Wrong"}, format="json", HTTP_IF_MATCH=api.get(url)["ETag"])
    assert response.status_code == 200, response.content
    event = last_event(Rating.objects.get(pk=claim.rating_id))
    # (The seeded scale predates the audit trail: this is its first event, so it has no diff.)
    assert (event.pgh_label, event.pgh_data["label"]) == ("update", "Wrong")
    assert event.pgh_context["user"] == admin_user.pk
    assert Claim.objects.get(pk=claim.pk).version == claim.version + 1
    assert Claim.objects.get(pk=other.pk).version == other.version
    page = client.get(claim.get_absolute_url())
    assert page["ETag"] != before_etag
    assert "Wrong" in page.content.decode()


def test_renaming_a_topic_touches_the_claims_showing_it(client, editor, claim_in):
    claim = claim_in("published")
    topic = factories.TopicFactory(name="Economy")
    claim.topics.add(topic)
    claim.refresh_from_db()
    before = client.get(claim.get_absolute_url())["ETag"]
    api = session_client(editor)
    url = f"/api/v1/topics/{topic.pk}/"
    assert api.patch(url, {"name": "Jobs"}, format="json",
                     HTTP_IF_MATCH=api.get(url)["ETag"]).status_code == 200
    assert Claim.objects.get(pk=claim.pk).version == claim.version + 1
    page = client.get(claim.get_absolute_url())
    assert page["ETag"] != before and "Jobs" in page.content.decode()
