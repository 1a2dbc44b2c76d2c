"""Helpers shared by the API tests: clients for each kind of caller and small assertions."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.services import api_token_create

GENEROUS_RATES = {"anon": "100000/min", "token": "100000/min"}


@pytest.fixture(autouse=False)
def fresh_throttles(settings):
    """Empty throttle history and rates no test reaches (a throttling test sets its own)."""
    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": GENEROUS_RATES}
    yield
    cache.clear()


def session_client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def token_client(user, scope: str = "read") -> APIClient:
    issued = api_token_create(actor=user, name=f"{scope} token", scope=scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    return client


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The response is ``status`` in the one error shape; returns the ``error`` object."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]
