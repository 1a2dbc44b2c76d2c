"""Failed token authentications are counted per address and answered 429 with Retry-After once
there are too many (factcheck/api/auth_throttle.py).

Found by the attack run: 1,000 random tokens got 1,000 × 401 in 2.3 s, never a 429."""

from __future__ import annotations

import secrets

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.services import api_token_create
from tests.api_helpers import GENEROUS_RATES, assert_error

pytestmark = pytest.mark.django_db

RATE = {**GENEROUS_RATES, "auth_failure": "5/min"}


@pytest.fixture(autouse=True)
def auth_failure_limit(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": RATE}
    yield
    cache.clear()


def bearer(token: str, address: str = "203.0.113.7") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_random_tokens_get_429_with_retry_after_after_the_limit():
    statuses = [bearer(secrets.token_urlsafe(32)).get("/api/v1/topics/").status_code for _ in range(20)]
    assert statuses == [401] * 5 + [429] * 15
    response = bearer(secrets.token_urlsafe(32)).get("/api/v1/topics/")
    error = assert_error(response, 429, "throttled")
    assert error["message"].startswith("Too many failed authentications from your address. Expected ")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert error["fields"] == {"retry_after": int(response["Retry-After"])}


def test_a_blocked_address_is_blocked_for_good_tokens_too_and_others_are_not(editor):
    good = api_token_create(actor=editor, name="good", scope="read").raw
    for _ in range(5):
        bearer("wrong").get("/api/v1/topics/")
    assert_error(bearer(good).get("/api/v1/topics/"), 429, "throttled")  # guessing gains nothing
    assert bearer(good, address="198.51.100.1").get("/api/v1/topics/").status_code == 200
    assert_error(bearer("wrong", address="198.51.100.1").get("/api/v1/topics/"), 401,
                 "authentication_failed")


def test_good_tokens_and_anonymous_calls_are_not_counted(editor):
    good = api_token_create(actor=editor, name="good", scope="read").raw
    for _ in range(10):
        assert bearer(good).get("/api/v1/topics/").status_code == 200
        assert APIClient(REMOTE_ADDR="203.0.113.7").get("/api/v1/topics/").status_code == 200
    assert_error(bearer("wrong").get("/api/v1/topics/"), 401, "authentication_failed")


def test_malformed_authorization_headers_count_as_failures():
    client = APIClient(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        assert_error(client.get("/api/v1/topics/", HTTP_AUTHORIZATION="Bearer a b"), 401)
    assert_error(client.get("/api/v1/topics/", HTTP_AUTHORIZATION="Bearer a b"), 429, "throttled")


def test_the_limit_can_be_switched_off(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": GENEROUS_RATES}
    statuses = {bearer("wrong").get("/api/v1/topics/").status_code for _ in range(10)}
    assert statuses == {401}


def test_the_default_limit_is_twenty_a_minute():
    from factcheck.settings import REST_FRAMEWORK

    assert REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth_failure"] == "20/min"
