"""Publish gates that check the evidence itself (claims.workflow.claim_publish_problems):

- every quote a claim cites is anchored in its source's snapshot, unless a reviewer recorded an
  override with the reason (claims.services.evidence_anchor_override), which the review log and
  the public page show;
- the appearance and the other evidence come from at least two different sources;
- the refusal lists every problem, on publish and on an edit of a published claim.

The reproduced bug: a quote typed into a source but absent from its text was saved as
Unverified, cited, and the claim was published rated True, the same source counting as both the
appearance and the other evidence.
"""

from __future__ import annotations

import datetime as dt

import pytest

from claims import services
from claims.demo import load_demo
from claims.errors import FourEyesError, PublishGateError, RoleError
from claims.models import Claim, Evidence, ReviewEvent
from claims.workflow import claim_publish_problems
from factcheck.actors import SYSTEM
from factcheck.errors import Conflict, InvalidInput
from sources import services as source_services
from tests import factories
from tests.api_helpers import assert_error, session_client
from tests.conftest import bring_to

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

SNAPSHOT = 'The minister said "taxes will fall next year" at a press conference.'
TYPED = "taxes will fall by half next year"  # not in the snapshot: saved as unverified


@pytest.fixture
def article():
    return factories.SourceFactory(title="Minister on taxes", content=SNAPSHOT)


@pytest.fixture
def unverified_quote(article):
    quote = source_services.quote_create(
        actor=SYSTEM, source=article, speaker=factories.PersonFactory(name="The Minister"),
        text=TYPED,
    )
    assert quote.anchor_status == "unverified"
    return quote


def rated_claim(author, **fields):
    return factories.ClaimFactory(
        author=author, rating=factories.rating("true"),
        rating_explanation="The budget says so.", **fields,
    )


def cite(claim, source, relation, quote=None):
    return factories.EvidenceFactory(claim=claim, source=source, quote=quote, relation=relation)


@pytest.fixture
def reproduced(editor, article, unverified_quote):
    """The claim of the bug report: its appearance cites the unverified quote, its "other"
    evidence is the same source; submitted for review."""
    claim = rated_claim(editor)
    cite(claim, article, "appearance", unverified_quote)
    cite(claim, article, "supports")
    return bring_to(claim, "in_review", author=editor, reviewer=None)


def codes(problems) -> list[str]:
    return [problem["code"] for problem in problems]


# --- Publish --------------------------------------------------------------------------------


def test_publishing_a_claim_citing_an_unverified_quote_from_one_source_lists_both_problems(
    reproduced, reviewer, unverified_quote, article
):
    error = assert_error(
        session_client(reviewer).post(f"/api/v1/claims/{reproduced.pk}/publish/", {},
                                      format="json"), 409, "publish_gate")
    missing = error["fields"]["missing"]
    assert codes(missing) == ["quote_not_anchored", "sources_not_distinct"]
    evidence = reproduced.evidence.get(relation="appearance")
    assert missing[0] == {
        "code": "quote_not_anchored",
        "message": f"the quote “{TYPED}” (“Minister on taxes”) is unverified: these words are not "
                   "in the source's text — fix the quote, or have a reviewer record an override "
                   "with the reason",
        "evidence": evidence.pk, "quote": unverified_quote.pk, "anchor_status": "unverified",
    }
    assert missing[1] == {
        "code": "sources_not_distinct",
        "message": "the appearance and the other evidence all cite the same source (“Minister on "
                   "taxes”): add a supporting, refuting or context source other than where the "
                   "claim appeared",
        "source": article.pk,
    }
    assert error["message"].startswith("The claim cannot be published yet: the quote “")
    reproduced.refresh_from_db()
    assert reproduced.status == "in_review"


def test_every_problem_is_listed_with_the_old_ones(editor, reviewer, article, unverified_quote):
    claim = factories.ClaimFactory(author=editor, claim_date=None)  # no rating, no explanation
    cite(claim, article, "appearance", unverified_quote)
    cite(claim, article, "context")
    bring_to(claim, "in_review", author=editor, reviewer=None)
    with pytest.raises(PublishGateError) as refused:
        services.claim_publish(claim_id=claim.pk, actor=reviewer)
    assert codes(refused.value.missing) == [
        "rating", "rating_explanation", "claim_date", "quote_not_anchored", "sources_not_distinct",
    ]


@pytest.mark.parametrize("status", ["drifted", "orphaned"])
def test_a_drifted_or_orphaned_quote_blocks_publication_too(editor, reviewer, status):
    anchored = factories.QuoteFactory()
    claim = rated_claim(editor)
    cite(claim, anchored.source, "appearance", anchored)
    cite(claim, factories.SourceFactory(), "refutes")
    assert claim_publish_problems(claim) == []
    type(anchored).objects.filter(pk=anchored.pk).update(anchor_status=status)
    problems = claim_publish_problems(claim)
    assert codes(problems) == ["quote_not_anchored"]
    assert problems[0]["anchor_status"] == status


def test_two_different_sources_pass_and_evidence_without_quotes_needs_no_anchor(editor, reviewer):
    claim = rated_claim(editor)
    cite(claim, factories.SourceFactory(), "appearance")
    cite(claim, factories.SourceFactory(), "context")
    bring_to(claim, "published", author=editor, reviewer=reviewer)
    assert claim.status == "published"


def test_an_appearance_source_cited_again_as_other_evidence_passes_with_a_second_source(
    editor, reviewer, article
):
    claim = rated_claim(editor)
    cite(claim, article, "appearance")
    cite(claim, article, "context")
    cite(claim, factories.SourceFactory(), "refutes")
    assert claim_publish_problems(claim) == []


# --- The reviewer's override --------------------------------------------------------------------


def test_a_reviewers_override_lets_the_quote_pass_and_is_recorded(
    reproduced, reviewer, other_reviewer, unverified_quote
):
    cite(reproduced, factories.SourceFactory(title="Broadcast"), "refutes")
    appearance = reproduced.evidence.get(relation="appearance")
    response = session_client(reviewer).post(
        f"/api/v1/evidence/{appearance.pk}/override/",
        {"reason": "  Checked against the broadcast recording.  "}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["anchor_override_reason"] == "Checked against the broadcast recording."
    appearance.refresh_from_db()
    assert (appearance.anchor_override_by, appearance.anchor_override_reason) == (
        reviewer, "Checked against the broadcast recording.")
    assert appearance.anchor_override_at is not None
    event = ReviewEvent.objects.filter(claim=reproduced).latest("id")
    assert (event.actor, event.from_status, event.to_status) == (reviewer, "in_review", "in_review")
    assert event.comment == (f"Quote accepted although unverified (not found in the snapshot): "
                             f"“{TYPED}” — Checked against the broadcast recording.")

    published = services.claim_publish(claim_id=reproduced.pk, actor=other_reviewer)
    assert published.status == "published"


def test_the_override_is_shown_publicly_under_the_quote(reproduced, reviewer, other_reviewer):
    cite(reproduced, factories.SourceFactory(title="Broadcast"), "refutes")
    appearance = reproduced.evidence.get(relation="appearance")
    services.evidence_anchor_override(evidence_id=appearance.pk, actor=reviewer,
                                      reason="Checked against the broadcast recording.")
    services.claim_publish(claim_id=reproduced.pk, actor=other_reviewer)
    page = session_client(None).get(f"/claims/{reproduced.slug}/").content.decode()
    assert ("Not found verbatim in our copy of the source; checked by our reviewer: Checked "
            "against the broadcast recording.") in page
    assert "We could not find these exact words" not in page


def test_only_a_reviewer_who_did_not_write_the_claim_may_override(
    editor, reviewer, article, unverified_quote
):
    claim = rated_claim(editor)
    evidence = cite(claim, article, "appearance", unverified_quote)
    with pytest.raises(RoleError):
        services.evidence_anchor_override(evidence_id=evidence.pk, actor=editor, reason="Heard it.")
    assert_error(session_client(editor).post(f"/api/v1/evidence/{evidence.pk}/override/",
                                             {"reason": "Heard it."}, format="json"),
                 403, "permission_denied")
    own = rated_claim(reviewer)
    own_evidence = cite(own, article, "appearance", unverified_quote)
    with pytest.raises(FourEyesError, match="another reviewer must check its quotes"):
        services.evidence_anchor_override(evidence_id=own_evidence.pk, actor=reviewer,
                                          reason="Heard it myself.")
    assert not Evidence.objects.exclude(anchor_override_reason="").exists()


def test_an_override_needs_a_reason_and_an_unanchored_quote(editor, reviewer, unverified_quote):
    claim = rated_claim(editor)
    evidence = cite(claim, unverified_quote.source, "appearance", unverified_quote)
    with pytest.raises(InvalidInput) as blank:
        services.evidence_anchor_override(evidence_id=evidence.pk, actor=reviewer, reason="  ")
    assert blank.value.code == "reason_required"
    anchored = factories.QuoteFactory()
    fine = cite(claim, anchored.source, "supports", anchored)
    with pytest.raises(Conflict) as nothing:
        services.evidence_anchor_override(evidence_id=fine.pk, actor=reviewer, reason="Sure.")
    assert nothing.value.code == "quote_anchored"
    no_quote = cite(claim, factories.SourceFactory(), "context")
    error = assert_error(session_client(reviewer).post(
        f"/api/v1/evidence/{no_quote.pk}/override/", {"reason": "Sure."}, format="json"), 400)
    assert error["message"] == "This evidence cites no quote."
    assert_error(session_client(reviewer).post(
        f"/api/v1/evidence/{evidence.pk}/override/", {}, format="json"), 400)


def test_choosing_another_quote_drops_the_override(editor, reviewer, article, unverified_quote):
    claim = rated_claim(editor)
    evidence = cite(claim, article, "appearance", unverified_quote)
    services.evidence_anchor_override(evidence_id=evidence.pk, actor=reviewer, reason="Checked.")
    other = source_services.quote_create(actor=SYSTEM, source=article,
                                         speaker=unverified_quote.speaker, text="taxes will fall")
    evidence = services.evidence_update(evidence_id=evidence.pk, actor=editor, quote=other)
    assert (evidence.anchor_override_reason, evidence.anchor_override_by) == ("", None)


# --- Edits of a published claim keep the gates --------------------------------------------------


@pytest.fixture
def published(editor, reviewer):
    anchored = factories.QuoteFactory()
    claim = rated_claim(editor)
    cite(claim, anchored.source, "appearance", anchored)
    cite(claim, factories.SourceFactory(), "refutes")
    return bring_to(claim, "published", author=editor, reviewer=reviewer)


def test_citing_an_unverified_quote_on_a_published_claim_is_refused(
    published, reviewer, unverified_quote
):
    error = assert_error(session_client(reviewer).post("/api/v1/evidence/", {
        "claim": published.pk, "source": unverified_quote.source_id,
        "quote": unverified_quote.pk, "relation": "context"}, format="json"), 409, "publish_gate")
    assert codes(error["fields"]["missing"]) == ["quote_not_anchored"]
    assert error["message"].startswith(
        "The change would leave the published claim failing its publish gates: the quote “")
    assert published.evidence.count() == 2


def test_moving_the_other_evidence_to_the_appearances_source_is_refused(published, reviewer):
    appearance = published.evidence.get(relation="appearance")
    other = published.evidence.get(relation="refutes")
    with pytest.raises(PublishGateError) as refused:
        services.evidence_update(evidence_id=other.pk, actor=reviewer, source=appearance.source)
    assert codes(refused.value.missing) == ["sources_not_distinct"]
    other.refresh_from_db()
    assert other.source_id != appearance.source_id


def test_removing_the_only_other_evidence_lists_the_problem(published, reviewer):
    other = published.evidence.get(relation="refutes")
    etag = session_client(reviewer).get(f"/api/v1/evidence/{other.pk}/")["ETag"]
    error = assert_error(session_client(reviewer).delete(f"/api/v1/evidence/{other.pk}/",
                                                         HTTP_IF_MATCH=etag), 409, "publish_gate")
    assert error["fields"]["missing"] == [
        {"code": "evidence", "message": "add at least one supporting, refuting or context source"}]
    assert published.evidence.count() == 2


def test_an_edit_of_a_published_claim_may_not_add_a_problem(published, reviewer):
    with pytest.raises(PublishGateError) as refused:
        services.claim_update(claim_id=published.pk, actor=reviewer, rating_explanation="  ")
    assert codes(refused.value.missing) == ["rating_explanation"]
    published.refresh_from_db()
    assert published.rating_explanation == "The budget says so."


def test_evidence_that_changed_by_itself_does_not_block_unrelated_edits(published, reviewer):
    """A quote that drifted after publication is flagged for a reviewer (test_evidence_health);
    fixing a typo in the analysis meanwhile is not refused."""
    quote = published.evidence.get(relation="appearance").quote
    type(quote).objects.filter(pk=quote.pk).update(anchor_status="drifted")
    claim = services.claim_update(claim_id=published.pk, actor=reviewer, analysis="Typo fixed.")
    assert claim.analysis == "Typo fixed."


# --- The demo and the README walkthrough --------------------------------------------------------


def test_the_demos_published_claims_pass_every_gate():
    load_demo()
    published = Claim.objects.filter(status="published")
    assert published.count() == 2
    for claim in published:
        assert claim_publish_problems(claim) == [], claim


def test_the_readme_walkthrough_publishes_a_claim():
    """README "Try the workflow", through the services the admin calls: the editor adds a claim
    with a claimant, a date, a rating and its explanation, the appearance (the Voz.us article)
    and evidence from another source (the desk's notes), submits; the reviewer publishes."""
    from django.contrib.auth import get_user_model

    from claims.demo import ARTICLE_URL, NOTES_URL
    from claims.models import Rating
    from sources.models import Person, Source

    load_demo()
    users = {user.username: user for user in get_user_model().objects.all()}
    claim = services.claim_create(
        actor=users["editor"], text="Sheinbaum said Mexico will not accept U.S. troops.",
        claimant=Person.objects.get(slug="claudia-sheinbaum"), claim_date=dt.date(2025, 5, 3),
        rating=Rating.objects.get(slug="true"), rating_explanation="She said so in public.",
    )
    article = Source.objects.get(url=ARTICLE_URL)
    services.evidence_add(claim_id=claim.pk, actor=users["editor"], source=article,
                          quote=article.quotes.first(), relation="appearance")
    services.evidence_add(claim_id=claim.pk, actor=users["editor"],
                          source=Source.objects.get(url=NOTES_URL), relation="supports")
    services.claim_submit(claim_id=claim.pk, actor=users["editor"])
    assert services.claim_publish(claim_id=claim.pk, actor=users["reviewer"]).status == "published"
