"""Races, with real threads and real transactions."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from claims import services
from claims.models import Claim, ReviewEvent
from factcheck.errors import DomainError


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_threads_publishing_the_same_claim_one_wins(claim_in, reviewer):
    claim = claim_in("in_review")
    barrier = threading.Barrier(10)
    results: list[str] = []
    lock = threading.Lock()

    def publish():
        try:
            barrier.wait()
            services.claim_publish(claim_id=claim.pk, actor=reviewer)
            outcome = "ok"
        except DomainError as exc:
            outcome = exc.code
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=publish) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert results.count("ok") == 1
    assert sorted(set(results) - {"ok"}) == ["illegal_transition"]
    assert Claim.objects.get(pk=claim.pk).status == "published"
    assert ReviewEvent.objects.filter(claim=claim, to_status="published").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_editors_with_the_same_evidence_version_one_wins(claim_in, editor):
    claim = claim_in("draft")
    evidence = claim.evidence.order_by("pk").first()
    loaded = services.evidence_version(evidence)
    barrier = threading.Barrier(2)
    results: list[str] = []
    lock = threading.Lock()

    def update(note: str):
        try:
            barrier.wait()
            services.evidence_update(evidence_id=evidence.pk, actor=editor,
                                     expected_version=loaded, note=note)
            outcome = "ok"
        except DomainError as exc:
            outcome = exc.code
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=update, args=(note,)) for note in ("One.", "Two.")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(results) == ["ok", "precondition_failed"]
    evidence.refresh_from_db()
    assert evidence.note in {"One.", "Two."}
