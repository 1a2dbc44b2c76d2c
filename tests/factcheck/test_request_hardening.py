"""Requests the attack run sent that the app got wrong: each one now answers a clear 4xx in the
one error shape under /api/ (factcheck/api/parsers.py, factcheck/middleware.py,
factcheck/api/errors_views.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from claims.models import Claim
from factcheck.api.parsers import json_depth
from tests.api_helpers import assert_error, session_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def nested(depth: int):
    value: dict = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


def nested_text(depth: int) -> bytes:
    """``{"text": {"a": {"a": ...}}}`` with ``depth`` levels in all (orjson refuses to write it)."""
    return b'{"text": ' + b'{"a": ' * (depth - 2) + b"{}" + b"}" * (depth - 2) + b"}"


def test_deeply_nested_json_inside_a_field_is_a_400_and_changes_nothing(editor, claim_in):
    """Found: {"text": {"a": {"a": ...}}} 1,000 deep was a 500 (RecursionError)."""
    claim = claim_in("draft")
    before = Claim.objects.get(pk=claim.pk).text
    response = session_client(editor).patch(
        f"/api/v1/claims/{claim.pk}/", nested_text(1000),
        content_type="application/json", HTTP_IF_MATCH=f'"v{claim.version}"')
    error = assert_error(response, 400, "malformed_request")
    assert error["message"] == "Malformed JSON: nested deeper than 64 levels."
    assert Claim.objects.get(pk=claim.pk).text == before


def test_json_nested_to_the_limit_is_parsed_and_validated_normally(editor):
    response = session_client(editor).post(
        "/api/v1/claims/", nested_text(64), content_type="application/json")
    error = assert_error(response, 400, "invalid")  # the serializer's answer, not the parser's
    assert "text" in error["fields"]


def test_json_depth_counts_without_recursion():
    assert json_depth("text", stop_after=64) == 0
    assert json_depth([], stop_after=64) == 1
    assert json_depth({"a": [1, {"b": []}]}, stop_after=64) == 4
    assert json_depth(nested(100_000), stop_after=64) == 65  # stops early, no RecursionError


def test_chunked_patch_is_refused_with_411_and_changes_nothing(editor, claim_in):
    """Found: a PATCH with Transfer-Encoding: chunked answered 200 and changed nothing."""
    claim = claim_in("draft")
    response = session_client(editor).patch(
        f"/api/v1/claims/{claim.pk}/", {"analysis": "Sent in chunks."}, format="json",
        HTTP_IF_MATCH=f'"v{claim.version}"', HTTP_TRANSFER_ENCODING="chunked")
    error = assert_error(response, 411, "length_required")
    assert error["message"] == ("Chunked request bodies are not accepted: send the body with a "
                                "Content-Length header.")
    assert Claim.objects.get(pk=claim.pk).analysis == ""


def test_chunked_form_post_outside_the_api_is_refused_too(client):
    response = client.post("/admin/login/", {"username": "x"}, HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_a_disallowed_host_under_api_is_a_json_400():
    response = Client(HTTP_HOST="evil.example").get("/api/v1/claims/")
    error = assert_error(response, 400, "bad_request")
    assert error["message"] == "The request was rejected."


def test_a_disallowed_host_elsewhere_is_django_s_html_400():
    response = Client(HTTP_HOST="evil.example").get("/")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_an_oversize_header_under_api_is_a_json_431():
    response = Client().get("/api/v1/claims/", HTTP_X_PADDING="x" * 9000)
    error = assert_error(response, 431, "request_header_too_large")
    assert error["message"] == "The X-Padding header is too large (at most 8192 bytes)."


def test_a_header_at_the_limit_is_accepted():
    response = Client().get("/api/v1/claims/", HTTP_X_PADDING="x" * (8192 - len("X_PADDING")))
    assert response.status_code == 200


def test_an_oversize_body_under_api_is_a_json_413(settings, editor):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = session_client(editor).post("/api/v1/claims/", {"text": "x" * 200}, format="json")
    assert_error(response, 413, "request_too_large")
