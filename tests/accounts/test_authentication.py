"""Session and bearer authentication (accounts/authentication.py, factcheck/api/permissions.py)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from claims.models import Topic
from tests.api_helpers import assert_error, token_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def test_session_writes_need_the_csrf_token(editor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    assert_error(client.post("/api/v1/topics/", {"name": "Housing"}, format="json"), 403)
    assert not Topic.objects.filter(name="Housing").exists()
    assert client.get("/api/v1/topics/").status_code == 200  # reads need no token


def test_bearer_writes_need_no_csrf_token(editor):
    client = token_client(editor, "write")
    client.handler.enforce_csrf_checks = True
    assert client.post("/api/v1/topics/", {"name": "Housing"}, format="json").status_code == 201


def test_malformed_authorization_headers_are_401():
    for header in ["Bearer", "Bearer a b", "Bearer \u00e9t\u00e9"]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/v1/claims/")
        assert_error(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_holder_without_the_role_is_403(outsider):
    assert_error(token_client(outsider, "write").post("/api/v1/topics/", {"name": "X"}, format="json"),
                 403, "permission_denied")


def test_a_wrong_authorization_scheme_is_401_naming_bearer():
    for header in ["Token abc", "Basic ZWRpdG9yOnNlY3JldA==", "token"]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/v1/claims/")
        error = assert_error(response, 401, "not_authenticated")
        assert error["message"].startswith("Use Authorization: Bearer <token>"), error
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
