"""The claims API (claims/api.py): representation, lists, detail, writes, workflow, history."""

from __future__ import annotations

import pytest

from claims import services
from claims.models import Claim, Correction, Evidence
from claims.services import claim_correct, claim_relation_add
from tests import factories
from tests.api_helpers import assert_error, session_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

CLAIM_KEYS = [
    "id", "slug", "url", "public_url", "text", "claimant", "claim_date", "language", "topics",
    "status", "rating", "rating_explanation", "analysis", "evidence", "corrections", "relations",
    "review", "published_at", "updated_at", "version",
]


@pytest.fixture
def anon():
    return session_client(None)


def test_claim_representation_has_the_documented_keys_and_shapes(anon, claim_in):
    claim = claim_in("published")
    claim.topics.add(factories.TopicFactory(slug="economy", name="Economy"))
    body = anon.get(f"/api/v1/claims/{claim.pk}/").json()
    assert list(body) == CLAIM_KEYS
    assert body["url"].endswith(f"/api/v1/claims/{claim.pk}/")
    assert body["public_url"].endswith(f"/claims/{claim.slug}/")
    assert body["claimant"] == {"id": claim.claimant.pk, "slug": claim.claimant.slug,
                                "name": claim.claimant.name}
    assert body["topics"] == [{"slug": "economy", "name": "Economy"}]
    assert body["rating"] == {"slug": "false", "label": claim.rating.label, "value": claim.rating.value}
    assert body["claim_date"] == "2025-05-03"
    appearance = body["evidence"][0]
    assert list(appearance) == ["relation", "note", "source", "quote"]
    assert appearance["relation"] == "appearance"
    assert list(appearance["source"]) == ["id", "url", "title", "outlet", "published_at"]
    assert list(appearance["source"]["outlet"]) == ["name", "domain"]
    assert list(appearance["quote"]) == ["id", "text", "speaker"]
    assert body["evidence"][1]["quote"] is None
    assert body["version"] == Claim.objects.get(pk=claim.pk).version


def test_detail_sends_version_etag(anon, claim_in):
    claim = claim_in("published")
    response = anon.get(f"/api/v1/claims/{claim.pk}/")
    assert response["ETag"] == f'"v{claim.version}"'


def test_corrections_and_relations_appear(anon, claim_in, reviewer, other_reviewer, editor):
    claim = claim_in("published")
    other = claim_in("published")
    draft = claim_in("draft")
    claim_correct(claim_id=claim.pk, actor=other_reviewer, kind=Correction.Kind.RATING_CHANGE,
                  note="New figures.", new_rating=factories.rating("true"))
    claim_relation_add(actor=editor, from_claim=claim, to_claim=other, kind="contradicts")
    claim_relation_add(actor=editor, from_claim=draft, to_claim=claim, kind="same_as")
    body = anon.get(f"/api/v1/claims/{claim.pk}/").json()
    assert body["corrections"][0]["kind"] == "rating_change"
    assert body["corrections"][0]["old_rating"] == "false"
    assert body["corrections"][0]["new_rating"] == "true"
    # The draft's relation is private to the public.
    assert [(r["kind"], r["direction"], r["claim"]["id"]) for r in body["relations"]] == [
        ("contradicts", "out", other.pk)]
    staff = session_client(editor).get(f"/api/v1/claims/{claim.pk}/").json()
    assert {(r["kind"], r["direction"]) for r in staff["relations"]} == {
        ("contradicts", "out"), ("same_as", "in")}


def test_private_claim_is_404_like_a_missing_one(anon, claim_in):
    draft = claim_in("draft")
    missing = assert_error(anon.get("/api/v1/claims/999999/"), 404, "not_found")
    private = assert_error(anon.get(f"/api/v1/claims/{draft.pk}/"), 404, "not_found")
    assert missing == private


def test_list_pages_with_cursor_links(anon, claim_in):
    claims = [claim_in("published") for _ in range(3)]
    first = anon.get("/api/v1/claims/?page_size=2").json()
    assert [c["id"] for c in first["results"]] == [claims[2].pk, claims[1].pk]
    assert first["previous"] is None
    second = anon.get(first["next"]).json()
    assert [c["id"] for c in second["results"]] == [claims[0].pk]
    assert second["next"] is None
    back = anon.get(second["previous"]).json()
    assert [c["id"] for c in back["results"]] == [claims[2].pk, claims[1].pk]


def test_slug_finds_one_claim(anon, claim_in):
    claim = claim_in("published")
    claim_in("published")
    body = anon.get(f"/api/v1/claims/?slug={claim.slug}").json()
    assert [c["id"] for c in body["results"]] == [claim.pk]


@pytest.mark.parametrize("path", [
    "/api/v1/claims/?page_size={n}",
    "/api/v1/claims/?q=unemployment&page_size={n}",
    "/api/v1/claims/?rating=false&topic=economy&page_size={n}",
])
def test_claim_list_runs_the_same_number_of_queries_for_1_and_50_rows(
        anon, editor, reviewer, path, django_assert_num_queries):
    topic = factories.TopicFactory(slug="economy", name="Economy")
    from tests.conftest import bring_to, make_ready_claim

    for _ in range(50):
        claim = make_ready_claim(editor)
        claim.topics.add(topic)
        bring_to(claim, "published", author=editor, reviewer=reviewer)
    counts = []
    for n in (1, 50):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = anon.get(path.format(n=n))
        assert response.status_code == 200
        assert len(response.json()["results"]) == n
        counts.append(len(queries))
    # page ids + documents (+ the search lexicon for q, + resolving rating and topic slugs)
    assert counts[0] == counts[1] <= 4


def test_claim_detail_is_one_query(anon, claim_in, django_assert_num_queries):
    claim = claim_in("published")
    with django_assert_num_queries(1):
        assert anon.get(f"/api/v1/claims/{claim.pk}/").status_code == 200


def test_if_none_match_gives_304_on_detail_and_list(anon, claim_in):
    claim = claim_in("published")
    detail = anon.get(f"/api/v1/claims/{claim.pk}/")
    assert anon.get(f"/api/v1/claims/{claim.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304
    listing = anon.get("/api/v1/claims/")
    again = anon.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=listing["ETag"])
    assert again.status_code == 304
    assert again.content == b""


# --- Writes ---------------------------------------------------------------------------------


def test_editor_creates_a_draft_through_the_service(editor):
    person = factories.PersonFactory()
    factories.TopicFactory(slug="economy", name="Economy")
    response = session_client(editor).post("/api/v1/claims/", {
        "text": "Prices doubled in a year.", "claimant": person.pk, "claim_date": "2025-01-02",
        "topics": ["economy"], "rating": "false", "rating_explanation": "No."}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    claim = Claim.objects.get(pk=body["id"])
    assert (claim.status, claim.author, claim.rating.slug) == ("draft", editor, "false")
    assert response["ETag"] == f'"v{claim.version}"'
    assert response["Location"] == f"/api/v1/claims/{claim.pk}/"


def test_unknown_relation_values_in_a_body_name_the_field(editor):
    error = assert_error(session_client(editor).post(
        "/api/v1/claims/", {"text": "x y z", "rating": "nonexistent"}, format="json"), 400, "invalid")
    assert "rating" in error["fields"]


def test_claimant_topics_and_rating_are_accepted_by_slug_or_by_id(editor):
    person = factories.PersonFactory(slug="ann-brown")
    topic = factories.TopicFactory(slug="economy", name="Economy")
    client = session_client(editor)
    by_slug = client.post("/api/v1/claims/", {"text": "Prices doubled in a year.", "claimant": "ann-brown",
                                              "topics": ["economy"], "rating": "false"}, format="json")
    assert by_slug.status_code == 201, by_slug.content
    claim = Claim.objects.get(pk=by_slug.json()["id"])
    assert (claim.claimant, list(claim.topics.all()), claim.rating.slug) == (person, [topic], "false")
    by_id = client.post("/api/v1/claims/", {"text": "Rents doubled in a year.", "claimant": person.pk,
                                            "topics": [topic.pk, str(topic.pk)],
                                            "rating": claim.rating.pk}, format="json")
    assert by_id.status_code == 201, by_id.content
    claim = Claim.objects.get(pk=by_id.json()["id"])
    assert (claim.claimant, list(claim.topics.all()), claim.rating.slug) == (person, [topic], "false")


def test_an_unknown_claimant_slug_or_id_is_a_400_naming_the_field(editor):
    client = session_client(editor)
    for value in ["nobody-at-all", 987654, True]:
        error = assert_error(client.post("/api/v1/claims/", {"text": "x y z", "claimant": value},
                                         format="json"), 400, "invalid")
        assert list(error["fields"]) == ["claimant"], error
    error = assert_error(client.post("/api/v1/claims/", {"text": "x y z", "topics": ["nope"]},
                                     format="json"), 400, "invalid")
    assert list(error["fields"]) == ["topics"], error


def test_patch_with_current_etag_succeeds_and_returns_new_etag(editor, claim_in):
    claim = claim_in("draft")
    client = session_client(editor)
    etag = client.get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    response = client.patch(f"/api/v1/claims/{claim.pk}/", {"analysis": "More."}, format="json",
                            HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    claim.refresh_from_db()
    assert claim.analysis == "More."
    assert response["ETag"] == f'"v{claim.version}"' != etag


def test_patch_without_if_match_is_428(editor, claim_in):
    claim = claim_in("draft")
    assert_error(session_client(editor).patch(f"/api/v1/claims/{claim.pk}/", {"analysis": "x"},
                                              format="json"), 428, "precondition_required")


def test_patch_with_stale_etag_is_412_and_changes_nothing(editor, claim_in):
    claim = claim_in("draft")
    client = session_client(editor)
    stale = f'"v{claim.version - 1}"'
    assert_error(client.patch(f"/api/v1/claims/{claim.pk}/", {"analysis": "x"}, format="json",
                              HTTP_IF_MATCH=stale), 412, "precondition_failed")
    assert Claim.objects.get(pk=claim.pk).analysis == ""


def test_put_replaces_editable_fields(editor, claim_in):
    claim = claim_in("draft")
    response = session_client(editor).put(
        f"/api/v1/claims/{claim.pk}/", {"text": "A new wording of the claim."}, format="json",
        HTTP_IF_MATCH=f'"v{claim.version}"')
    assert response.status_code == 200
    assert Claim.objects.get(pk=claim.pk).text == "A new wording of the claim."


def test_admin_deletes_a_draft_but_not_a_published_claim(admin_user, claim_in):
    client = session_client(admin_user)
    draft = claim_in("draft")
    published = claim_in("published")
    response = client.delete(f"/api/v1/claims/{draft.pk}/", HTTP_IF_MATCH=f'"v{draft.version}"')
    assert response.status_code == 204
    assert not Claim.objects.filter(pk=draft.pk).exists()
    assert_error(client.delete(f"/api/v1/claims/{published.pk}/",
                               HTTP_IF_MATCH=f'"v{published.version}"'), 409, "illegal_transition")


# --- Workflow -------------------------------------------------------------------------------


def test_full_workflow_through_the_api(editor, reviewer, claim_in):
    claim = claim_in("draft")
    ed, rev = session_client(editor), session_client(reviewer)
    assert ed.post(f"/api/v1/claims/{claim.pk}/submit/", {}, format="json").json()["status"] == "in_review"
    body = rev.post(f"/api/v1/claims/{claim.pk}/request-changes/", {"comment": "Add a source."},
                    format="json").json()
    assert body["status"] == "draft"
    ed.post(f"/api/v1/claims/{claim.pk}/submit/", {}, format="json")
    assert rev.post(f"/api/v1/claims/{claim.pk}/publish/", {}, format="json").json()["status"] == "published"
    response = rev.post(f"/api/v1/claims/{claim.pk}/corrections/",
                        {"kind": "correction", "note": "Fixed a typo."}, format="json")
    assert response.status_code == 201
    assert response.json()["corrections"][0]["note"] == "Fixed a typo."
    retracted = rev.post(f"/api/v1/claims/{claim.pk}/retract/", {"note": "Wrong claimant."}, format="json")
    assert retracted.json()["status"] == "retracted"


def test_illegal_transition_is_409(reviewer, claim_in):
    claim = claim_in("draft")
    assert_error(session_client(reviewer).post(f"/api/v1/claims/{claim.pk}/publish/", {}, format="json"),
                 409, "illegal_transition")


def test_refused_publish_lists_every_missing_item(editor, reviewer):
    claim = factories.ClaimFactory(author=editor, claimant=None, claim_date=None)
    session_client(editor).post(f"/api/v1/claims/{claim.pk}/submit/", {}, format="json")
    error = assert_error(session_client(reviewer).post(f"/api/v1/claims/{claim.pk}/publish/", {},
                                                       format="json"), 409, "publish_gate")
    codes = {item["code"] for item in error["fields"]["missing"]}
    assert {"rating", "rating_explanation", "claimant", "claim_date", "appearance", "evidence"} <= codes


def test_author_cannot_publish_own_claim_via_api(reviewer, other_reviewer):
    from tests.conftest import make_ready_claim

    claim = make_ready_claim(reviewer)
    client = session_client(reviewer)
    client.post(f"/api/v1/claims/{claim.pk}/submit/", {}, format="json")
    assert_error(client.post(f"/api/v1/claims/{claim.pk}/publish/", {}, format="json"), 403, "four_eyes")


def test_request_changes_needs_a_comment(reviewer, claim_in):
    claim = claim_in("in_review")
    error = assert_error(session_client(reviewer).post(f"/api/v1/claims/{claim.pk}/request-changes/", {},
                                                       format="json"), 400)
    assert "comment" in error["fields"]


def test_history_public_sees_publication_and_corrections_only(editor, reviewer, claim_in):
    claim = claim_in("draft")
    ed, rev = session_client(editor), session_client(reviewer)
    ed.post(f"/api/v1/claims/{claim.pk}/submit/", {"comment": "internal note"}, format="json")
    rev.post(f"/api/v1/claims/{claim.pk}/publish/", {}, format="json")
    rev.post(f"/api/v1/claims/{claim.pk}/retract/", {"note": "Public reason."}, format="json")
    public = session_client(None).get(f"/api/v1/claims/{claim.pk}/history/").json()["results"]
    assert [(e["type"], e["to_status"] or e["kind"]) for e in public] == [
        ("review", "published"), ("correction", "retraction"), ("review", "retracted")]
    assert "internal note" not in str(public)
    assert all(e["actor"] is None for e in public)
    staff = ed.get(f"/api/v1/claims/{claim.pk}/history/").json()["results"]
    assert any(e["note"] == "internal note" and e["actor"] == "ed" for e in staff)


# --- Evidence -------------------------------------------------------------------------------


def test_evidence_add_update_remove(editor, claim_in):
    claim = claim_in("draft")
    client = session_client(editor)
    source = factories.SourceFactory()
    response = client.post("/api/v1/evidence/", {"claim": claim.pk, "source": source.pk,
                                                 "relation": "context", "note": "Background."}, format="json")
    assert response.status_code == 201, response.content
    evidence_id = response.json()["id"]
    etag = client.get(f"/api/v1/evidence/{evidence_id}/")["ETag"]
    assert_error(client.patch(f"/api/v1/evidence/{evidence_id}/", {"note": "x"}, format="json"), 428)
    response = client.patch(f"/api/v1/evidence/{evidence_id}/", {"note": "Updated."}, format="json",
                            HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert Evidence.objects.get(pk=evidence_id).note == "Updated."
    assert_error(client.delete(f"/api/v1/evidence/{evidence_id}/", HTTP_IF_MATCH=etag), 412)
    response = client.delete(f"/api/v1/evidence/{evidence_id}/", HTTP_IF_MATCH=response["ETag"])
    assert response.status_code == 204
    assert not Evidence.objects.filter(pk=evidence_id).exists()


def test_evidence_creation_honours_order_and_appends_without_it(editor, claim_in):
    """``order`` places the new link (it used to be accepted and dropped); without it the link
    goes last."""
    claim = claim_in("draft")  # two links already: orders 0 and 1
    client = session_client(editor)
    placed = client.post("/api/v1/evidence/", {"claim": claim.pk, "source": factories.SourceFactory().pk,
                                               "relation": "context", "order": 0}, format="json")
    assert placed.status_code == 201 and placed.json()["order"] == 0
    appended = client.post("/api/v1/evidence/", {"claim": claim.pk, "source": factories.SourceFactory().pk,
                                                 "relation": "supports"}, format="json")
    assert appended.status_code == 201 and appended.json()["order"] == 3
    assert_error(client.post("/api/v1/evidence/", {"claim": claim.pk, "source": factories.SourceFactory().pk,
                                                   "relation": "supports", "order": -1}, format="json"), 400)
    assert Evidence.objects.get(pk=placed.json()["id"]).order == 0


def test_evidence_etag_names_the_version_the_service_compares(editor, claim_in):
    claim = claim_in("draft")
    evidence = claim.evidence.order_by("pk").first()
    client = session_client(editor)
    response = client.get(f"/api/v1/evidence/{evidence.pk}/")
    assert response["ETag"] == f'"{services.evidence_version(evidence)}"'
    services.evidence_update(evidence_id=evidence.pk, actor=editor, note="Changed meanwhile.")
    assert_error(client.put(f"/api/v1/evidence/{evidence.pk}/",
                            {"source": evidence.source_id, "relation": evidence.relation},
                            format="json", HTTP_IF_MATCH=response["ETag"]), 412, "precondition_failed")


def test_public_evidence_list_hides_drafts_evidence(claim_in):
    published = claim_in("published")
    draft = claim_in("draft")
    body = session_client(None).get("/api/v1/evidence/?page_size=100").json()
    claims = {item["claim"] for item in body["results"]}
    assert published.pk in claims and draft.pk not in claims
    assert_error(session_client(None).get(f"/api/v1/evidence/?claim={draft.pk}"), 400, "unknown_value")


def test_evidence_list_query_count_is_constant(claim_in, django_assert_max_num_queries):
    for _ in range(3):
        claim_in("published")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (1, 6):
        with CaptureQueriesContext(connection) as queries:
            assert len(session_client(None).get(f"/api/v1/evidence/?page_size={n}").json()["results"]) == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- publish_problems: the readiness checklist for staff ----------------------------------------


def test_staff_see_the_same_publish_problems_the_409_lists(editor, reviewer):
    claim = factories.ClaimFactory(author=editor, claimant=None, claim_date=None)
    body = session_client(editor).get(f"/api/v1/claims/{claim.pk}/").json()
    assert list(body) == [*CLAIM_KEYS, "language_source", "publish_problems"]
    assert all(set(item) >= {"code", "message"} for item in body["publish_problems"])
    session_client(editor).post(f"/api/v1/claims/{claim.pk}/submit/", {}, format="json")
    error = assert_error(session_client(reviewer).post(f"/api/v1/claims/{claim.pk}/publish/", {},
                                                       format="json"), 409, "publish_gate")
    listed = session_client(reviewer).get("/api/v1/claims/?status=in_review").json()["results"]
    assert [item["publish_problems"] for item in listed] == [error["fields"]["missing"]]
    assert {"rating", "claim_date", "claimant", "appearance"} <= {
        item["code"] for item in body["publish_problems"]}


def test_a_ready_claim_has_no_publish_problems_and_the_public_never_sees_the_field(
        anon, editor, claim_in):
    draft = claim_in("draft")
    assert session_client(editor).get(f"/api/v1/claims/{draft.pk}/").json()["publish_problems"] == []
    published = claim_in("published")
    assert "publish_problems" not in anon.get(f"/api/v1/claims/{published.pk}/").json()
    assert all("publish_problems" not in item
               for item in anon.get("/api/v1/claims/").json()["results"])


def test_publish_problems_cost_the_same_queries_for_1_and_50_claims(editor, reviewer):
    """Staff pay three more queries (the claims, their evidence — one read for the gates and the
    markup —, the rating scale), whatever the page size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_ready_claim

    client = session_client(editor)
    for index in range(50):
        claim = make_ready_claim(editor)
        if index % 2:
            factories.EvidenceFactory(claim=claim, relation=Evidence.Relation.SUPPORTS)
    counts = []
    for n in (1, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/claims/?page_size={n}&ordering=-updated_at")
        assert response.status_code == 200
        assert len(response.json()["results"]) == n
        counts.append(len(queries))
    # session, user, page ids, documents — and the three for publish_problems
    assert counts == [7, 7]


# --- Language: given or detected ---------------------------------------------------------------


def test_a_claims_language_is_detected_unless_given_and_staff_see_which(editor, anon):
    client = session_client(editor)
    detected = client.post("/api/v1/claims/", {
        "text": "La presidenta aseguró este martes que no habrá aumento de impuestos."},
        format="json").json()
    given = client.post("/api/v1/claims/", {
        "text": "La presidenta aseguró este martes que no habrá aumento de impuestos.",
        "language": "es-AR"}, format="json").json()
    assert (detected["language"], detected["language_source"]) == ("es", "detected")
    assert (given["language"], given["language_source"]) == ("es-AR", "given")
    edited = client.patch(f"/api/v1/claims/{given['id']}/", {
        "text": "The president said on Tuesday that taxes would not rise this year."},
        format="json", HTTP_IF_MATCH=f'"v{given["version"]}"').json()
    assert (edited["language"], edited["language_source"]) == ("es-AR", "given")
    assert_error(client.post("/api/v1/claims/", {"text": "Taxes.", "language": "Spanish"},
                             format="json"), 400, "invalid_language")


def test_the_public_sees_the_language_but_not_where_it_came_from(anon, claim_in):
    claim = claim_in("published")
    body = anon.get(f"/api/v1/claims/{claim.pk}/").json()
    assert body["language"] == claim.language and "language_source" not in body
