"""One error shape for every error under /api/ (factcheck/api/exceptions.py, errors_views.py,
parsers.py, throttling.py): hostile and broken input gets a 4xx and changes nothing."""

from __future__ import annotations

import base64

import orjson
import pytest
from django.core.cache import cache
from django.test import RequestFactory

from claims.models import Claim
from claims.services import PublishGateError
from factcheck.api.errors_views import dispatch_404, dispatch_500
from factcheck.api.exceptions import api_exception_handler
from tests.api_helpers import assert_error, session_client, token_client

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def ed(editor, fresh_throttles):
    return session_client(editor)


def claim_rows():
    return list(Claim.objects.order_by("pk").values())


def test_oversized_body_is_413_and_nothing_is_created(ed, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = ed.post("/api/v1/claims/", {"text": "x" * 5000}, format="json")
    assert_error(response, 413, "request_too_large")
    assert Claim.objects.count() == 0


def test_nul_bytes_are_400(ed):
    assert_error(ed.post("/api/v1/claims/", {"text": "bad\x00text"}, format="json"), 400)
    assert_error(session_client(None).get("/api/v1/claims/?language=e%00n"), 400)
    assert Claim.objects.count() == 0


def test_malformed_json_is_400(ed):
    response = ed.post("/api/v1/claims/", b'{"text": ', content_type="application/json")
    assert_error(response, 400, "malformed_request")


def test_non_object_json_is_400(ed):
    assert_error(ed.post("/api/v1/claims/", b"[1, 2]", content_type="application/json"), 400)


def test_form_bodies_are_415(ed):
    assert_error(ed.post("/api/v1/claims/", {"text": "x y"}), 415, "unsupported_media_type")


def test_unknown_method_is_405(ed):
    assert_error(ed.delete("/api/v1/topics/"), 405, "method_not_allowed")


@pytest.mark.parametrize("path", [
    "/api/v1/nowhere/", "/api/v1/claims/abc/", "/api/v1/claims/99999999999999999999999/", "/api/nothing",
    "/api/v1/claims/%00/",
])
def test_unknown_api_urls_are_json_404(path, fresh_throttles):
    response = session_client(None).get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("cursor", [
    "garbage", "%%%", base64.urlsafe_b64encode(b"[1,2,3]").decode(),
    base64.urlsafe_b64encode(orjson.dumps(["-published_at", "n", "not a date", 1])).decode(),
    base64.urlsafe_b64encode(orjson.dumps(["-published_at", "n", None, "1; drop table"])).decode(),
    base64.urlsafe_b64encode(orjson.dumps(["-published_at", "x", None, 1])).decode(),
    base64.urlsafe_b64encode(orjson.dumps({"a": 1})).decode(),
    "A" * 2000,
])
def test_forged_cursors_are_400(cursor, fresh_throttles):
    assert_error(session_client(None).get(f"/api/v1/claims/?cursor={cursor}"), 400, "invalid_cursor")


@pytest.mark.parametrize("query", ["page_size=0", "page_size=-5", "page_size=1e9", "page_size=%00"])
def test_bad_page_sizes_are_400(query, fresh_throttles):
    assert_error(session_client(None).get(f"/api/v1/claims/?{query}"), 400)


@pytest.mark.parametrize("size", ["101", "100000000", "9" * 40])
def test_huge_page_size_is_capped(size, fresh_throttles):
    assert session_client(None).get(f"/api/v1/claims/?page_size={size}").status_code == 200


@pytest.mark.parametrize("query", ["claim_date_after=2025-02-30", "published_before=not-a-date",
                                   "updated_after=99999-01-01", "claim_date_before=%00"])
def test_bad_dates_are_400_naming_the_parameter(query, fresh_throttles):
    error = assert_error(session_client(None).get(f"/api/v1/claims/?{query}"), 400)
    assert query.split("=")[0] in error["fields"]


def test_bad_write_values_change_nothing(ed, claim_in):
    claim = claim_in("draft")
    before = claim_rows()
    for body in ({"claim_date": "2025-13-01"}, {"claimant": 10**12}, {"topics": "economy"},
                 {"text": ""}, {"language": "x" * 50}, {"text": None}):
        assert_error(ed.patch(f"/api/v1/claims/{claim.pk}/", body, format="json",
                              HTTP_IF_MATCH=f'"v{claim.version}"'), 400)
    assert claim_rows() == before


def test_throttled_clients_get_429_with_retry_after(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "token": "5/min"}}
    client = session_client(None)
    assert client.get("/api/v1/topics/").status_code == 200
    assert client.get("/api/v1/topics/").status_code == 200
    response = client.get("/api/v1/topics/")
    error = assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) >= 1
    assert error["fields"]["retry_after"] >= 1
    cache.clear()


def test_token_clients_are_throttled_per_user_with_retry_after(settings, editor):
    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "100/min", "token": "3/min"}}
    client = token_client(editor, "read")
    for _ in range(3):
        assert client.get("/api/v1/topics/").status_code == 200
    response = client.get("/api/v1/topics/")
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) >= 1
    # The limit is the user's, not the token's: another token of the same user is throttled too.
    assert_error(token_client(editor, "read").get("/api/v1/topics/"), 429, "throttled")
    assert session_client(None).get("/api/v1/topics/").status_code == 200  # anonymous: its own limit
    cache.clear()


def test_domain_errors_keep_their_code_status_and_fields():
    response = api_exception_handler(PublishGateError([{"code": "rating", "message": "choose a rating"}]), {})
    assert response.status_code == 409
    assert response.data["error"]["code"] == "publish_gate"
    assert response.data["error"]["fields"]["missing"] == [{"code": "rating", "message": "choose a rating"}]


def test_unexpected_exceptions_are_a_json_500_without_traceback():
    response = api_exception_handler(RuntimeError("secret internals"), {"view": None})
    assert response.status_code == 500
    assert response.data == {"error": {"code": "server_error", "message": "Internal server error.",
                                       "fields": {}}}


def test_error_handlers_dispatch_on_path():
    factory = RequestFactory()
    api_500 = dispatch_500(factory.get("/api/v1/claims/"))
    assert api_500.status_code == 500
    assert orjson.loads(api_500.content)["error"]["code"] == "server_error"
    api_404 = dispatch_404(factory.get("/api/v1/x/"), None)
    assert orjson.loads(api_404.content)["error"]["code"] == "not_found"
    assert not dispatch_404(factory.get("/somewhere/"), None)["Content-Type"].startswith("application/json")


def html_page(request, exception=None):
    from django.http import HttpResponse

    return HttpResponse(f"html {request.path}", status=404 if exception is not None else 500)


def test_html_error_pages_outside_the_api_come_from_settings(settings):
    factory = RequestFactory()
    settings.HTML_ERROR_HANDLERS = {"404": f"{__name__}.html_page", "500": f"{__name__}.html_page"}
    assert dispatch_404(factory.get("/somewhere/"), Exception()).content == b"html /somewhere/"
    assert dispatch_500(factory.get("/elsewhere/")).content == b"html /elsewhere/"
    # Under /api/ the JSON shape wins whatever the settings say.
    assert orjson.loads(dispatch_404(factory.get("/api/v1/x/"), None).content)["error"]["code"] == "not_found"
    settings.HTML_ERROR_HANDLERS = {}
    assert dispatch_404(factory.get("/somewhere/"), Exception()).status_code == 404  # Django's page
