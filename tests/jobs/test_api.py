"""``GET /api/v1/jobs/{id}/`` (jobs/api.py): the creator and staff see a job; others get a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jobs.models import Job
from tests import factories
from tests.api_helpers import assert_error, fresh_throttles, session_client, token_client  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


@pytest.fixture
def finished_job(outsider):
    started = timezone.now() - dt.timedelta(seconds=3)
    return Job.objects.create(
        kind="article_import", status=Job.Status.SUCCEEDED, created_by=outsider, attempts=2,
        arguments={"content": "secret draft text"}, result={"summary": ["Created source 1"]},
        started_at=started, finished_at=started + dt.timedelta(seconds=1),
    )


def test_staff_see_a_job_with_its_result_and_never_its_arguments(editor, finished_job,
                                                                  django_assert_num_queries):
    client = token_client(editor)
    with django_assert_num_queries(3):  # token, its last use, the job
        response = client.get(f"/api/v1/jobs/{finished_job.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "id": finished_job.pk, "kind": "article_import", "status": "succeeded",
        "created_at": finished_job.created_at.isoformat(),
        "started_at": finished_job.started_at.isoformat(),
        "finished_at": finished_job.finished_at.isoformat(), "attempts": 2,
        "result": {"summary": ["Created source 1"]}, "error": None,
    }


def test_the_creator_sees_their_job_without_staff_status(outsider, finished_job):
    assert session_client(outsider).get(f"/api/v1/jobs/{finished_job.pk}/").status_code == 200


def test_others_get_a_404_like_a_missing_job(finished_job):
    stranger = factories.UserFactory(username="stranger", is_staff=False)
    assert_error(session_client(stranger).get(f"/api/v1/jobs/{finished_job.pk}/"), 404, "not_found")
    assert_error(session_client(None).get(f"/api/v1/jobs/{finished_job.pk}/"), 404, "not_found")
    assert_error(session_client(stranger).get(f"/api/v1/jobs/{finished_job.pk + 1000}/"), 404, "not_found")
