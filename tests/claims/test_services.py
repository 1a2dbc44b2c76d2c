"""The editorial workflow: every state × transition × role, four eyes, publish gates."""

from __future__ import annotations

import pytest

from claims import services
from claims.models import Claim, Correction, ReviewEvent
from claims.workflow import ACTIONS
from factcheck.errors import InvalidInput, StaleVersion
from tests import factories
from tests.conftest import bring_to, make_ready_claim

STATES = ["draft", "in_review", "published", "retracted"]
# action -> the single state it may start from
LEGAL_FROM = {
    "submit": "draft",
    "request_changes": "in_review",
    "publish": "in_review",
    "retract": "published",
    "correct": "published",
}
# role -> actions the role may perform (when the state allows)
ROLE_ACTIONS = {
    "editor": {"submit"},
    "reviewer": {"submit", "request_changes", "publish", "retract", "correct"},
    "admin": {"submit", "request_changes", "publish", "retract", "correct"},
    "outsider": set(),
}


def run(action: str, claim: Claim, actor):
    kwargs = {"claim_id": claim.pk, "actor": actor}
    if action == "request_changes":
        kwargs["comment"] = "Please add a second source."
    if action == "retract":
        kwargs["note"] = "We got this wrong."
    if action == "correct":
        kwargs.update(kind="correction", note="Fixed a date.")
    return getattr(services, f"claim_{action}")(**kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(LEGAL_FROM))
@pytest.mark.parametrize("role", list(ROLE_ACTIONS))
def test_transition_matrix(state, action, role, editor, reviewer, admin_user, outsider):
    """Each (state, action, role) succeeds exactly when the table and the role allow it."""
    author = factories.UserFactory(username="author", groups=["Editor"])
    claim = bring_to(make_ready_claim(author), state, author=author, reviewer=reviewer)
    actor = {"editor": editor, "reviewer": reviewer, "admin": admin_user, "outsider": outsider}[role]
    events_before = ReviewEvent.objects.filter(claim=claim).count()

    if action not in ROLE_ACTIONS[role]:
        with pytest.raises(services.RoleError):
            run(action, claim, actor)
    elif LEGAL_FROM[action] != state:
        with pytest.raises(services.TransitionError) as excinfo:
            run(action, claim, actor)
        assert excinfo.value.code == "illegal_transition"
    else:
        run(action, claim, actor)
        claim.refresh_from_db()
        target = ACTIONS[action].target
        assert claim.status == target
        if action != "correct":
            event = ReviewEvent.objects.filter(claim=claim).latest("id")
            assert (event.from_status, event.to_status, event.actor) == (state, target, actor)
        return
    claim.refresh_from_db()
    assert claim.status == state
    assert ReviewEvent.objects.filter(claim=claim).count() == events_before


@pytest.mark.django_db
@pytest.mark.parametrize("author_role", ["Reviewer", None])
def test_author_cannot_publish_own_claim(author_role, reviewer):
    """Four eyes: not even a reviewer or a superuser may publish a claim they wrote."""
    author = (
        factories.UserFactory(username="self", groups=[author_role])
        if author_role else factories.UserFactory(username="self", is_superuser=True)
    )
    claim = make_ready_claim(author)
    services.claim_submit(claim_id=claim.pk, actor=author)
    with pytest.raises(services.FourEyesError):
        services.claim_publish(claim_id=claim.pk, actor=author)
    claim.refresh_from_db()
    assert claim.status == "in_review"
    services.claim_publish(claim_id=claim.pk, actor=reviewer)
    claim.refresh_from_db()
    assert (claim.status, claim.reviewer, claim.published_at is not None) == (
        "published", reviewer, True
    )


@pytest.mark.django_db
def test_publish_gate_reports_every_missing_item(editor, reviewer):
    claim = factories.ClaimFactory(author=editor, claimant=None, claim_date=None)
    services.claim_submit(claim_id=claim.pk, actor=editor)
    with pytest.raises(services.PublishGateError) as excinfo:
        services.claim_publish(claim_id=claim.pk, actor=reviewer)
    codes = {item["code"] for item in excinfo.value.missing}
    assert codes == {"rating", "rating_explanation", "claimant", "claim_date", "appearance",
                     "evidence"}
    assert excinfo.value.status == 409
    claim.refresh_from_db()
    assert claim.status == "in_review"


@pytest.mark.django_db
def test_publish_gate_needs_evidence_besides_the_appearance(editor, reviewer):
    claim = factories.ClaimFactory(
        author=editor, rating=factories.rating("true"), rating_explanation="Right."
    )
    factories.EvidenceFactory(claim=claim, relation="appearance")
    services.claim_submit(claim_id=claim.pk, actor=editor)
    with pytest.raises(services.PublishGateError) as excinfo:
        services.claim_publish(claim_id=claim.pk, actor=reviewer)
    assert [m["code"] for m in excinfo.value.missing] == ["evidence"]


@pytest.mark.django_db
def test_request_changes_needs_a_comment(claim_in, reviewer):
    claim = claim_in("in_review")
    with pytest.raises(InvalidInput):
        services.claim_request_changes(claim_id=claim.pk, actor=reviewer, comment="  ")
    claim.refresh_from_db()
    assert claim.status == "in_review"


@pytest.mark.django_db
def test_retraction_needs_a_note_and_records_a_correction(claim_in, reviewer):
    claim = claim_in("published")
    with pytest.raises(InvalidInput):
        services.claim_retract(claim_id=claim.pk, actor=reviewer, note="")
    services.claim_retract(claim_id=claim.pk, actor=reviewer, note="Wrong person quoted.")
    correction = Correction.objects.get(claim=claim)
    assert (correction.kind, correction.note) == ("retraction", "Wrong person quoted.")


@pytest.mark.django_db
def test_rating_change_records_old_and_new_and_keeps_published(claim_in, other_reviewer):
    claim = claim_in("published", rating="false")
    correction = services.claim_correct(
        claim_id=claim.pk, actor=other_reviewer, kind="rating_change", note="New data.",
        new_rating=factories.rating("half-true"),
    )
    claim.refresh_from_db()
    assert claim.status == "published"
    assert claim.rating.slug == "half-true"
    assert (correction.old_rating.slug, correction.new_rating.slug) == ("false", "half-true")


@pytest.mark.django_db
def test_rating_change_by_the_author_is_refused(reviewer, other_reviewer):
    claim = bring_to(make_ready_claim(reviewer), "published", author=reviewer,
                     reviewer=other_reviewer)
    with pytest.raises(services.FourEyesError):
        services.claim_correct(claim_id=claim.pk, actor=reviewer, kind="rating_change",
                               note="x", new_rating=factories.rating("true"))


@pytest.mark.django_db
def test_rating_change_by_an_editor_is_refused(claim_in, editor):
    claim = claim_in("published")
    with pytest.raises(services.RoleError):
        services.claim_correct(claim_id=claim.pk, actor=editor, kind="rating_change",
                               note="x", new_rating=factories.rating("true"))


@pytest.mark.django_db
def test_version_moves_on_every_write_and_stale_edits_are_refused(editor):
    claim = services.claim_create(actor=editor, text="Crime doubled in a year.")
    assert claim.version == 1
    claim = services.claim_update(claim_id=claim.pk, actor=editor, expected_version=1,
                                  analysis="Police data.")
    assert claim.version == 2
    with pytest.raises(StaleVersion):
        services.claim_update(claim_id=claim.pk, actor=editor, expected_version=1, analysis="x")
    Claim.objects.filter(pk=claim.pk).update(analysis="bulk")
    claim.refresh_from_db()
    assert claim.version == 3


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["status", "published_at", "reviewer", "version", "author", "slug"])
def test_protected_fields_cannot_be_edited(editor, field):
    claim = services.claim_create(actor=editor, text="Exports rose.")
    with pytest.raises(InvalidInput):
        services.claim_update(claim_id=claim.pk, actor=editor, **{field: None})


@pytest.mark.django_db
def test_published_rating_changes_only_through_a_correction(claim_in, reviewer):
    claim = claim_in("published")
    with pytest.raises(services.TransitionError):
        services.claim_update(claim_id=claim.pk, actor=reviewer, rating=factories.rating("true"))


@pytest.mark.django_db
def test_evidence_update_and_remove_refuse_a_stale_version(editor, claim_in):
    """The version the caller loaded is compared under the claim's lock; nothing is written."""
    claim = claim_in("draft")
    evidence = claim.evidence.order_by("pk").first()
    loaded = services.evidence_version(evidence)
    services.evidence_update(evidence_id=evidence.pk, actor=editor, expected_version=loaded,
                             note="First.")
    with pytest.raises(StaleVersion):
        services.evidence_update(evidence_id=evidence.pk, actor=editor, expected_version=loaded,
                                 note="Second.")
    with pytest.raises(StaleVersion):
        services.evidence_remove(evidence_id=evidence.pk, actor=editor, expected_version=loaded)
    evidence.refresh_from_db()
    assert evidence.note == "First."


# --- Language: given by an editor (kept) or detected from the text ---------------------------

SPANISH = "La presidenta aseguró este martes que no habrá aumento de impuestos el próximo año."
ENGLISH = "The president said on Tuesday that taxes would not rise next year, despite the deficit."


@pytest.mark.django_db
def test_a_claim_without_a_language_gets_the_detected_one(editor):
    spanish = services.claim_create(actor=editor, text=SPANISH)
    english = services.claim_create(actor=editor, text=ENGLISH)
    short = services.claim_create(actor=editor, text="Taxes up")  # too short to tell
    assert (spanish.language, spanish.language_source) == ("es", "detected")
    assert (english.language, english.language_source) == ("en", "detected")
    assert (short.language, short.language_source) == ("en", "default")  # settings.LANGUAGE_CODE


@pytest.mark.django_db
def test_an_editors_language_survives_later_edits(editor):
    claim = services.claim_create(actor=editor, text=ENGLISH, language="es_mx")
    assert (claim.language, claim.language_source) == ("es-MX", "given")
    claim = services.claim_update(claim_id=claim.pk, actor=editor, text=ENGLISH + " Really.")
    assert (claim.language, claim.language_source) == ("es-MX", "given")
    claim.refresh_from_db()
    assert (claim.language, claim.language_source) == ("es-MX", "given")


@pytest.mark.django_db
def test_a_detected_language_follows_the_text_and_empty_hands_a_given_one_back(editor):
    claim = services.claim_create(actor=editor, text=ENGLISH)
    claim = services.claim_update(claim_id=claim.pk, actor=editor, text=SPANISH)
    assert (claim.language, claim.language_source) == ("es", "detected")
    claim = services.claim_update(claim_id=claim.pk, actor=editor, language="fr")
    assert (claim.language, claim.language_source) == ("fr", "given")
    claim = services.claim_update(claim_id=claim.pk, actor=editor, language="")
    assert (claim.language, claim.language_source) == ("es", "detected")


@pytest.mark.django_db
def test_a_malformed_language_is_refused(editor):
    with pytest.raises(InvalidInput) as error:
        services.claim_create(actor=editor, text=ENGLISH, language="Spanish!")
    assert error.value.code == "invalid_language"
    assert "language" in error.value.fields


@pytest.mark.django_db
def test_an_imported_reviews_language_is_given_and_survives_a_reimport():
    rating = factories.rating("false")
    claim, _ = services.external_review_import(
        review_url="https://other.example/review/1", text=ENGLISH, publisher_name="Other",
        publisher_site="other.example", rating=rating, published_at=None, language="es")
    assert (claim.language, claim.language_source) == ("es", "given")
    claim, changes, _ = services.external_review_update(
        claim_id=claim.pk, rating_label="False", rating_explanation="", text=ENGLISH + " Again.")
    assert changes and (claim.language, claim.language_source) == ("es", "given")
    undeclared, _ = services.external_review_import(
        review_url="https://other.example/review/2", text=SPANISH, publisher_name="Other",
        publisher_site="other.example", rating=rating, published_at=None, language="not a tag")
    assert (undeclared.language, undeclared.language_source) == ("es", "detected")
    undeclared, _, _ = services.external_review_update(
        claim_id=undeclared.pk, rating_label="False", rating_explanation="", text=ENGLISH)
    undeclared.refresh_from_db()
    assert (undeclared.language, undeclared.language_source) == ("en", "detected")


@pytest.mark.django_db
def test_translation_links_are_symmetric_and_between_languages(editor):
    english = services.claim_create(actor=editor, text=ENGLISH)
    spanish = services.claim_create(actor=editor, text=SPANISH)
    link = services.claim_relation_add(actor=editor, from_claim=spanish, to_claim=english,
                                       kind="translation_of")
    assert services.claim_relation_add(actor=editor, from_claim=english, to_claim=spanish,
                                       kind="translation_of") == link
    other = services.claim_create(actor=editor, text=ENGLISH + " Also.")
    with pytest.raises(InvalidInput) as error:
        services.claim_relation_add(actor=editor, from_claim=other, to_claim=english,
                                    kind="translation_of")
    assert error.value.code == "invalid_translation"
