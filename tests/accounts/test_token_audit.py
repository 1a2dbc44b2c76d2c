"""API tokens are in the audit trail with the acting user — without their secret's hash, and
without an event per use (``last_used_at`` is not audited)."""

from __future__ import annotations

import pytest
from pghistory.models import Events
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.api_helpers import session_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def token_events(token_id: int):
    return list(Events.objects.tracks(ApiToken(pk=token_id)).order_by("pgh_id"))


def test_issuing_and_revoking_a_token_are_recorded_with_the_acting_user(editor, admin_user):
    admin = session_client(admin_user)
    created = admin.post("/api/v1/tokens/", {"name": "bot", "scope": "read", "user": editor.username},
                         format="json")
    assert created.status_code == 201, created.content
    token_id = created.json()["id"]
    url = f"/api/v1/tokens/{token_id}/"
    assert admin.delete(url, HTTP_IF_MATCH=admin.get(url)["ETag"]).status_code == 204
    events = token_events(token_id)
    assert [e.pgh_label for e in events] == ["insert", "update"]
    assert all(e.pgh_context["user"] == admin_user.pk for e in events)
    assert events[0].pgh_data["user_id"] == editor.pk and events[0].pgh_data["name"] == "bot"
    assert set(events[1].pgh_diff) == {"revoked_at"}
    for event in events:
        assert "key_hash" not in event.pgh_data and "last_used_at" not in event.pgh_data


def test_using_a_token_writes_no_audit_event(editor):
    created = session_client(editor).post("/api/v1/tokens/", {"name": "bot"}, format="json").json()
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {created['token']}")
    assert bearer.get("/api/v1/topics/").status_code == 200
    assert ApiToken.objects.get(pk=created["id"]).last_used_at is not None
    assert [e.pgh_label for e in token_events(created["id"])] == ["insert"]
