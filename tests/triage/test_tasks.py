"""triage/tasks.py: the scheduled retraining runs through the real queue."""

from __future__ import annotations

from jobs.worker import run_until_idle
from tests.jobs.helpers import JOB_TESTS, empty_queue, schedule_of  # noqa: F401 - the fixture
from triage.models import TriageModel
from triage.tasks import retrain_triage


def test_the_retraining_is_scheduled_daily():
    assert schedule_of("retrain_triage") == "30 3 * * *"


@JOB_TESTS
def test_a_queued_retraining_stores_a_scored_model():
    before = TriageModel.objects.count()
    retrain_triage.defer(timestamp=0)
    run_until_idle(queues=["maintenance"])
    newest = TriageModel.objects.order_by("-pk").first()
    assert TriageModel.objects.count() == before + 1
    assert newest.note == "scheduled retraining" and newest.scores
