"""/healthz (the process answers) and /readyz (the database and the cache answer; the job queue
adds its own check) for load balancers (factcheck/health.py)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def failing_check():
    raise ConnectionError("queue unreachable")


def test_healthz_answers_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_checks_the_database_the_cache_and_the_job_queue():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready",
                               "checks": {"database": "ok", "cache": "ok", "queue": "ok"}}


def test_readyz_names_a_failing_check_and_answers_503(settings):
    settings.FACTCHECK_READINESS_CHECKS = [*settings.FACTCHECK_READINESS_CHECKS,
                                           "tests.factcheck.test_health.failing_check"]
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"status": "unavailable", "checks": {
        "database": "ok", "cache": "ok", "queue": "ok", "failing_check": "failed: ConnectionError"}}


def test_probes_by_ip_address_and_plain_http_are_answered(settings):
    """Load balancers probe by address, over HTTP: no Host check, no HTTPS redirect."""
    settings.ALLOWED_HOSTS = ["factcheck.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    client = Client(HTTP_HOST="10.1.2.3:8000")
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz/").status_code == 200
    assert client.get("/").status_code == 400  # everything else still checks the Host


def test_only_get_and_head_are_probes():
    assert Client().head("/healthz").status_code == 200
    assert Client().post("/healthz").status_code == 404
