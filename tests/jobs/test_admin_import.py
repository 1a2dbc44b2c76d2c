"""The sources admin's "Import article" page, its job status page and "Fetch again"
(sources/admin_jobs.py), with the jobs run by a real worker."""

from __future__ import annotations

import pytest
from django.test import Client

from claims import demo
from jobs.models import Job
from sources.models import Quote, Source
from tests import factories
from tests.jobs.helpers import JOB_TESTS, empty_queue, queue_statuses, run_jobs  # noqa: F401
from tests.sources.test_admin import messages_of

IMPORT = "/admin/sources/source/import/"
TEXT = demo.ARTICLE_FILE.read_text(encoding="utf-8")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@JOB_TESTS
def test_pasted_article_is_imported_and_leads_to_its_candidate_quotes(editor):
    client = logged_in(editor)
    assert 'href="/admin/sources/source/import/"' in client.get("/admin/sources/source/").content.decode()
    assert client.get(IMPORT).status_code == 200

    response = client.post(IMPORT, {"url": demo.ARTICLE_URL, "content": TEXT, "format": "text",
                                    "title": "Sovereignty"})

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/sources/source/import/jobs/{job.pk}/"
    waiting = client.get(response["Location"]).content.decode()
    assert "Status: <strong>Queued</strong>" in waiting
    assert '<meta http-equiv="refresh" content="2">' in waiting

    run_jobs()

    done = client.get(response["Location"]).content.decode()
    source = Source.objects.get(url=demo.ARTICLE_URL)
    assert "Status: <strong>Succeeded</strong>" in done and "http-equiv" not in done
    assert f"Created source {source.pk}" in done
    candidates = f"/admin/sources/quote/?source__id__exact={source.pk}&amp;is_candidate__exact=1"
    assert f'href="{candidates}"' in done
    listed = client.get(candidates.replace("&amp;", "&"))
    assert listed.status_code == 200
    assert len(listed.context["cl"].result_list) == Quote.objects.filter(source=source).count() > 0


@pytest.mark.django_db
def test_a_private_address_is_refused_on_the_form_in_words(editor):
    response = logged_in(editor).post(IMPORT, {"url": "http://192.168.1.20/story"})
    assert response.status_code == 200
    assert "private or local address" in " ".join(response.context["form"].errors["url"])
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_the_import_page_needs_the_right_to_add_sources_and_jobs_stay_private(editor, outsider):
    assert logged_in(outsider).get(IMPORT).status_code == 302  # not staff: to the login page
    no_role = factories.UserFactory(username="staffnorole", groups=[])
    assert logged_in(no_role).get(IMPORT).status_code == 403
    job = Job.objects.create(kind="article_import", created_by=editor)
    stranger = factories.UserFactory(username="stranger2", is_staff=False)
    assert logged_in(stranger).get(f"/admin/sources/source/import/jobs/{job.pk}/").status_code == 302
    assert logged_in(editor).get(f"/admin/sources/source/import/jobs/{job.pk + 99}/").status_code == 404


@JOB_TESTS
def test_fetch_again_queues_one_import_per_source(editor):
    with_url = factories.SourceFactory(url="https://news.example/fetch-again", content="Old text.")
    private = factories.SourceFactory(url="http://10.0.0.5/internal", content="Old text.")
    response = logged_in(editor).post("/admin/sources/source/", {
        "action": "fetch_again", "_selected_action": [with_url.pk, private.pk],
    }, follow=True)
    job = Job.objects.get()
    assert (job.kind, job.subject, job.arguments) == (
        "article_import", f"source:{with_url.pk}", {"url": with_url.url})
    assert messages_of(response) == [
        "http://10.0.0.5/internal: The page's address is a private or local address, which the "
        "importer does not reach. An administrator can allow a trusted internal address "
        "(FACTCHECK_OUTBOUND_ALLOW).",
        f"Queued 1 fetch (jobs #{job.pk}); the sources update when the jobs finish."]
    assert list(queue_statuses().values()) == ["todo"]
