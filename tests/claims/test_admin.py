"""The editors' admin for claims (claims/admin.py): pages per role, workflow buttons, bulk actions,
the evidence inline going through the services, queues, search and the changelist's query plan."""

from __future__ import annotations

import html as html_module
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Claim, ClaimRelation, Correction, Evidence, ReviewEvent
from tests import factories
from tests.conftest import bring_to, make_ready_claim

pytestmark = pytest.mark.django_db

CLAIMS = "/admin/claims/claim/"


def change_url(claim) -> str:
    return f"{CLAIMS}{claim.pk}/change/"


def workflow_url(claim, action: str) -> str:
    return f"{CLAIMS}{claim.pk}/workflow/{action}/"


def form_errors(response) -> list[str]:
    return re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def management(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def claim_form(claim=None, *, evidence_rows=(), existing_evidence=(), **fields) -> dict[str, str]:
    """POST data for the claim page: the claim's fields and the evidence inline.

    ``existing_evidence`` are the claim's Evidence rows (posted unchanged unless a dict of changes
    is paired with them), ``evidence_rows`` are new rows as dicts.
    """
    data = {
        "text": claim.text if claim else "", "claimant": claim.claimant_id if claim else "",
        "claim_date": "2025-05-03", "language": "en",
        "rating": (claim.rating_id or "") if claim else "",
        "rating_explanation": claim.rating_explanation if claim else "",
        "analysis": claim.analysis if claim else "", "assignee": "",
        "_save": "Save",
    }
    data.update({name: str(value) for name, value in fields.items()})
    rows = [item if isinstance(item, tuple) else (item, {}) for item in existing_evidence]
    data.update(management("evidence", total=len(rows) + len(evidence_rows), initial=len(rows)))
    for index, (evidence, changes) in enumerate(rows):
        row = {"id": evidence.pk, "claim": evidence.claim_id, "relation": evidence.relation,
               "source": evidence.source_id, "quote": evidence.quote_id or "",
               "note": evidence.note, "order": evidence.order, **changes}
        data.update({f"evidence-{index}-{name}": str(value) for name, value in row.items()})
    for offset, new in enumerate(evidence_rows):
        index = len(rows) + offset
        row = {"relation": "appearance", "quote": "", "note": "", "order": "0", **new}
        data.update({f"evidence-{index}-{name}": str(value) for name, value in row.items()})
    return data


# --- Pages per role -------------------------------------------------------------------------


@pytest.fixture
def staff_without_role(db):
    return factories.UserFactory(username="staffer")


PAGES = [
    # (page, editor, reviewer, admin)
    ("admin_index", 200, 200, 200),
    ("claim_changelist", 200, 200, 200),
    ("claim_add", 200, 200, 200),
    ("claim_change_draft", 200, 200, 200),
    ("claim_change_in_review", 200, 200, 200),
    ("claim_change_published", 200, 200, 200),  # editors: read-only view
    ("claim_change_retracted", 200, 200, 200),  # everyone: read-only view
    ("rating_changelist", 200, 200, 200),
    ("rating_add", 403, 403, 200),
    ("rating_change", 200, 200, 200),  # editors and reviewers: read-only view
    ("topic_changelist", 200, 200, 200),
    ("topic_add", 200, 200, 200),
    ("topic_change", 200, 200, 200),
    ("events_changelist", 200, 200, 200),
]


def page_url(page: str, claim_in) -> str:
    if page == "claim_changelist":
        return CLAIMS
    if page == "claim_add":
        return f"{CLAIMS}add/"
    if page == "admin_index":
        return "/admin/"
    if page.startswith("claim_change_"):
        return change_url(claim_in(page.removeprefix("claim_change_")))
    if page.startswith("rating_"):
        rating = factories.rating("false")
        return {"rating_changelist": "/admin/claims/rating/", "rating_add": "/admin/claims/rating/add/",
                "rating_change": f"/admin/claims/rating/{rating.pk}/change/"}[page]
    if page.startswith("topic_"):
        topic = factories.TopicFactory()
        return {"topic_changelist": "/admin/claims/topic/", "topic_add": "/admin/claims/topic/add/",
                "topic_change": f"/admin/claims/topic/{topic.pk}/change/"}[page]
    return "/admin/pghistory/events/"


@pytest.mark.parametrize(("page", "as_editor", "as_reviewer", "as_admin"), PAGES)
def test_each_page_renders_for_each_role_with_the_right_status(
    page, as_editor, as_reviewer, as_admin, editor, reviewer, admin_user, claim_in,
):
    url = page_url(page, claim_in)
    for user, expected in [(editor, as_editor), (reviewer, as_reviewer), (admin_user, as_admin)]:
        assert logged_in(user).get(url).status_code == expected, (page, user.username)


def test_staff_without_a_role_gets_403_and_anonymous_is_sent_to_login(staff_without_role, client):
    assert logged_in(staff_without_role).get(CLAIMS).status_code == 403
    response = client.get(CLAIMS)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_published_claim_is_read_only_for_editors_and_editable_for_reviewers(
    editor, reviewer, claim_in,
):
    claim = claim_in("published")
    as_editor = logged_in(editor).get(change_url(claim)).content.decode()
    assert 'name="_save"' not in as_editor
    as_reviewer = logged_in(reviewer).get(change_url(claim)).content.decode()
    assert 'name="_save"' in as_reviewer
    assert 'name="rating"' not in as_reviewer  # a published rating changes only by correction


def test_retracted_claim_is_read_only_for_everyone_and_a_forged_save_is_refused(
    reviewer, admin_user, claim_in,
):
    claim = claim_in("retracted")
    for user in (reviewer, admin_user):
        client = logged_in(user)
        assert 'name="_save"' not in client.get(change_url(claim)).content.decode()
        forged = claim_form(claim, analysis="Sneaky edit.", existing_evidence=claim.evidence.all())
        assert client.post(change_url(claim), forged).status_code == 403
    claim.refresh_from_db()
    assert claim.analysis == ""


def test_protected_fields_are_read_only_on_the_claim_page(editor):
    claim = factories.ClaimFactory(author=editor)
    html = logged_in(editor).get(change_url(claim)).content.decode()
    for field in ["status", "published_at", "reviewer", "version", "author", "slug"]:
        assert f'name="{field}"' not in html
    assert 'name="text"' in html
    assert "Workflow (changed only by the workflow buttons)" in html


def test_a_new_claim_offers_the_two_evidence_rows_it_needs_and_a_saved_one_none(editor):
    client = logged_in(editor)
    add_page = client.get(f"{CLAIMS}add/").content.decode()
    assert 'name="evidence-TOTAL_FORMS" value="2"' in add_page
    change_page = client.get(change_url(factories.ClaimFactory(author=editor))).content.decode()
    assert 'name="evidence-TOTAL_FORMS" value="0"' in change_page


def test_add_page_shows_no_empty_workflow_fields(editor):
    html = logged_in(editor).get(f"{CLAIMS}add/").content.decode()
    assert "Workflow (changed only by the workflow buttons)" not in html
    for field in ["status", "published_at", "reviewer", "version", "author", "slug"]:
        assert f'name="{field}"' not in html


# --- Workflow buttons -----------------------------------------------------------------------


def workflow_buttons(html: str) -> set[str]:
    return set(re.findall(r'name="_workflow_(\w+)"', html))


def test_buttons_follow_allowed_actions_for_each_role(editor, reviewer, other_reviewer, claim_in):
    draft = claim_in("draft")
    assert workflow_buttons(logged_in(editor).get(change_url(draft)).content.decode()) == {"submit"}
    in_review = claim_in("in_review")
    assert workflow_buttons(logged_in(editor).get(change_url(in_review)).content.decode()) == set()
    assert workflow_buttons(logged_in(reviewer).get(change_url(in_review)).content.decode()) == {
        "request_changes", "publish"}
    published = claim_in("published")
    assert workflow_buttons(logged_in(other_reviewer).get(change_url(published)).content.decode()) == {
        "retract", "correct"}


def test_submit_button_moves_a_draft_to_review_and_logs_it(editor, claim_in):
    claim = claim_in("draft")
    response = logged_in(editor).post(workflow_url(claim, "submit"), {"comment": "Ready."})
    assert response.status_code == 302 and response["Location"] == change_url(claim)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    assert ReviewEvent.objects.filter(claim=claim, to_status="in_review", comment="Ready.").exists()
    assert any("submitted for review" in m for m in messages_of(response))


def test_publish_button_publishes_for_a_reviewer(reviewer, claim_in):
    claim = claim_in("in_review")
    response = logged_in(reviewer).post(workflow_url(claim, "publish"))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED and claim.reviewer == reviewer
    assert any("published" in m for m in messages_of(response))


def test_refused_publish_lists_every_missing_item(editor, reviewer):
    claim = factories.ClaimFactory(author=editor, claimant=None, claim_date=None)
    bring_to(claim, "in_review", author=editor, reviewer=reviewer)
    response = logged_in(reviewer).post(workflow_url(claim, "publish"))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    [message] = messages_of(response)
    for missing in ["choose a rating", "write a rating explanation", "name the claimant",
                    "give the date the claim was made", "where the claim appeared",
                    "supporting, refuting or context source"]:
        assert missing in message


def test_claim_page_shows_what_keeps_a_claim_in_review_from_publishing(editor, reviewer):
    claim = factories.ClaimFactory(author=editor)
    bring_to(claim, "in_review", author=editor, reviewer=reviewer)
    html = logged_in(reviewer).get(change_url(claim)).content.decode()
    assert "Publish checklist — 4 missing" in html and "<a href=\"#id_rating\">A rating</a>" in html


def test_author_who_is_a_reviewer_has_no_publish_button_and_a_post_is_refused(reviewer):
    claim = make_ready_claim(reviewer)
    bring_to(claim, "in_review", author=reviewer, reviewer=None)
    client = logged_in(reviewer)
    assert "publish" not in workflow_buttons(client.get(change_url(claim)).content.decode())
    response = client.post(workflow_url(claim, "publish"))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    assert any("another reviewer must publish it" in m for m in messages_of(response))


def test_request_changes_needs_a_comment(reviewer, claim_in):
    claim = claim_in("in_review")
    client = logged_in(reviewer)
    response = client.post(workflow_url(claim, "request_changes"), {"comment": "  "})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    assert any("Say what needs to change" in m for m in messages_of(response))
    client.post(workflow_url(claim, "request_changes"), {"comment": "Cite the ministry's data."})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT
    assert claim.review_events.last().comment == "Cite the ministry's data."


def test_retract_needs_a_public_note(reviewer, claim_in):
    claim = claim_in("published")
    client = logged_in(reviewer)
    response = client.post(workflow_url(claim, "retract"), {"note": ""})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED
    assert any("needs a public note" in m for m in messages_of(response))
    client.post(workflow_url(claim, "retract"), {"note": "The quote was misattributed."})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.RETRACTED
    assert claim.corrections.get().kind == Correction.Kind.RETRACTION


def test_add_correction_button_records_a_rating_change(other_reviewer, claim_in):
    claim = claim_in("published")
    new_rating = factories.rating("mostly-false")
    response = logged_in(other_reviewer).post(workflow_url(claim, "correct"), {
        "kind": "rating_change", "note": "New figures were published.", "new_rating": new_rating.pk,
    })
    claim.refresh_from_db()
    assert claim.rating == new_rating
    correction = claim.corrections.get()
    assert (correction.old_rating.slug, correction.new_rating.slug) == ("false", "mostly-false")
    assert any("corrected" in m for m in messages_of(response))


def test_correction_without_a_note_is_refused(reviewer, claim_in):
    claim = claim_in("published")
    response = logged_in(reviewer).post(workflow_url(claim, "correct"), {"kind": "update", "note": ""})
    assert not claim.corrections.exists()
    assert any("needs a public note" in m for m in messages_of(response))


def test_workflow_url_accepts_only_post(reviewer, claim_in):
    claim = claim_in("in_review")
    assert logged_in(reviewer).get(workflow_url(claim, "publish")).status_code == 405
    assert logged_in(reviewer).post(workflow_url(claim, "explode")).status_code == 404


def test_workflow_post_needs_a_csrf_token(reviewer, claim_in):
    claim = claim_in("in_review")
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    assert client.post(workflow_url(claim, "publish")).status_code == 403
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW


# --- An editor cannot publish by any route ----------------------------------------------------


def action_choices(html: str) -> set[str]:
    select = re.search(r'<select name="action"[^>]*>(.*?)</select>', html, re.S)
    return set(re.findall(r'<option value="(\w+)"', select.group(1))) if select else set()


def test_editor_cannot_publish_by_any_route(editor, claim_in):
    claim = claim_in("in_review")
    client = logged_in(editor)
    # No button.
    assert "publish" not in workflow_buttons(client.get(change_url(claim)).content.decode())
    # A direct POST to the button's URL is refused by the service.
    response = client.post(workflow_url(claim, "publish"))
    assert any("does not allow you to publish" in m for m in messages_of(response))
    # No bulk action, and forcing it does nothing.
    choices = action_choices(client.get(CLAIMS).content.decode())
    assert "submit_selected" in choices and "publish_selected" not in choices
    client.post(CLAIMS, {"action": "publish_selected", "_selected_action": [claim.pk]})
    # Nor a forged change form carrying a status.
    client.post(change_url(claim), claim_form(claim, status="published",
                                              existing_evidence=claim.evidence.all()))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW
    assert not claim.review_events.filter(to_status="published").exists()


# --- Bulk actions ---------------------------------------------------------------------------


def test_bulk_submit_reports_each_claim(editor, claim_in):
    draft, other_draft, in_review = claim_in("draft"), claim_in("draft"), claim_in("in_review")
    response = logged_in(editor).post(CLAIMS, {
        "action": "submit_selected", "_selected_action": [draft.pk, other_draft.pk, in_review.pk],
    })
    assert response.status_code == 302
    messages = messages_of(response)
    assert sum("submitted for review" in m for m in messages) == 2
    [refusal] = [m for m in messages if "was not submitted" in m]
    assert in_review.text[:40] in refusal and "in review" in refusal
    assert set(Claim.objects.filter(pk__in=[draft.pk, other_draft.pk]).values_list("status", flat=True)) == {
        "in_review"}


def test_bulk_publish_publishes_ready_claims_and_names_the_refused_ones(editor, reviewer, claim_in):
    ready = claim_in("in_review")
    unready = factories.ClaimFactory(author=editor, text="Crime doubled in a year.")
    bring_to(unready, "in_review", author=editor, reviewer=reviewer)
    own = make_ready_claim(reviewer, text="Exports rose ten percent.")
    bring_to(own, "in_review", author=reviewer, reviewer=None)
    response = logged_in(reviewer).post(CLAIMS, {
        "action": "publish_selected", "_selected_action": [ready.pk, unready.pk, own.pk],
    })
    messages = messages_of(response)
    assert Claim.objects.get(pk=ready.pk).status == "published"
    assert Claim.objects.get(pk=unready.pk).status == "in_review"
    assert Claim.objects.get(pk=own.pk).status == "in_review"
    assert any("Crime doubled" in m and "choose a rating" in m for m in messages)
    assert any("Exports rose" in m and "another reviewer" in m for m in messages)
    assert any(ready.text[:30] in m and "published" in m for m in messages)


def test_there_is_no_bulk_delete_of_claims(admin_user):
    factories.ClaimFactory()
    assert "delete_selected" not in action_choices(logged_in(admin_user).get(CLAIMS).content.decode())


# --- Saving the claim and its evidence through the services -----------------------------------


def test_add_claim_with_evidence_goes_through_the_services(editor):
    quote = factories.QuoteFactory()
    other_source = factories.SourceFactory()
    claimant = factories.PersonFactory()
    response = logged_in(editor).post(f"{CLAIMS}add/", claim_form(
        text="Taxes will fall next year.", claimant=claimant.pk, rating=factories.rating().pk,
        rating_explanation="The budget says otherwise.",
        evidence_rows=[{"source": quote.source_id, "quote": quote.pk, "relation": "appearance"},
                       {"source": other_source.pk, "relation": "refutes", "note": "Budget law."}],
    ))
    assert response.status_code == 302, form_errors(response)
    claim = Claim.objects.get(text="Taxes will fall next year.")
    assert claim.author == editor and claim.status == "draft" and claim.slug
    assert sorted(claim.evidence.values_list("relation", flat=True)) == ["appearance", "refutes"]


def test_a_new_evidence_row_keeps_the_order_the_editor_set_else_goes_last(editor, claim_in):
    claim = claim_in("draft")  # two links: orders 0 and 1
    first, second = factories.SourceFactory(), factories.SourceFactory()
    response = logged_in(editor).post(change_url(claim), claim_form(
        claim, existing_evidence=claim.evidence.order_by("pk"),
        evidence_rows=[{"source": first.pk, "relation": "context", "order": "7"},
                       {"source": second.pk, "relation": "supports"}],
    ))
    assert response.status_code == 302, form_errors(response)
    assert claim.evidence.get(source=first).order == 7
    assert claim.evidence.get(source=second).order == 3


def test_evidence_with_a_quote_from_another_source_is_refused_and_nothing_is_saved(editor):
    claim = factories.ClaimFactory(author=editor)
    quote = factories.QuoteFactory()
    unrelated_source = factories.SourceFactory()
    response = logged_in(editor).post(change_url(claim), claim_form(
        claim, analysis="Should not be kept either.",
        evidence_rows=[{"source": unrelated_source.pk, "quote": quote.pk, "relation": "supports"}],
    ))
    assert response.status_code == 200  # the form again, with the editor's input
    html = response.content.decode()
    assert "The quote is not from that source." in html
    assert "Should not be kept either." in html
    assert any("The quote is not from that source." in m for m in messages_of(response))
    claim.refresh_from_db()
    assert claim.analysis == "" and not claim.evidence.exists()


def quote_autocomplete(user, **params) -> list[str]:
    response = logged_in(user).get("/admin/autocomplete/", {
        "term": "", "app_label": "claims", "model_name": "evidence", "field_name": "quote", **params,
    })
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_evidence_quote_autocomplete_offers_only_the_chosen_sources_quotes(editor):
    chosen = factories.QuoteFactory()
    same_source = factories.QuoteFactory(source=chosen.source, text="The mayor said")
    other_source = factories.QuoteFactory()
    # In the order they appear in the source's text.
    assert quote_autocomplete(editor, source=chosen.source_id) == [str(same_source.pk), str(chosen.pk)]
    assert quote_autocomplete(editor, source=chosen.source_id, term="mayor") == [str(same_source.pk)]
    # No source chosen yet (or a malformed one): every quote, as before.
    everything = {str(chosen.pk), str(same_source.pk), str(other_source.pk)}
    assert set(quote_autocomplete(editor)) == everything
    assert set(quote_autocomplete(editor, source="x")) == everything


def related_claim_autocomplete(user, headers=None, **params) -> list[str]:
    response = logged_in(user).get("/admin/autocomplete/", {
        "term": "", "app_label": "claims", "model_name": "claimrelation", "field_name": "to_claim",
        **params,
    }, headers=headers or {})
    assert response.status_code == 200
    return sorted(row["id"] for row in response.json()["results"])


def test_related_claim_autocomplete_never_offers_the_claim_itself(editor):
    own, other = factories.ClaimFactory(text="Taxes went up"), factories.ClaimFactory(text="Taxes went down")
    page = f"http://testserver/admin/claims/claim/{own.pk}/change/"
    assert related_claim_autocomplete(editor, headers={"Referer": page}) == [str(other.pk)]
    assert related_claim_autocomplete(editor, headers={"Referer": page}, term="taxes") == [str(other.pk)]
    assert related_claim_autocomplete(editor, exclude=own.pk) == [str(other.pk)]
    # From a new claim's page (nothing to leave out), both are offered.
    add_page = "http://testserver/admin/claims/claim/add/"
    both = sorted([str(own.pk), str(other.pk)])
    assert related_claim_autocomplete(editor, headers={"Referer": add_page}) == both


def test_claim_page_loads_the_quote_narrowing_script_after_djangos_autocomplete(editor):
    html = logged_in(editor).get(f"{CLAIMS}add/").content.decode()
    scripts = re.findall(r'<script src="[^"]*/static/([^"]+)"', html)
    narrowing = "claims/admin/evidence_quote_autocomplete.js"
    assert narrowing in scripts
    # It wraps $.fn.djangoAdminSelect2, so it must run after autocomplete.js defines it.
    assert scripts.index("admin/js/autocomplete.js") < scripts.index(narrowing)


def test_evidence_rows_are_updated_and_removed_through_the_services(editor, claim_in):
    claim = claim_in("draft")
    appearance, refutes = claim.evidence.order_by("pk")
    data = claim_form(claim, existing_evidence=[(appearance, {"note": "Where it was said."}),
                                                (refutes, {"DELETE": "on"})])
    response = logged_in(editor).post(change_url(claim), data)
    assert response.status_code == 302, form_errors(response)
    assert list(claim.evidence.values_list("note", flat=True)) == ["Where it was said."]


def test_published_claim_keeps_its_gates_when_a_reviewer_removes_evidence(reviewer, claim_in):
    claim = claim_in("published")
    appearance, refutes = claim.evidence.order_by("pk")
    response = logged_in(reviewer).post(change_url(claim), claim_form(
        claim, existing_evidence=[appearance, (refutes, {"DELETE": "on"})],
    ))
    assert response.status_code == 200
    assert any("would leave the published claim failing its publish gates: add at least one "
               "supporting, refuting or context source" in m for m in messages_of(response))
    assert claim.evidence.count() == 2


def test_editing_a_claim_records_the_topics_and_moves_the_version(editor):
    claim = factories.ClaimFactory(author=editor)
    topic = factories.TopicFactory()
    response = logged_in(editor).post(change_url(claim), claim_form(claim, topics=topic.pk))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert list(claim.topics.all()) == [topic] and claim.version > 1


def test_related_claims_are_linked_and_unlinked_through_the_services(editor):
    claim, other = factories.ClaimFactory(author=editor), factories.ClaimFactory()
    client = logged_in(editor)
    data = claim_form(claim, **management("relations_out", total=1),
                      **{"relations_out-0-kind": "contradicts", "relations_out-0-to_claim": other.pk,
                         "relations_out-0-note": ""})
    assert client.post(change_url(claim), data).status_code == 302
    relation = ClaimRelation.objects.get(from_claim=claim)
    assert (relation.to_claim, relation.kind, relation.created_by) == (other, "contradicts", editor)
    other_page = logged_in(editor).get(change_url(other)).content.decode()
    linking_here = re.search(r'<td class="field-from_claim">(.*?)</td>', other_page, re.S).group(1)
    assert claim.text in linking_here
    data = claim_form(claim, **management("relations_out", total=1, initial=1),
                      **{"relations_out-0-id": relation.pk, "relations_out-0-from_claim": claim.pk,
                         "relations_out-0-DELETE": "on"})
    assert client.post(change_url(claim), data).status_code == 302
    assert not ClaimRelation.objects.exists()


def test_claim_page_shows_corrections_and_review_log_read_only(other_reviewer, claim_in):
    claim = claim_in("published")
    html = logged_in(other_reviewer).get(change_url(claim)).content.decode()
    assert "Review log" in html and "Corrections" in html
    assert 'name="review_events-0-comment"' not in html


# --- Links and panels -----------------------------------------------------------------------


def test_public_claim_links_to_its_public_page_and_drafts_do_not(reviewer, claim_in):
    published, draft = claim_in("published"), claim_in("draft")
    assert published.get_absolute_url() in logged_in(reviewer).get(change_url(published)).content.decode()
    assert draft.get_absolute_url() not in logged_in(reviewer).get(change_url(draft)).content.decode()


def test_audit_trail_link_is_shown_to_who_may_read_it(admin_user, editor):
    claim = factories.ClaimFactory(author=editor)
    html = logged_in(admin_user).get(change_url(claim)).content.decode()
    link = re.search(r'href="([^"]+)"[^>]*>Audit trail<', html).group(1).replace("&amp;", "&")
    assert f"obj=claims.claim%3A{claim.pk}" in link
    trail = logged_in(admin_user).get(link)
    assert trail.status_code == 200
    # Editors and reviewers may read it too (migration claims/0008).
    assert "Audit trail" in logged_in(editor).get(change_url(claim)).content.decode()


def test_similar_claims_panel_suggests_a_paraphrase_and_not_an_unrelated_claim(editor):
    claim = factories.ClaimFactory(
        author=editor, text="Mexico agreed to deploy 10,000 National Guard members to the northern border.")
    twin = factories.ClaimFactory(
        text="Mexico will deploy 10,000 National Guard troops to its northern border.")
    unrelated = factories.ClaimFactory(text="Inflation in Argentina fell below 3 percent.")
    html = logged_in(editor).get(change_url(claim)).content.decode()
    assert change_url(twin) in html
    assert change_url(unrelated) not in html


# --- Changelist: queues, search, query plan ---------------------------------------------------


def listed(client, query: str = "") -> list[str]:
    html = client.get(CLAIMS + query).content.decode()
    return [html_module.unescape(text) for text in
            re.findall(r'<th class="field-short_text"><a href="[^"]+">([^<]+)</a>', html)]


def test_my_claims_and_waiting_for_my_review_queues(editor, reviewer, other_reviewer):
    mine = factories.ClaimFactory(author=editor, text="Mine, a draft.")
    assigned = factories.ClaimFactory(author=reviewer, assignee=editor, text="Assigned to the editor.")
    by_editor = make_ready_claim(editor, text="The editor's, in review.")
    bring_to(by_editor, "in_review", author=editor, reviewer=None)
    by_reviewer = make_ready_claim(reviewer, text="The reviewer's own, in review.")
    bring_to(by_reviewer, "in_review", author=reviewer, reviewer=None)

    assert sorted(listed(logged_in(editor), "?queue=mine")) == sorted(
        [mine.text, assigned.text, by_editor.text])
    assert listed(logged_in(reviewer), "?queue=to_review") == [by_editor.text]
    assert sorted(listed(logged_in(other_reviewer), "?queue=to_review")) == sorted(
        [by_editor.text, by_reviewer.text])
    assert "Waiting for my review" not in logged_in(editor).get(CLAIMS).content.decode()
    assert "Waiting for my review (2)" in logged_in(other_reviewer).get(CLAIMS).content.decode()


def test_search_matches_claim_words_prefixes_and_the_claimant(editor):
    person = factories.PersonFactory(name="Claudia Sheinbaum")
    factories.ClaimFactory(text="Drone flights are authorized by Mexico.", claimant=person)
    factories.ClaimFactory(text="Exports rose.")
    client = logged_in(editor)
    assert listed(client, "?q=drone+flight") == ["Drone flights are authorized by Mexico."]
    assert listed(client, "?q=Sheinb") == ["Drone flights are authorized by Mexico."]
    assert listed(client, "?q=%25%27") == ["Exports rose.", "Drone flights are authorized by Mexico."]


def changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CLAIMS).status_code == 200
    return len(queries)


def test_changelist_query_count_does_not_grow_with_rows(editor):
    """Session, user, 2 × permissions, filter choices (rating, topic, claimant, assignee), count,
    the page (claimant, rating and assignee joined), 2 × date hierarchy, and the count of
    published claims whose evidence changed (the "Evidence changed" link); for the readiness
    column of the page's drafts, their evidence (one read for the gates and the markup) and the
    rating scale."""
    client = logged_in(editor)
    factories.ClaimFactory(assignee=editor, rating=factories.rating())
    assert changelist_queries(client) == 15
    for _ in range(15):
        factories.ClaimFactory(assignee=factories.UserFactory(), rating=factories.rating("true"))
    assert changelist_queries(client) == 15


# --- The demo flow, through the login form ---------------------------------------------------


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def log_in_with_form(username: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/admin/login/")
    response = client.post("/admin/login/", {
        "username": username, "password": "pw", "next": "/admin/",
        "csrfmiddlewaretoken": csrf_token(page.content.decode()),
    })
    assert response.status_code == 302 and response["Location"] == "/admin/", response.content[:500]
    return client


def test_demo_flow_editor_creates_and_submits_reviewer_publishes(editor, reviewer):
    quote = factories.QuoteFactory()
    refuting = factories.SourceFactory()
    claimant = quote.speaker

    client = log_in_with_form(editor.username)
    add_page = client.get(f"{CLAIMS}add/").content.decode()
    response = client.post(f"{CLAIMS}add/", {
        **claim_form(
            text="The minister said taxes will fall next year.", claimant=claimant.pk,
            rating=factories.rating("false").pk, rating_explanation="The budget raises them.",
            evidence_rows=[
                {"source": quote.source_id, "quote": quote.pk, "relation": "appearance"},
                {"source": refuting.pk, "relation": "refutes"},
            ],
        ),
        "csrfmiddlewaretoken": csrf_token(add_page),
    })
    assert response.status_code == 302, form_errors(response)
    claim = Claim.objects.get(text="The minister said taxes will fall next year.")
    page = client.get(change_url(claim)).content.decode()
    assert "submit" in workflow_buttons(page)
    client.post(workflow_url(claim, "submit"), {"comment": "", "csrfmiddlewaretoken": csrf_token(page)})
    claim.refresh_from_db()
    assert claim.status == "in_review"

    client = log_in_with_form(reviewer.username)
    page = client.get(change_url(claim)).content.decode()
    assert "publish" in workflow_buttons(page)
    response = client.post(workflow_url(claim, "publish"), {"csrfmiddlewaretoken": csrf_token(page)})
    claim.refresh_from_db()
    assert claim.status == "published" and claim.reviewer == reviewer
    assert Evidence.objects.filter(claim=claim).count() == 2


# --- Deleting drafts, topics, the rating scale ----------------------------------------------


def test_only_a_draft_can_be_deleted_and_through_claim_delete(admin_user, editor, reviewer, claim_in):
    draft, published = claim_in("draft"), claim_in("published")
    client = logged_in(admin_user)
    assert client.get(f"{CLAIMS}{published.pk}/delete/").status_code == 403
    assert logged_in(reviewer).get(f"{CLAIMS}{draft.pk}/delete/").status_code == 403  # no such perm
    response = client.post(f"{CLAIMS}{draft.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=draft.pk).exists()
    assert Claim.objects.filter(pk=published.pk).exists()


def test_editors_add_topics_and_only_admins_edit_the_rating_scale(editor, admin_user):
    response = logged_in(editor).post("/admin/claims/topic/add/", {
        "name": "Security", "slug": "security", "_save": "Save"})
    assert response.status_code == 302, form_errors(response)
    rating = factories.rating("misleading")
    data = {"label": rating.label, "slug": rating.slug, "value": "", "description": "Out of context.",
            "order": rating.order, "_save": "Save"}
    assert logged_in(editor).post(f"/admin/claims/rating/{rating.pk}/change/", data).status_code == 403
    response = logged_in(admin_user).post(f"/admin/claims/rating/{rating.pk}/change/", data)
    assert response.status_code == 302, form_errors(response)
    rating.refresh_from_db()
    assert rating.description == "Out of context."


def test_saving_over_a_newer_change_is_refused(editor, reviewer):
    claim = factories.ClaimFactory(author=editor)
    page = logged_in(editor).get(change_url(claim)).content.decode()
    loaded = re.search(r'name="loaded_version" value="(\d+)"', page).group(1)
    services.claim_update(claim_id=claim.pk, actor=reviewer, analysis="The reviewer's note.")
    response = logged_in(editor).post(change_url(claim), claim_form(
        claim, analysis="The editor's stale copy.", loaded_version=loaded))
    assert response.status_code == 200
    assert any("has changed" in m for m in messages_of(response))
    claim.refresh_from_db()
    assert claim.analysis == "The reviewer's note."


def test_claim_page_shows_its_recent_changes_with_who_made_them(editor):
    claim = factories.ClaimFactory(author=editor)
    logged_in(editor).post(change_url(claim), claim_form(claim, analysis="Edited in admin."))
    html = logged_in(editor).get(change_url(claim)).content.decode()
    history = re.search(r'<div class="readonly"><table>(.*?)</table>', html, re.S).group(1)
    assert "<td>update</td><td>ed</td><td>analysis</td>" in history


def test_a_refused_deletion_is_a_message_not_an_error(admin_user, editor, monkeypatch):
    claim = factories.ClaimFactory(author=editor)

    def refuse(**kwargs):
        raise services.TransitionError("Only a draft can be deleted; retract a published claim instead.")

    monkeypatch.setattr(services, "claim_delete", refuse)  # as if it left the draft state meanwhile
    response = logged_in(admin_user).post(f"{CLAIMS}{claim.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and response["Location"] == change_url(claim)
    assert any("Only a draft can be deleted" in m for m in messages_of(response))
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_adding_a_claim_points_out_similar_claims(editor):
    twin = factories.ClaimFactory(
        text="Mexico will deploy 10,000 National Guard troops to its northern border.")
    response = logged_in(editor).post(f"{CLAIMS}add/", claim_form(
        text="Mexico agreed to deploy 10,000 National Guard members to the northern border."))
    assert response.status_code == 302, form_errors(response)
    [message] = [m for m in messages_of(response) if "similar" in m]
    assert change_url(twin) in message


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["Editor", "Reviewer"])
def test_roles_can_read_the_audit_trail(client, role):
    """Editors and reviewers follow the claim page's audit-trail link to the claim's events."""
    from tests import factories

    user = factories.UserFactory(username=f"audit-{role.lower()}", groups=[role])
    claim = factories.ClaimFactory(author=user)
    client.force_login(user)
    page = client.get(f"/admin/claims/claim/{claim.pk}/change/")
    assert page.status_code == 200
    assert b"pghistory/events/" in page.content
    events = client.get(
        "/admin/pghistory/events/", {"obj": f"claims.claim:{claim.pk}", "method": "tracks"}
    )
    assert events.status_code == 200


def test_the_admin_detects_an_empty_language_and_keeps_the_one_an_editor_sets(editor):
    client = log_in_with_form(editor.username)
    add_page = client.get(f"{CLAIMS}add/").content.decode()
    spanish = "La presidenta aseguró este martes que no habrá aumento de impuestos el próximo año."
    response = client.post(f"{CLAIMS}add/", {
        **claim_form(text=spanish, language=""), "csrfmiddlewaretoken": csrf_token(add_page)})
    assert response.status_code == 302, form_errors(response)
    claim = Claim.objects.get(text=spanish)
    assert (claim.language, claim.language_source) == ("es", "detected")

    page = client.get(change_url(claim)).content.decode()
    assert "Detected from the text" in page
    response = client.post(change_url(claim), {
        **claim_form(claim, language="es-MX", loaded_version=claim.version, claimant=""),
        "csrfmiddlewaretoken": csrf_token(page)})
    assert response.status_code == 302, form_errors(response)
    claim.refresh_from_db()
    assert (claim.language, claim.language_source) == ("es-MX", "given")
    page = client.get(change_url(claim)).content.decode()
    response = client.post(change_url(claim), {
        **claim_form(claim, text="The president said taxes will not rise next year at all.",
                     language="es-MX", loaded_version=claim.version, claimant=""),
        "csrfmiddlewaretoken": csrf_token(page)})
    assert response.status_code == 302, form_errors(response)
    claim.refresh_from_db()
    assert (claim.language, claim.language_source) == ("es-MX", "given")
