"""The page cache's validators (public/cache.py): besides the data, they follow how pages are
rendered, with no revision number to bump by hand."""

from __future__ import annotations

import pytest

from public import cache


@pytest.fixture
def sources(tmp_path, settings, monkeypatch):
    settings.BASE_DIR = tmp_path
    template = tmp_path / "templates" / "page.html"
    template.parent.mkdir()
    template.write_text("<h1>{{ claim.text }}</h1>")
    monkeypatch.setattr(cache, "_rendering_sources", lambda: [template])
    cache.representation_revision.cache_clear()
    yield template
    cache.representation_revision.cache_clear()


def test_changing_a_template_changes_the_representation_revision(sources):
    before = cache.representation_revision()
    assert cache.representation_revision() == before  # stable while nothing changes
    sources.write_text("<h1 class='claim'>{{ claim.text }}</h1>")
    cache.representation_revision.cache_clear()  # a new deploy: a new process
    assert cache.representation_revision() != before


def test_the_revision_covers_templates_public_code_and_the_claimreview_builder(settings):
    names = {str(path.relative_to(settings.BASE_DIR)) for path in cache._rendering_sources()}
    assert {"templates/base.html", "templates/public/claim_detail.html", "public/views.py",
            "public/templatetags/public_site.py", "claims/claimreview.py"} <= names


@pytest.mark.django_db
def test_page_etags_follow_the_representation_revision(client, claim_in, monkeypatch):
    claim = claim_in("published")
    first = client.get(f"/claims/{claim.slug}/")["ETag"]
    assert client.get(f"/claims/{claim.slug}/")["ETag"] == first
    monkeypatch.setattr(cache, "representation_revision", lambda: "another-rendering")
    response = client.get(f"/claims/{claim.slug}/", HTTP_IF_NONE_MATCH=first)
    assert response.status_code == 200 and response["ETag"] != first
