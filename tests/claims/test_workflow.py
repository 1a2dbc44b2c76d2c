"""The workflow table (claims/workflow.py): the states' edit rule, the readiness check, and that
the admin's buttons and bulk actions and the API's routes and schema are built from the table —
an action added to the table with its one service is served everywhere, nothing else touched."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator

import factcheck.api_urls  # noqa: F401  (registers the routes' "oid" converter)
from claims import workflow
from claims.api import workflow_urlpatterns
from claims.models import Claim, ReviewEvent
from claims.workflow import ACTIONS, STATES, Action, can_edit, claim_publish_problems, transition
from tests import factories
from tests.api_helpers import assert_error, session_client

pytestmark = pytest.mark.django_db

Status = Claim.Status


# --- A new action: one table entry and one service ----------------------------------------------


@transaction.atomic
def claim_withdraw(*, claim_id: int, actor, comment: str = "") -> Claim:
    """In review → draft, by its author's desk (the service of the test's extra action)."""
    return transition("withdraw", claim_id=claim_id, actor=actor, inputs={"comment": comment})


WITHDRAW = Action(
    "withdraw", sources=(Status.IN_REVIEW,), target=Status.DRAFT,
    permission="claims.submit_claim", service=f"{__name__}.claim_withdraw",
    label="Withdraw from review", done="withdrawn from review", refused="not withdrawn",
    summary="Withdraw a claim from review", api_path="withdraw",
    inputs=(workflow.OPTIONAL_COMMENT,), bulk="Withdraw selected claims from review",
)

urlpatterns = [path("api/v1/", include((workflow_urlpatterns({**ACTIONS, "withdraw": WITHDRAW}),
                                        "api")))]


@pytest.fixture
def with_withdraw(monkeypatch):
    monkeypatch.setitem(ACTIONS, "withdraw", WITHDRAW)


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_new_action_gets_its_admin_button_and_bulk_action(with_withdraw, editor, claim_in):
    claim = claim_in("in_review")
    client = admin_client(editor)
    page = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert set(re.findall(r'name="_workflow_(\w+)"', page)) == {"withdraw"}
    assert 'id="id_wf_comment_withdraw"' in page
    changelist = client.get("/admin/claims/claim/").content.decode()
    select = changelist.split('name="action"')[1].split("</select>")[0]
    workflow = [a for a in re.findall(r'<option value="(\w+)"', select) if not a.startswith("export_")]
    assert workflow == ["submit_selected", "withdraw_selected"]  # (the exports: test_admin_exports)

    response = client.post(f"/admin/claims/claim/{claim.pk}/workflow/withdraw/", {"comment": "Not yet."})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT
    event = ReviewEvent.objects.filter(claim=claim).latest("id")
    assert (event.from_status, event.to_status, event.comment) == ("in_review", "draft", "Not yet.")

    other = claim_in("in_review")
    response = client.post("/admin/claims/claim/", {"action": "withdraw_selected",
                                                    "_selected_action": [other.pk, claim.pk]},
                           follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert f"“{other.text}” withdrawn from review." in messages
    assert f"“{claim.text}” was not withdrawn: Cannot withdraw a claim that is draft." in messages


@pytest.mark.urls(__name__)
def test_a_new_action_gets_its_api_route(with_withdraw, editor, claim_in, outsider):
    claim = claim_in("in_review")
    assert_error(session_client(outsider).post(f"/api/v1/claims/{claim.pk}/withdraw/", {},
                                               format="json"), 404, "not_found")  # private
    assert_error(session_client(editor).post(f"/api/v1/claims/{claim.pk}/withdraw/",
                                             {"status": "draft"}, format="json"), 400)
    response = session_client(editor).post(f"/api/v1/claims/{claim.pk}/withdraw/",
                                           {"comment": "Wrong claimant."}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response["ETag"] == f'"v{Claim.objects.get(pk=claim.pk).version}"'
    assert_error(session_client(editor).post(f"/api/v1/claims/{claim.pk}/withdraw/", {},
                                             format="json"), 409, "illegal_transition")


def test_the_api_routes_and_the_schema_come_from_the_table():
    patterns = workflow_urlpatterns({**ACTIONS, "withdraw": WITHDRAW})
    assert [(str(p.pattern), p.name) for p in patterns] == [
        ("claims/<oid:pk>/submit/", "claim-submit"),
        ("claims/<oid:pk>/request-changes/", "claim-request-changes"),
        ("claims/<oid:pk>/publish/", "claim-publish"),
        ("claims/<oid:pk>/retract/", "claim-retract"),
        ("claims/<oid:pk>/corrections/", "claim-corrections"),
        ("claims/<oid:pk>/dismiss-attention/", "claim-dismiss-attention"),
        ("claims/<oid:pk>/withdraw/", "claim-withdraw"),
    ]
    schema = SchemaGenerator(patterns=[path("api/v1/", include(patterns))]).get_schema(public=True)
    withdraw = schema["paths"]["/api/v1/claims/{id}/withdraw/"]["post"]
    assert withdraw["summary"] == "Withdraw a claim from review"
    assert withdraw["description"] == (
        "Moves a claim from in review to draft. Needs the `claims.submit_claim` permission. "
        "Answers with the claim.")
    body = withdraw["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert schema["components"]["schemas"][body.rsplit("/", 1)[1]]["properties"] == {
        "comment": {"type": "string", "maxLength": 5000}}
    examples = withdraw["responses"]["409"]["content"]["application/json"]["examples"]
    assert examples["IllegalTransition"]["value"]["error"]["message"] == (
        "Cannot withdraw a claim that is draft.")
    publish = schema["paths"]["/api/v1/claims/{id}/publish/"]["post"]["responses"]
    assert set(publish["403"]["content"]["application/json"]["examples"]) == {"Role", "FourEyes"}
    assert set(publish["409"]["content"]["application/json"]["examples"]) == {
        "IllegalTransition", "PublishGate"}
    request_changes = schema["paths"]["/api/v1/claims/{id}/request-changes/"]["post"]["responses"]
    assert request_changes["400"]["content"]["application/json"]["examples"]["CommentMissing"][
        "value"]["error"]["code"] == "comment_required"


# --- The table itself ------------------------------------------------------------------------


def test_every_action_moves_between_known_states_and_names_its_service():
    for action in ACTIONS.values():
        assert set(action.sources) <= set(STATES) and action.target in STATES
        assert action.service_function.__name__ == f"claim_{action.name}"


def test_can_edit_follows_the_states_table(editor, reviewer, claim_in):
    draft, in_review = claim_in("draft"), claim_in("in_review")
    published, retracted = claim_in("published"), claim_in("retracted")
    assert [can_edit(c, editor) for c in (None, draft, in_review, published, retracted)] == [
        True, True, True, False, False]
    assert [can_edit(c, reviewer) for c in (draft, in_review, published, retracted)] == [
        True, True, True, False]


def test_claim_publish_problems_names_every_missing_item(editor):
    claim = factories.ClaimFactory(author=editor, rating=None, claimant=None, claim_date=None,
                                   rating_explanation="")
    codes = [problem["code"] for problem in claim_publish_problems(claim)]
    assert codes[:6] == ["rating", "rating_explanation", "claimant", "claim_date", "appearance",
                         "evidence"]


def test_a_ready_claim_has_no_publish_problems(claim_in):
    assert claim_publish_problems(claim_in("in_review")) == []
