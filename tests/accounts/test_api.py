"""API tokens (accounts/api.py, services, selectors, the bearer authentication and the command)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_create, hash_secret
from tests.api_helpers import assert_error, session_client, token_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def bearer(raw: str):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_user_creates_lists_and_revokes_own_token(editor):
    client = session_client(editor)
    response = client.post("/api/v1/tokens/", {"name": "newsroom bot", "scope": "write"}, format="json")
    assert response.status_code == 201
    body = response.json()
    raw = body["token"]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.key_hash == hash_secret(raw) and raw not in str(token.__dict__)
    assert response["Cache-Control"] == "no-store"
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert [t["id"] for t in listed] == [token.pk] and "token" not in listed[0]
    assert bearer(raw).get("/api/v1/claims/").status_code == 200
    etag = client.get(f"/api/v1/tokens/{token.pk}/")["ETag"]
    assert client.delete(f"/api/v1/tokens/{token.pk}/", HTTP_IF_MATCH=etag).status_code == 204
    assert_error(bearer(raw).get("/api/v1/claims/"), 401, "authentication_failed")


def test_revoking_needs_if_match(editor):
    """DELETE needs If-Match like every other write: missing → 428, stale → 412, current → 204."""
    token = api_token_create(actor=editor, name="bot").token
    client = session_client(editor)
    url = f"/api/v1/tokens/{token.pk}/"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert_error(client.delete(url), 428, "precondition_required")
    assert_error(client.delete(url, HTTP_IF_MATCH='"stale"'), 412)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert client.delete(url, HTTP_IF_MATCH=etag).status_code == 204
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert_error(client.delete(url, HTTP_IF_MATCH=etag), 412)  # it changed: now revoked
    assert client.delete(url, HTTP_IF_MATCH=client.get(url)["ETag"]).status_code == 204  # no-op


def test_a_token_revokes_itself_with_the_etag_it_read(editor):
    """Using the token moves last_used_at, which is not part of its ETag."""
    issued = api_token_create(actor=editor, name="self", scope="write")
    client = bearer(issued.raw)
    url = f"/api/v1/tokens/{issued.token.pk}/"
    etag = client.get(url)["ETag"]
    ApiToken.objects.filter(pk=issued.token.pk).update(last_used_at=None)  # next use records again
    assert client.delete(url, HTTP_IF_MATCH=etag).status_code == 204


def test_only_admins_create_tokens_for_others(editor, reviewer, admin_user):
    assert_error(session_client(editor).post("/api/v1/tokens/", {"name": "x", "user": "rev"},
                                             format="json"), 403)
    response = session_client(admin_user).post("/api/v1/tokens/", {"name": "for rev", "user": "rev"},
                                               format="json")
    assert response.status_code == 201
    assert ApiToken.objects.get(pk=response.json()["id"]).user == reviewer


def test_users_cannot_see_or_revoke_others_tokens(editor, reviewer):
    other = api_token_create(actor=reviewer, name="theirs").token
    client = session_client(editor)
    assert client.get("/api/v1/tokens/").json()["results"] == []
    assert_error(client.get(f"/api/v1/tokens/{other.pk}/"), 404)
    assert_error(client.delete(f"/api/v1/tokens/{other.pk}/"), 404)
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None


def test_expired_and_malformed_tokens_are_401(editor):
    issued = api_token_create(actor=editor, name="short", expires_at=timezone.now() + dt.timedelta(days=1))
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_error(bearer(issued.raw).get("/api/v1/claims/"), 401)
    for raw in ["nonsense", "fct_x_y", "fct__", issued.raw + "x", "fct_" + "a" * 40 + "_b"]:
        assert_error(bearer(raw).get("/api/v1/claims/"), 401)


def test_read_token_cannot_write_or_mint_tokens(editor):
    client = token_client(editor, "read")
    assert_error(client.post("/api/v1/topics/", {"name": "New"}, format="json"), 403)
    assert_error(client.post("/api/v1/tokens/", {"name": "escalate", "scope": "write"}, format="json"), 403)


def test_read_token_of_staff_sees_private_claims_but_non_staff_does_not(editor, outsider, claim_in):
    draft = claim_in("draft")
    assert token_client(editor, "read").get(f"/api/v1/claims/{draft.pk}/").status_code == 200
    assert token_client(outsider, "read").get(f"/api/v1/claims/{draft.pk}/").status_code == 404


def test_token_use_is_recorded(editor):
    issued = api_token_create(actor=editor, name="bot")
    bearer(issued.raw).get("/api/v1/topics/")
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at is not None


def test_bad_token_requests_are_400(editor):
    client = session_client(editor)
    assert_error(client.post("/api/v1/tokens/", {"name": ""}, format="json"), 400)
    assert_error(client.post("/api/v1/tokens/", {"name": "x", "scope": "admin"}, format="json"), 400)
    assert_error(client.post("/api/v1/tokens/", {"name": "x", "expires_at": "2000-01-01T00:00:00Z"},
                             format="json"), 400)
    assert_error(client.post("/api/v1/tokens/", {"name": "x", "key_hash": "0" * 64}, format="json"), 400)
    assert ApiToken.objects.count() == 0


def test_create_api_token_command_prints_a_working_token(editor):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "ed", "--scope", "write", "--days", "30", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(key_hash=hash_secret(raw))
    assert token.scope == "write" and token.expires_at is not None
    assert bearer(raw).get("/api/v1/tokens/").status_code == 200


def test_token_list_and_detail_query_counts_do_not_grow(editor):
    """A page of 1 or 20 tokens costs the same queries (the user comes with each token)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(20):
        api_token_create(actor=editor, name=f"bot {n}")
    client = session_client(editor)
    client.get("/api/v1/tokens/")  # the session is loaded and cached on the first request
    counts = []
    for size in (1, 20):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/tokens/?page_size={size}")
        assert len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4, counts
    token_id = response.json()["results"][0]["id"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/api/v1/tokens/{token_id}/").status_code == 200
    assert len(queries) <= 3, [q["sql"] for q in queries]
