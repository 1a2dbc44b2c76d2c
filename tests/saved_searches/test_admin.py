"""saved_searches/admin.py: editors keep their searches (and their organisations') in admin,
validated like the API; "Save this search" from the claims list; exports of a search."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlencode, urlsplit

import orjson

from claims.models import Rating, Topic
from saved_searches.from_admin import api_query_from_admin
from saved_searches.models import SavedSearch
from tests.accounts.helpers import organisation

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


# --- "Save this search" from the claims list, and exports ------------------------------------

FROM_CLAIMS = "/admin/saved_searches/savedsearch/from-claims/"


def test_the_claims_list_links_to_save_its_filters(client, editor, db):
    client.force_login(editor)
    page = client.get("/admin/claims/claim/", {"q": "troops", "status__exact": "published"}).content.decode()
    link = page.split('id="fc-save-search" href="')[1].split('"')[0].replace("&amp;", "&")
    assert urlsplit(link).path == FROM_CLAIMS
    assert parse_qs(parse_qs(urlsplit(link).query)["claims_query"][0]) == {
        "q": ["troops"], "status__exact": ["published"]}


def test_admin_filters_become_the_apis_parameters(db):
    false, topic = Rating.objects.get(slug="false"), Topic.objects.create(name="Health", slug="health")
    translation = api_query_from_admin(urlencode({
        "q": "troops", "status__exact": "published", "rating__id__exact": false.pk,
        "topics__id__exact": topic.pk, "claimant__id__exact": 7, "evidence": "attention",
        "o": "2.-7", "p": "3",
    }))
    assert parse_qs(translation.query) == {"q": ["troops"], "status": ["published"], "rating": ["false"],
                                           "topic": ["health"], "claimant": ["7"],
                                           "evidence": ["attention"]}
    assert translation.untranslated == []
    untranslated = api_query_from_admin("queue=mine&assignee__id__exact=3&updated_at__year=2026"
                                        "&rating__isnull=True&rating__id__exact=999999")
    assert [param for param, _ in untranslated.untranslated] == [
        "queue=mine", "assignee__id__exact=3", "updated_at__year=2026", "rating__isnull=True",
        "rating__id__exact=999999"]
    assert untranslated.query == ""


def test_saving_the_lists_search_asks_for_a_name_and_validates_it_like_the_api(client, editor, db):
    client.force_login(editor)
    false = Rating.objects.get(slug="false")
    claims_query = urlencode({"q": "troops", "rating__id__exact": false.pk})
    form = client.get(FROM_CLAIMS, {"claims_query": claims_query}).content.decode()
    assert "q=troops&amp;rating=false" in form and "fc-untranslated" not in form
    saved = client.post(FROM_CLAIMS, {"name": "False troops", "claims_query": claims_query})
    assert saved.status_code == 302
    search = SavedSearch.objects.get()
    assert (search.name, search.query, search.owner) == ("False troops", "q=troops&rating=false", editor)
    duplicate = client.post(FROM_CLAIMS, {"name": "False troops", "claims_query": claims_query})
    assert duplicate.status_code == 200 and "Already used." in duplicate.content.decode()


def test_filters_without_an_api_equivalent_are_named_and_never_dropped_silently(client, editor, db):
    client.force_login(editor)
    claims_query = "queue=mine&status__exact=draft"
    page = client.get(FROM_CLAIMS, {"claims_query": claims_query}).content.decode()
    assert "fc-untranslated" in page and "queue=mine" in page and "the desk&#x27;s queues" in page
    refused = client.post(FROM_CLAIMS, {"name": "Drafts", "claims_query": claims_query})
    assert refused.status_code == 200 and "would not be kept" in refused.content.decode()
    assert not SavedSearch.objects.exists()
    agreed = client.post(FROM_CLAIMS, {"name": "Drafts", "claims_query": claims_query,
                                       "without_untranslated": "on"})
    assert agreed.status_code == 302
    assert SavedSearch.objects.get().query == "status=draft"


def test_people_without_saved_searches_cannot_save_one(client, outsider):
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)
    assert client.get(FROM_CLAIMS).status_code == 403


def test_a_saved_searchs_page_exports_its_claims(client, editor, reviewer, claim_in):
    published, draft = claim_in("published"), claim_in("draft")
    search = SavedSearch.objects.create(owner=editor, name="Drafts", query="status=draft")
    client.force_login(editor)
    page = client.get(f"/admin/saved_searches/savedsearch/{search.pk}/change/").content.decode()
    assert f"/admin/saved_searches/savedsearch/{search.pk}/export/csv/" in page
    response = client.get(f"/admin/saved_searches/savedsearch/{search.pk}/export/csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # as the API's CSV
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row[0] for row in rows[1:]] == [str(draft.pk)]
    ndjson = client.get(f"/admin/saved_searches/savedsearch/{search.pk}/export/ndjson/")
    assert [orjson.loads(line)["id"] for line in b"".join(ndjson.streaming_content).splitlines()] == [
        draft.pk]
    client.force_login(reviewer)  # not theirs: as if it did not exist
    assert client.get(f"/admin/saved_searches/savedsearch/{search.pk}/export/csv/").status_code == 404
    assert published.pk not in {int(row[0]) for row in rows[1:]}


def test_organisation_members_see_its_searches_managers_change_them(client, editor, reviewer,
                                                                    other_reviewer):
    team = organisation("Desk", managers=[reviewer], members=[other_reviewer])
    search = SavedSearch.objects.create(organisation=team, created_by=reviewer, name="Team search")
    client.force_login(other_reviewer)
    listing = client.get("/admin/saved_searches/savedsearch/").content.decode()
    assert "Team search" in listing and "delete_selected" not in listing  # deletes go one by one
    change = f"/admin/saved_searches/savedsearch/{search.pk}/change/"
    assert client.post(change, {"name": "Renamed", "query": ""}).status_code == 403
    client.force_login(reviewer)
    assert client.post(change, {"name": "Renamed", "query": ""}).status_code == 302
    assert SavedSearch.objects.get().name == "Renamed"
    client.force_login(editor)
    assert client.get(change).status_code == 302  # not a member: "does not exist", back to the list


def test_a_search_from_the_claims_list_may_be_the_organisations(client, editor, reviewer):
    team = organisation("Desk", managers=[reviewer], members=[editor])
    client.force_login(editor)
    saved = client.post(FROM_CLAIMS, {"name": "Team drafts", "organisation": team.pk,
                                      "claims_query": "status__exact=draft"})
    assert saved.status_code == 302
    search = SavedSearch.objects.get()
    assert (search.owner, search.organisation, search.created_by) == (None, team, editor)
