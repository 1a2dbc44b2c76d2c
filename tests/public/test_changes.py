"""public/changes.py and the express pages of public/middleware.py: committed changes to what the
public pages show are notified, a process answers a page it already answered without a query, and
a change sends the next request back through the fingerprint."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection, connections

from claims.models import Claim
from public import changes
from public.middleware import EXPRESS_PAGES

# Tables whose writes need not notify (public/migrations/0001): audit trails written with the
# tables they track, the search lexicon and configurations written with the claims.
NOT_NOTIFYING_SUFFIXES = ("event",)
NOT_NOTIFYING = {"claims_search_word", "claims_search_config"}
PER_RESPONSE = {"X-Request-ID", "Date"}


def tables_of_public_apps() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                       "AND (tablename LIKE 'claims\\_%%' OR tablename LIKE 'sources\\_%%')")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_every_table_the_public_pages_show_notifies_its_changes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'fc_pages_changed'")
        notifying = {row[0] for row in cursor.fetchall()}
    expected = {table for table in tables_of_public_apps()
                if table not in NOT_NOTIFYING
                and (table == "claims_reviewevent" or not table.endswith(NOT_NOTIFYING_SUFFIXES))}
    assert "claims_claim" in expected and "sources_quote" in expected
    assert expected - notifying == set(), "add the new tables to public/migrations (fc_pages_changed)"


def notifications_after(write) -> int:
    """How many notifications a listener on its own connection receives for ``write``."""
    params = connections["default"].get_connection_params()
    with psycopg.connect(**params, autocommit=True) as listener:
        listener.execute(f"LISTEN {changes.CHANNEL}")
        write()
        return sum(1 for _ in listener.notifies(timeout=2))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_change_notifies_once_per_transaction(claim_in):
    claim = claim_in("published", text="Ferries carry more cars than ever.")
    assert notifications_after(lambda: Claim.objects.filter(pk=claim.pk).update(text="Ferries sank.")) == 1
    assert notifications_after(lambda: Claim.objects.filter(pk=-1).update(text="nothing")) == 1
    assert notifications_after(lambda: list(Claim.objects.all())) == 0  # reads notify nothing


@pytest.fixture
def express(settings):
    settings.FACTCHECK_PAGE_EXPRESS = True
    EXPRESS_PAGES.clear()
    yield
    EXPRESS_PAGES.clear()
    changes.LISTENER.stop()  # its connection would keep the test database from being dropped


def generation_after(before: int | None, seconds: float = 5) -> int | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = changes.generation()
        if now is not None and now != before:
            return now
        time.sleep(0.02)
    raise AssertionError("the listener did not hear the change")


def wait_listening(seconds: float = 5) -> int:
    deadline = time.monotonic() + seconds
    while (generation := changes.generation()) is None:
        assert time.monotonic() < deadline, "the listener did not connect"
        time.sleep(0.02)
    return generation


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_answered_once_is_answered_again_without_a_query_until_a_change(
        client, claim_in, express, django_assert_num_queries):
    claim = claim_in("published", text="Bridges rust faster in fresh water.")
    page = claim.get_absolute_url()
    wait_listening()
    client.get(page)  # rendered by the view and stored in the shared page cache
    first = client.get(page)  # answered early (the fingerprint), and kept in the process
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(page)
    assert again.content == first.content
    assert {k: v for k, v in again.headers.items() if k not in PER_RESPONSE} == \
        {k: v for k, v in first.headers.items() if k not in PER_RESPONSE}

    before = changes.generation()
    Claim.objects.filter(pk=claim.pk).update(text="Bridges rust slower in fresh water.")
    generation_after(before)
    changed = client.get(page)
    assert b"Bridges rust slower" in changed.content and changed["ETag"] != first["ETag"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_conditional_or_different_request_is_not_answered_from_another_requests_copy(
        client, claim_in, express, django_assert_num_queries):
    page = claim_in("published", text="Tunnels flood every spring.").get_absolute_url()
    wait_listening()
    first = client.get(page)
    assert client.get(page, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    spanish = client.get(page, HTTP_ACCEPT_LANGUAGE="es")
    assert spanish["Content-Language"] == "es" and first["Content-Language"] == "en"


@pytest.mark.django_db
def test_without_the_listener_every_request_checks_the_fingerprint(
        client, claim_in, settings, django_assert_num_queries):
    page = claim_in("published", text="Canals freeze in May.").get_absolute_url()
    client.get(page)
    for setting, value in [("FACTCHECK_PAGE_EXPRESS", False), ("DATABASE_PGBOUNCER", True)]:
        settings.FACTCHECK_PAGE_EXPRESS = True
        setattr(settings, setting, value)
        assert changes.generation() is None
        with django_assert_num_queries(1):  # the fingerprint
            assert client.get(page).status_code == 200
        settings.DATABASE_PGBOUNCER = False
