"""saved_searches/admin.py: editors keep their searches in admin, validated like the API."""

from __future__ import annotations

from saved_searches.models import SavedSearch

ADD = "/admin/saved_searches/savedsearch/add/"


def test_editor_saves_a_search_and_a_bad_query_is_explained(client, editor, claim_in):
    client.force_login(editor)
    refused = client.post(ADD, {"name": "Bad", "query": "rating=nope"})
    assert refused.status_code == 200
    assert "rating:" in refused.content.decode()
    assert not SavedSearch.objects.exists()
    saved = client.post(ADD, {"name": "Spanish", "query": "language=es"})
    assert saved.status_code == 302
    assert SavedSearch.objects.get().owner == editor
    claim_in("published")
    listing = client.get("/admin/saved_searches/savedsearch/").content.decode()
    assert "Spanish" in listing and "/api/v1/saved-searches/" in listing


def test_editors_see_only_their_own_searches_in_admin(client, editor, reviewer):
    SavedSearch.objects.create(owner=reviewer, name="Theirs", query="")
    client.force_login(editor)
    assert "Theirs" not in client.get("/admin/saved_searches/savedsearch/").content.decode()
