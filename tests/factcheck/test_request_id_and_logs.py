"""Every response carries X-Request-ID and every log line written during the request carries the
same id, as one JSON object per line (factcheck/log.py, factcheck/middleware.py, settings.LOGGING)."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


@pytest.fixture
def json_log():
    """The console handler of settings.LOGGING, writing into a buffer: what production prints."""
    config = settings.LOGGING
    handler_config = config["handlers"]["console"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    formatter_config = dict(config["formatters"][handler_config["formatter"]])
    factory = formatter_config.pop("()")
    from django.utils.module_loading import import_string
    handler.setFormatter(import_string(factory)(**formatter_config))
    filter_class = import_string(config["filters"]["request_id"]["()"])
    handler.addFilter(filter_class())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_each_response_gets_a_new_request_id():
    first, second = Client().get("/api/v1/topics/"), Client().get("/")
    assert len(first["X-Request-ID"]) == 32 and len(second["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_sane_incoming_request_id_is_kept_and_an_odd_one_replaced():
    kept = Client().get("/api/v1/topics/", HTTP_X_REQUEST_ID="lb-4f1c2a9e-0001")
    assert kept["X-Request-ID"] == "lb-4f1c2a9e-0001"
    for odd in ("short", "x" * 200, "has spaces in it", "quote\"injection'1234"):
        replaced = Client().get("/api/v1/topics/", HTTP_X_REQUEST_ID=odd)
        assert replaced["X-Request-ID"] != odd and len(replaced["X-Request-ID"]) == 32


def test_error_responses_carry_the_request_id_too():
    response = Client(HTTP_HOST="evil.example").get("/api/v1/claims/")
    assert response.status_code == 400 and len(response["X-Request-ID"]) == 32


def test_log_lines_are_json_with_the_request_id_of_the_response(json_log):
    response = Client().get("/api/v1/claims/999999/")
    assert response.status_code == 404
    lines = [entry for entry in json_log() if entry["logger"] == "django.request"]
    assert lines, json_log()
    assert lines[-1]["level"] == "WARNING"
    assert lines[-1]["message"] == "Not Found: /api/v1/claims/999999/"
    assert lines[-1]["request_id"] == response["X-Request-ID"]
    assert {"time", "level", "logger", "message", "request_id"} <= set(lines[-1])


def test_log_lines_outside_a_request_have_a_dash(json_log):
    logging.getLogger("factcheck.test").warning("outside")
    assert [(e["message"], e["request_id"]) for e in json_log()] == [("outside", "-")]
