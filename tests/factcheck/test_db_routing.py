"""Read replicas (factcheck/db_routers.py): anonymous safe reads go to a replica; the admin, writes,
logged-in users and a client that just wrote read the primary; a replica that is down is skipped.

Here ``replica_0`` is a second connection to the test database (what a replica with no lag would
show), so each test sees which connection ran a page's queries; settings are checked in a fresh
process."""

from __future__ import annotations

import json

import pytest
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.utils import CaptureQueriesContext

from claims.models import Rating
from factcheck import db_routers
from tests.conftest import bring_to, make_ready_claim
from tests.factcheck.test_pool_settings import in_a_process

# Committed rows (a second connection must see them); the migrations' rows are put back after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def replica(settings, transactional_db, monkeypatch, django_db_blocker):
    """``replica_0``: another connection to the test database (``port`` to point it elsewhere)."""

    def add(**overrides):
        primary = connections["default"].settings_dict
        connections.settings["replica_0"] = {**primary, "TEST": {"MIRROR": "default"}, **overrides}
        connections["replica_0"].close()
        del connections["replica_0"]
        return "replica_0"

    # Django's test case only connects the aliases it was set up with; replica_0 comes later.
    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", django_db_blocker._real_ensure_connection)
    settings.DATABASE_ROUTERS = ["factcheck.db_routers.ReplicaRouter"]
    settings.FACTCHECK_PAGE_CACHE_SECONDS = 0  # every request reads
    db_routers._down_until.clear()
    add()
    yield add
    connections["replica_0"].close()
    del connections.settings["replica_0"]
    del connections["replica_0"]
    db_routers._down_until.clear()


def queries_per_database(client, method: str, path: str, **extra):
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica_0"]) as replica:
        response = getattr(client, method)(path, **extra)
    return response, len(primary), len(replica)


def test_replica_urls_add_replica_databases_and_the_router(tmp_path):
    code = ("import json, django; django.setup(); from django.conf import settings; "
            "print(json.dumps({alias: [db['HOST'], db['PORT'], db['TEST']['MIRROR'], "
            "db['OPTIONS']['connect_timeout']] "
            "for alias, db in settings.DATABASES.items() if alias != 'default'} | "
            "{'routers': settings.DATABASE_ROUTERS}))")
    found = json.loads(in_a_process(tmp_path, code, DATABASE_REPLICA_URLS=(
        "postgres://ro@replica-a.internal:5433/factcheck, postgres://ro@replica-b.internal/factcheck")))
    assert found == {
        "replica_0": ["replica-a.internal", 5433, "default", 1],
        "replica_1": ["replica-b.internal", "", "default", 1],
        "routers": ["factcheck.db_routers.ReplicaRouter"],
    }
    assert json.loads(in_a_process(tmp_path, code)) == {"routers": []}


def test_an_anonymous_page_reads_from_the_replica_after_a_write_on_the_primary(client, replica):
    rating = Rating.objects.get(slug="false")
    with CaptureQueriesContext(connections["default"]) as writes:
        rating.label = "Renamed on the primary"
        rating.save()
    assert len(writes) >= 1
    response, on_primary, on_replica = queries_per_database(client, "get", "/ratings/")
    assert response.status_code == 200
    assert "Renamed on the primary" in response.content.decode()
    assert on_replica >= 2 and on_primary == 0  # the fingerprint and the page, all on the replica


def test_the_public_api_reads_from_the_replica(client, replica):
    response, on_primary, on_replica = queries_per_database(client, "get", "/api/v1/topics/")
    assert response.status_code == 200
    assert on_replica >= 1


def test_an_anonymous_api_search_reads_only_from_the_replica(client, replica, editor, reviewer):
    bring_to(make_ready_claim(editor, text="The mayor's bridge cost twice its budget."), "published",
             author=editor, reviewer=reviewer)
    # The search's word lookup and the claim documents are hand-written SQL: they go where the
    # request's reads go, like its ORM queries.
    response, on_primary, on_replica = queries_per_database(client, "get", "/api/v1/claims/?q=bridge")
    assert response.status_code == 200
    assert [claim["text"] for claim in response.json()["results"]] == [
        "The mayor's bridge cost twice its budget."]
    assert on_primary == 0 and on_replica >= 3


def test_the_admin_and_logged_in_users_read_the_primary(client, replica, admin_user):
    client.force_login(admin_user)
    for path in ("/ratings/", "/admin/"):
        response, on_primary, on_replica = queries_per_database(client, "get", path)
        assert response.status_code == 200, path
        assert on_replica == 0 and on_primary >= 1, path


def test_a_token_request_reads_the_primary(client, replica):
    response, on_primary, on_replica = queries_per_database(
        client, "get", "/api/v1/topics/", HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert response.status_code == 401
    assert on_replica == 0


def test_a_client_that_wrote_is_pinned_to_the_primary_for_a_while(client, replica, settings):
    settings.DATABASE_REPLICA_PIN_SECONDS = 10
    response, on_primary, on_replica = queries_per_database(client, "post", "/api/v1/topics/", data={})
    assert response.status_code == 401
    assert on_replica == 0
    pin = response.cookies[db_routers.PIN_COOKIE]
    assert pin.value == "1" and pin["max-age"] == 10 and pin["httponly"]
    response, on_primary, on_replica = queries_per_database(client, "get", "/ratings/")  # cookie sent
    assert response.status_code == 200 and on_replica == 0 and on_primary >= 2
    client.cookies.pop(db_routers.PIN_COOKIE)  # the pin expired
    response, on_primary, on_replica = queries_per_database(client, "get", "/ratings/")
    assert on_replica >= 2 and on_primary == 0


def test_a_replica_that_is_down_sends_reads_to_the_primary_and_is_not_retried_at_once(client, replica):
    replica(HOST="127.0.0.1", PORT=1, OPTIONS={"connect_timeout": 1})  # nothing listens: refused

    def primary_queries():
        with CaptureQueriesContext(connections["default"]) as primary:
            assert client.get("/ratings/").status_code == 200
        return len(primary)

    assert primary_queries() >= 2
    assert connections["replica_0"].connection is None
    marked = db_routers._down_until["replica_0"]
    assert primary_queries() >= 2
    assert db_routers._down_until["replica_0"] == marked  # not tried again within the retry time
    db_routers._down_until["replica_0"] = 0  # the retry time is over: tried again, still down
    assert primary_queries() >= 2
    assert db_routers._down_until["replica_0"] > marked


def test_a_prepared_read_is_captured_with_its_sql(django_db_blocker):
    # psycopg leaves a prepared statement's text unset; Django's debug cursor must still show it.
    with CaptureQueriesContext(connections["default"]) as captured:
        for _ in range(2):  # prepared on the first run, executed by name on the second
            with db_routers.read_cursor(Rating, prepared=True) as cursor:
                cursor.execute("SELECT count(*) FROM claims_rating WHERE slug = %s", ["it's"])
                assert cursor.fetchone() == (0,)
    assert [query["sql"] for query in captured.captured_queries] == [
        "SELECT count(*) FROM claims_rating WHERE slug = 'it''s'"] * 2
