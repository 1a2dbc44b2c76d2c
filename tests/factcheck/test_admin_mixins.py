"""factcheck.admin_mixins.ExtraPagesAdminMixin: a ModelAdmin's own pages, declared as
``extra_pages``, are named ``<app>_<model>_<suffix>``, staff only, and matched before the default
``<path:object_id>/`` URLs."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import resolve, reverse

from factcheck.admin_mixins import ExtraPagesAdminMixin

EXPECTED = {
    "admin:claims_claim_workflow": ("/admin/claims/claim/7/workflow/publish/",
                                    {"object_id": "7", "action": "publish"}),
    "admin:sources_source_import": ("/admin/sources/source/import/", {}),
    "admin:sources_source_import_job": ("/admin/sources/source/import/jobs/3/", {"job_id": 3}),
    "admin:saved_searches_savedsearch_from_claims": ("/admin/saved_searches/savedsearch/from-claims/", {}),
    "admin:saved_searches_savedsearch_export": ("/admin/saved_searches/savedsearch/5/export/csv/",
                                                {"pk": 5, "export_format": "csv"}),
    "admin:triage_sentencecandidate_accept": ("/admin/triage/sentencecandidate/9/accept/",
                                              {"object_id": "9"}),
    "admin:triage_sentencecandidate_dismiss": ("/admin/triage/sentencecandidate/9/dismiss/",
                                               {"object_id": "9"}),
}


def test_every_declared_page_is_named_after_its_model():
    declared = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{suffix}"
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ExtraPagesAdminMixin)
        for _, _, suffix in model_admin.extra_pages
    }
    assert declared == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_page_reverses_and_resolves_to_its_view(name):
    url, kwargs = EXPECTED[name]
    assert reverse(name, kwargs=kwargs) == url
    match = resolve(url)
    assert match.view_name == name
    assert {key: str(value) for key, value in match.kwargs.items()} == {
        key: str(value) for key, value in kwargs.items()}


@pytest.mark.django_db
def test_a_page_is_for_staff_only(client):
    response = client.get("/admin/sources/source/import/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
