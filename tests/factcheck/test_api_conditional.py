"""ETags and If-Match (factcheck/api/conditional.py), including a real race."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection

from claims.models import Claim
from tests import factories
from tests.api_helpers import assert_error, session_client


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_patches_with_the_same_etag_exactly_one_wins(editor, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "10000/min", "token": "10000/min"}}
    claim = factories.ClaimFactory(author=editor)
    etag = f'"v{claim.version}"'
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    lock = threading.Lock()

    def patch(analysis: str):
        try:
            client = session_client(editor)
            barrier.wait()
            response = client.patch(f"/api/v1/claims/{claim.pk}/", {"analysis": analysis}, format="json",
                                    HTTP_IF_MATCH=etag)
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=patch, args=(f"writer {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 412]
    claim.refresh_from_db()
    assert claim.analysis in {"writer 0", "writer 1"}
    assert claim.version == int(etag.strip('"v')) + 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_resource_patches_with_the_same_etag_exactly_one_wins(editor, settings, monkeypatch):
    """People, sources, quotes and outlets compare If-Match under a row lock too: the update service
    takes the expectation (factcheck/concurrency.py) and compares it under its own lock. Here both
    writers pass the view's early check, then wait (briefly) for each other inside the service call:
    without the service's lock both would write."""
    from sources import services

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "10000/min", "token": "10000/min"}}
    person = factories.PersonFactory(title="Mayor")
    etag = session_client(editor).get(f"/api/v1/people/{person.pk}/")["ETag"]
    start, inside_update = threading.Barrier(2), threading.Barrier(2)
    real_update = services.person_update

    def update_after_the_other_writer_checked(**kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            inside_update.wait(timeout=0.5)  # both get here only if both passed If-Match
        return real_update(**kwargs)

    monkeypatch.setattr(services, "person_update", update_after_the_other_writer_checked)
    statuses: list[int] = []
    lock = threading.Lock()

    def patch(title: str):
        try:
            client = session_client(editor)
            start.wait()
            response = client.patch(f"/api/v1/people/{person.pk}/", {"title": title}, format="json",
                                    HTTP_IF_MATCH=etag)
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=patch, args=(f"Writer {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 412]
    person.refresh_from_db()
    assert person.title in {"Writer 0", "Writer 1"}


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_throttles")
class TestPreconditions:
    def test_missing_if_match_on_every_write_is_428(self, admin_user, claim_in):
        claim = claim_in("draft")
        client = session_client(admin_user)
        for method in ("put", "patch", "delete"):
            assert_error(getattr(client, method)(f"/api/v1/claims/{claim.pk}/", {"text": "x y z"},
                                                 format="json"), 428, "precondition_required")
        assert Claim.objects.filter(pk=claim.pk).exists()

    def test_garbage_if_match_is_412(self, editor, claim_in):
        claim = claim_in("draft")
        assert_error(session_client(editor).patch(f"/api/v1/claims/{claim.pk}/", {"analysis": "x"},
                                                  format="json", HTTP_IF_MATCH='"not-a-version"'), 412)

    def test_weak_and_listed_etags_are_understood(self, editor, claim_in):
        claim = claim_in("draft")
        client = session_client(editor)
        response = client.patch(f"/api/v1/claims/{claim.pk}/", {"analysis": "x"}, format="json",
                                HTTP_IF_MATCH=f'"v0", W/"v{claim.version}"')
        assert response.status_code == 200

    def test_resource_etags_change_with_the_object(self, editor):
        person = factories.PersonFactory()
        client = session_client(editor)
        etag = client.get(f"/api/v1/people/{person.pk}/")["ETag"]
        assert client.get(f"/api/v1/people/{person.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 304
        response = client.patch(f"/api/v1/people/{person.pk}/", {"title": "Mayor"}, format="json",
                                HTTP_IF_MATCH=etag)
        assert response.status_code == 200 and response["ETag"] != etag
        assert_error(client.patch(f"/api/v1/people/{person.pk}/", {"title": "Ex-mayor"}, format="json",
                                  HTTP_IF_MATCH=etag), 412)
        assert client.get(f"/api/v1/people/{person.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 200
