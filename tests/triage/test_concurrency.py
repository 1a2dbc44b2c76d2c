"""Deciding a candidate races: real threads, real transactions, one decision wins."""

import threading

import pytest
from django.db import connection

from claims.models import Claim
from factcheck.errors import DomainError
from tests import factories
from tests.triage.conftest import ARTICLE
from triage import services


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_six_editors_deciding_one_sentence_at_once_one_wins(triage_model, editor):
    source = factories.SourceFactory(content=ARTICLE)
    candidate = services.source_triage(source_id=source.pk)[0]
    barrier = threading.Barrier(6)
    results: list[str] = []
    lock = threading.Lock()

    def decide(accept: bool):
        try:
            barrier.wait()
            if accept:
                services.candidate_accept(candidate_id=candidate.pk, actor=editor)
            else:
                services.candidate_dismiss(candidate_id=candidate.pk, actor=editor, reason="Seen.")
            outcome = "ok"
        except DomainError as error:
            outcome = error.code
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=decide, args=(i % 2 == 0,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results.count("ok") == 1, results
    assert set(results) - {"ok"} == {"already_decided"}
    candidate.refresh_from_db()
    assert Claim.objects.count() == (1 if candidate.status == "accepted" else 0)
