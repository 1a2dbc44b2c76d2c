"""Writes for claims: creation and edits, evidence, and the editorial workflow.

Every door (admin forms and actions, the API, management commands) calls these functions, so
the rules live in one place:

- one function per transition; each takes a row lock on the claim (``select_for_update``),
  checks the actor's role, the current state against ``TRANSITIONS``, the four-eyes rule and
  (for publishing) every publish gate, changes only the fields that move and writes the
  ``ReviewEvent``;
- ``status``, ``published_at``, ``reviewer`` and ``version`` are never accepted from callers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from claims.claimreview import publish_gate_problems as claimreview_publish_problems
from claims.models import Claim, ClaimRelation, Correction, Evidence, Rating, ReviewEvent, Topic
from factcheck.audit import audit_context
from factcheck.errors import Conflict, InvalidInput, NotFound, NotPermitted, StaleVersion
from factcheck.services import apply_fields, refuse_unknown_fields
from sources.models import Person, Quote, Source
from sources.services import unique_slug

Status = Claim.Status


# --- Errors ---------------------------------------------------------------------------------


class TransitionError(Conflict):
    """The claim's current state does not allow this action (409 ``illegal_transition``)."""

    code = "illegal_transition"


class PublishGateError(Conflict):
    """The claim is not ready to publish; ``missing`` lists every problem at once (409)."""

    code = "publish_gate"

    def __init__(self, missing: list[dict[str, str]]):
        self.missing = missing
        message = "The claim cannot be published yet: " + "; ".join(m["message"] for m in missing)
        super().__init__(message, fields={"missing": missing})


class RoleError(NotPermitted):
    """The actor's role does not allow this action (403 ``permission_denied``)."""


class FourEyesError(NotPermitted):
    """The claim's author may not publish (or re-rate) their own claim (403 ``four_eyes``)."""

    code = "four_eyes"


# --- The workflow table ---------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    permission: str


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("submit", Status.DRAFT, Status.IN_REVIEW, "claims.submit_claim"),
        Transition("request_changes", Status.IN_REVIEW, Status.DRAFT, "claims.review_claim"),
        Transition("publish", Status.IN_REVIEW, Status.PUBLISHED, "claims.review_claim"),
        Transition("retract", Status.PUBLISHED, Status.RETRACTED, "claims.review_claim"),
        # Corrections keep the claim published.
        Transition("correct", Status.PUBLISHED, Status.PUBLISHED, "claims.review_claim"),
    ]
}


def allowed_actions(claim: Claim, actor) -> list[str]:
    """The workflow actions ``actor`` may attempt on ``claim`` now (for buttons and links)."""
    actions = []
    for t in TRANSITIONS.values():
        if claim.status != t.source or not _has_perm(actor, t.permission):
            continue
        if t.action == "publish" and _is_author(claim, actor):
            continue
        actions.append(t.action)
    return actions


def _has_perm(actor, permission: str) -> bool:
    return bool(actor and actor.is_active and actor.has_perm(permission))


def _is_author(claim: Claim, actor) -> bool:
    return claim.author_id is not None and claim.author_id == getattr(actor, "pk", None)


def _lock(claim_id: int) -> Claim:
    try:
        return Claim.objects.select_for_update().get(pk=claim_id)
    except Claim.DoesNotExist:
        raise NotFound("No such claim.") from None


def _check(claim: Claim, action: str, actor) -> Transition:
    transition = TRANSITIONS[action]
    if not _has_perm(actor, transition.permission):
        raise RoleError(f"Your role does not allow you to {action.replace('_', ' ')} claims.")
    if claim.status != transition.source:
        raise TransitionError(
            f"Cannot {action.replace('_', ' ')} a claim that is {claim.get_status_display().lower()}.",
            fields={"status": claim.status, "action": action},
        )
    return transition


def _log(claim: Claim, actor, from_status: str, comment: str = "") -> ReviewEvent:
    return ReviewEvent.objects.create(
        claim=claim, actor=actor, from_status=from_status, to_status=claim.status, comment=comment
    )


def _save(claim: Claim, fields: Iterable[str]) -> Claim:
    # updated_at/version are set by the database trigger; read them back.
    claim.save(update_fields=[*fields, "updated_at"])
    claim.refresh_from_db(fields=["version", "updated_at"])
    return claim


# --- Publish gates --------------------------------------------------------------------------


def publish_problems(claim: Claim) -> list[dict[str, str]]:
    """Everything that keeps ``claim`` from being published, as ``{"code", "message"}`` items.

    An empty list means the claim may be published.
    """
    problems = []
    rows = list(claim.evidence.values_list("relation", "quote_id", "quote__speaker_id"))
    relations = [relation for relation, _, _ in rows]
    if claim.rating_id is None:
        problems.append({"code": "rating", "message": "choose a rating"})
    if not claim.rating_explanation.strip():
        problems.append({"code": "rating_explanation", "message": "write a rating explanation"})
    if claim.claimant_id is None:
        problems.append({"code": "claimant", "message": "name the claimant"})
    if claim.claim_date is None:
        problems.append({"code": "claim_date", "message": "give the date the claim was made"})
    if Evidence.Relation.APPEARANCE not in relations:
        problems.append(
            {"code": "appearance", "message": "link at least one source where the claim appeared"}
        )
    if not any(r != Evidence.Relation.APPEARANCE for r in relations):
        problems.append(
            {"code": "evidence",
             "message": "add at least one supporting, refuting or context source"}
        )
    if any(quote and not speaker for _, quote, speaker in rows):
        problems.append(
            {"code": "quote_speaker",
             "message": "name the speaker of every quote cited as evidence (or cite the source alone)"}
        )
    # The ClaimReview we will publish must be valid markup too (search engines reject it else).
    problems += claimreview_publish_problems(claim)
    return problems


# --- Transitions ----------------------------------------------------------------------------


@transaction.atomic
def claim_submit(*, claim_id: int, actor, comment: str = "") -> Claim:
    """Draft → in review. Locks the claim. Raises RoleError, TransitionError."""
    claim = _lock(claim_id)
    _check(claim, "submit", actor)
    with audit_context(actor, action="claim_submit"):
        claim.status = Status.IN_REVIEW
        _save(claim, ["status"])
        _log(claim, actor, Status.DRAFT, comment)
    return claim


@transaction.atomic
def claim_request_changes(*, claim_id: int, actor, comment: str) -> Claim:
    """In review → draft, with a comment saying what to change. Locks the claim."""
    if not (comment or "").strip():
        raise InvalidInput(
            "Say what needs to change.", code="comment_required",
            fields={"comment": ["A comment is required when requesting changes."]},
        )
    claim = _lock(claim_id)
    _check(claim, "request_changes", actor)
    with audit_context(actor, action="claim_request_changes"):
        claim.status = Status.DRAFT
        _save(claim, ["status"])
        _log(claim, actor, Status.IN_REVIEW, comment.strip())
    return claim


@transaction.atomic
def claim_publish(*, claim_id: int, actor, comment: str = "") -> Claim:
    """In review → published. Locks the claim.

    Raises RoleError (not a reviewer), TransitionError (not in review), FourEyesError (the actor
    wrote the claim — even a reviewer or superuser), PublishGateError (listing every missing item).
    """
    claim = _lock(claim_id)
    _check(claim, "publish", actor)
    if _is_author(claim, actor):
        raise FourEyesError("You wrote this claim: another reviewer must publish it.")
    problems = publish_problems(claim)
    if problems:
        raise PublishGateError(problems)
    with audit_context(actor, action="claim_publish"):
        claim.status = Status.PUBLISHED
        claim.reviewer = actor
        claim.published_at = claim.published_at or timezone.now()
        _save(claim, ["status", "reviewer", "published_at"])
        _log(claim, actor, Status.IN_REVIEW, comment)
    return claim


@transaction.atomic
def claim_retract(*, claim_id: int, actor, note: str) -> Claim:
    """Published → retracted, with a public note (also recorded as a Correction). Locks the claim."""
    if not (note or "").strip():
        raise InvalidInput(
            "A retraction needs a public note.", code="note_required",
            fields={"note": ["A note is required to retract a claim."]},
        )
    claim = _lock(claim_id)
    _check(claim, "retract", actor)
    with audit_context(actor, action="claim_retract"):
        claim.status = Status.RETRACTED
        _save(claim, ["status"])
        Correction.objects.create(
            claim=claim, kind=Correction.Kind.RETRACTION, note=note.strip(), created_by=actor,
            old_rating_id=claim.rating_id, new_rating_id=None,
        )
        _log(claim, actor, Status.PUBLISHED, note.strip())
    claim.refresh_from_db(fields=["version", "updated_at"])
    return claim


@transaction.atomic
def claim_correct(
    *, claim_id: int, actor, kind: str, note: str, new_rating: Rating | None = None,
    rating_explanation: str | None = None,
) -> Correction:
    """Record a public correction, update or rating change on a published claim. Locks the claim.

    A ``rating_change`` needs a ``new_rating`` different from the current one, records old and new
    and obeys the four-eyes rule; the claim stays published.
    """
    allowed_kinds = {Correction.Kind.CORRECTION, Correction.Kind.UPDATE, Correction.Kind.RATING_CHANGE}
    if kind not in allowed_kinds:
        raise InvalidInput(
            "Unknown correction kind.", fields={"kind": ["Use correction, update or rating_change."]}
        )
    if not (note or "").strip():
        raise InvalidInput(
            "A correction needs a public note.", code="note_required",
            fields={"note": ["A note is required."]},
        )
    claim = _lock(claim_id)
    _check(claim, "correct", actor)
    old_rating = claim.rating
    changed: list[str] = []
    if kind == Correction.Kind.RATING_CHANGE:
        if new_rating is None or new_rating.pk == claim.rating_id:
            raise InvalidInput(
                "A rating change needs a new rating different from the current one.",
                fields={"new_rating": ["Choose a different rating."]},
            )
        if _is_author(claim, actor):
            raise FourEyesError("You wrote this claim: another reviewer must change its rating.")
        claim.rating = new_rating
        changed.append("rating")
    elif new_rating is not None:
        raise InvalidInput(
            "Only a rating change may set a new rating.",
            fields={"new_rating": ["Use kind=rating_change."]},
        )
    if rating_explanation is not None and rating_explanation != claim.rating_explanation:
        claim.rating_explanation = rating_explanation
        changed.append("rating_explanation")
    with audit_context(actor, action="claim_correct"):
        if changed:
            claim.full_clean(exclude=["slug"])
            _save(claim, changed)
        correction = Correction.objects.create(
            claim=claim, kind=kind, note=note.strip(), created_by=actor,
            old_rating=old_rating if kind == Correction.Kind.RATING_CHANGE else None,
            new_rating=new_rating if kind == Correction.Kind.RATING_CHANGE else None,
        )
    return correction


# --- Creating and editing -------------------------------------------------------------------

EDITABLE_FIELDS = {
    "text", "claimant", "claim_date", "language", "topics", "rating", "rating_explanation",
    "analysis", "assignee",
}


def _ensure_can_edit(claim: Claim, actor) -> None:
    if not _has_perm(actor, "claims.change_claim"):
        raise RoleError("Your role does not allow you to edit claims.")
    if claim.status == Status.RETRACTED:
        raise TransitionError("A retracted claim can no longer be edited.",
                              fields={"status": claim.status})
    if claim.status == Status.PUBLISHED and not _has_perm(actor, "claims.review_claim"):
        raise RoleError("Only reviewers may edit a published claim.")


@transaction.atomic
def claim_create(
    *, actor, text: str, claimant: Person | None = None, claim_date: date | None = None,
    language: str = "en", topics: Iterable[Topic] = (), rating: Rating | None = None,
    rating_explanation: str = "", analysis: str = "", assignee=None,
) -> Claim:
    """Create a draft claim authored by ``actor`` with a stable unique slug."""
    if not _has_perm(actor, "claims.add_claim"):
        raise RoleError("Your role does not allow you to create claims.")
    text = (text or "").strip()
    claim = Claim(
        text=text, slug=unique_slug(Claim, text, max_length=80), claimant=claimant,
        claim_date=claim_date, language=language, rating=rating,
        rating_explanation=rating_explanation, analysis=analysis, assignee=assignee, author=actor,
    )
    claim.full_clean()
    with audit_context(actor, action="claim_create"):
        claim.save()
        claim.topics.set(list(topics))
    return claim


@transaction.atomic
def claim_update(
    *, claim_id: int, actor, expected_version: int | None = None, **fields: Any
) -> Claim:
    """Edit a claim's editable fields. Locks the claim.

    ``expected_version`` (from If-Match) must equal the current version, else StaleVersion.
    Protected fields (status, published_at, reviewer, author, version, slug) are refused. On a
    published claim the rating changes only through ``claim_correct``.
    """
    refuse_unknown_fields(fields, EDITABLE_FIELDS)
    claim = _lock(claim_id)
    if expected_version is not None and claim.version != expected_version:
        raise StaleVersion(
            f"The claim has changed (version {claim.version}, yours {expected_version}); "
            "reload it and try again."
        )
    _ensure_can_edit(claim, actor)
    topics = fields.pop("topics", None)
    if claim.is_public and "rating" in fields and fields["rating"] != claim.rating:
        raise TransitionError(
            "Change a published claim's rating with a rating-change correction.",
            code="use_correction", fields={"rating": ["Use a rating_change correction."]},
        )
    changed = []
    for name, value in fields.items():
        if getattr(claim, name) != value:
            setattr(claim, name, value)
            changed.append(name)
    with audit_context(actor, action="claim_update"):
        if changed:
            claim.full_clean()
            _save(claim, changed)
        if topics is not None and set(topics) != set(claim.topics.all()):
            claim.topics.set(list(topics))
            _save(claim, [])  # the topics changed: move the version
    return claim


# --- Evidence and relations -----------------------------------------------------------------


def _ensure_evidence_editable(claim: Claim, actor, permission: str) -> None:
    if not _has_perm(actor, permission):
        raise RoleError("Your role does not allow you to change evidence.")
    if claim.status == Status.RETRACTED:
        raise TransitionError("A retracted claim's evidence is frozen.",
                              fields={"status": claim.status})
    if claim.status == Status.PUBLISHED and not _has_perm(actor, "claims.review_claim"):
        raise RoleError("Only reviewers may change a published claim's evidence.")


def _validate_evidence(source: Source, quote: Quote | None, relation: str) -> None:
    if relation not in Evidence.Relation.values:
        raise InvalidInput(
            "Unknown relation.", fields={"relation": [f"Use one of {Evidence.Relation.values}."]}
        )
    if quote is not None and quote.source_id != source.pk:
        raise InvalidInput(
            "The quote is not from that source.", fields={"quote": ["Pick a quote of the source."]}
        )


@transaction.atomic
def evidence_add(
    *, claim_id: int, actor, source: Source, relation: str, quote: Quote | None = None,
    note: str = "",
) -> Evidence:
    """Link a source (and optionally one of its quotes) to a claim. Locks the claim."""
    claim = _lock(claim_id)
    _ensure_evidence_editable(claim, actor, "claims.add_evidence")
    _validate_evidence(source, quote, relation)
    if Evidence.objects.filter(claim=claim, source=source, quote=quote, relation=relation).exists():
        raise Conflict("This evidence is already linked.", code="duplicate")
    with audit_context(actor, action="evidence_add"):
        evidence = Evidence(
            claim=claim, source=source, quote=quote, relation=relation, note=note,
            order=claim.evidence.count(),
        )
        evidence.full_clean()
        evidence.save()
    return evidence


@transaction.atomic
def evidence_update(*, evidence_id: int, actor, **fields: Any) -> Evidence:
    """Change an evidence link's source, quote, relation, note or order. Locks the claim."""
    evidence = Evidence.objects.select_related("source", "quote").get(pk=evidence_id)
    claim = _lock(evidence.claim_id)
    _ensure_evidence_editable(claim, actor, "claims.change_evidence")
    apply_fields(evidence, fields, {"source", "quote", "relation", "note", "order"})
    _validate_evidence(evidence.source, evidence.quote, evidence.relation)
    with audit_context(actor, action="evidence_update"):
        evidence.full_clean()
        evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence_id: int, actor) -> None:
    """Unlink evidence. A published claim keeps what its publish gates require. Locks the claim."""
    evidence = Evidence.objects.get(pk=evidence_id)
    claim = _lock(evidence.claim_id)
    _ensure_evidence_editable(claim, actor, "claims.delete_evidence")
    with audit_context(actor, action="evidence_remove"):
        evidence.delete()
        if claim.is_public and publish_problems(claim):
            raise Conflict(
                "A published claim must keep an appearance and at least one other source.",
                code="publish_gate",
            )


@transaction.atomic
def claim_relation_add(*, actor, from_claim: Claim, to_claim: Claim, kind: str,
                       note: str = "") -> ClaimRelation:
    """Link two claims with a typed relation (same as, contradicts, ...)."""
    if not _has_perm(actor, "claims.add_claimrelation"):
        raise RoleError("Your role does not allow you to link claims.")
    if from_claim.pk == to_claim.pk:
        raise InvalidInput(
            "A claim cannot be related to itself.", fields={"to_claim": ["Pick another claim."]}
        )
    if kind not in ClaimRelation.Kind.values:
        raise InvalidInput(
            "Unknown relation kind.", fields={"kind": [f"Use one of {ClaimRelation.Kind.values}."]}
        )
    with audit_context(actor, action="claim_relation_add"):
        relation, _ = ClaimRelation.objects.get_or_create(
            from_claim=from_claim, to_claim=to_claim, kind=kind,
            defaults={"note": note, "created_by": actor},
        )
    return relation


@transaction.atomic
def claim_relation_remove(*, relation_id: int, actor) -> None:
    """Delete a typed link between two claims (the audit trail keeps it)."""
    if not _has_perm(actor, "claims.delete_claimrelation"):
        raise RoleError("Your role does not allow you to unlink claims.")
    with audit_context(actor, action="claim_relation_remove"):
        deleted, _ = ClaimRelation.objects.filter(pk=relation_id).delete()
    if not deleted:
        raise NotFound("No such claim relation.")


# --- API writes: deleting drafts, topics and the rating scale -----------------------------


@transaction.atomic
def claim_delete(*, claim_id: int, actor, expected_version: int | None = None) -> None:
    """Delete a draft claim (and its evidence). Locks the claim.

    Only drafts may go (the database refuses to delete a published or retracted claim); needs
    ``claims.delete_claim``. Raises RoleError, TransitionError, StaleVersion, NotFound.
    """
    claim = _lock(claim_id)
    if expected_version is not None and claim.version != expected_version:
        raise StaleVersion(
            f"The claim has changed (version {claim.version}, yours {expected_version}); "
            "reload it and try again."
        )
    if not _has_perm(actor, "claims.delete_claim"):
        raise RoleError("Your role does not allow you to delete claims.")
    if claim.status != Status.DRAFT:
        raise TransitionError("Only a draft can be deleted; retract a published claim instead.",
                              fields={"status": claim.status})
    with audit_context(actor, action="claim_delete"):
        claim.delete()


TOPIC_FIELDS = {"name", "slug"}


@transaction.atomic
def topic_create(*, actor, name: str, slug: str = "") -> Topic:
    """Create a topic (``claims.add_topic``); the slug defaults to one made from the name."""
    if not _has_perm(actor, "claims.add_topic"):
        raise RoleError("Your role does not allow you to create topics.")
    name = (name or "").strip()
    topic = Topic(name=name, slug=slug or unique_slug(Topic, name))
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def topic_update(*, actor, topic: Topic, **fields: Any) -> Topic:
    """Rename a topic or change its slug (``claims.change_topic``)."""
    if not _has_perm(actor, "claims.change_topic"):
        raise RoleError("Your role does not allow you to edit topics.")
    apply_fields(topic, fields, TOPIC_FIELDS)
    topic.full_clean()
    topic.save()
    return topic


RATING_FIELDS = {"label", "slug", "value", "description", "order"}


def _ensure_admin(actor) -> None:
    if not (actor and actor.is_active and actor.is_superuser):
        raise RoleError("Only administrators may change the rating scale.")


@transaction.atomic
def rating_create(*, actor, label: str, slug: str = "", **fields: Any) -> Rating:
    """Add a step to the verdict scale. Administrators only (it is the newsroom's methodology)."""
    _ensure_admin(actor)
    refuse_unknown_fields(fields, RATING_FIELDS)
    rating = Rating(label=(label or "").strip(), slug=slug or unique_slug(Rating, label), **fields)
    rating.full_clean()
    rating.save()
    return rating


@transaction.atomic
def rating_update(*, actor, rating: Rating, **fields: Any) -> Rating:
    """Edit a rating's label, slug, value, description or order. Administrators only."""
    _ensure_admin(actor)
    apply_fields(rating, fields, RATING_FIELDS)
    rating.full_clean()
    rating.save()
    return rating


# --- External reviews (ClaimReview import) --------------------------------------------------


@transaction.atomic
def rating_for_label(*, label: str) -> tuple[Rating, bool]:
    """The rating whose label or slug matches ``label`` (case-insensitive), else a new
    non-ordinal rating with that label (another fact-checker's verdict such as "Pants on Fire"
    has no place on our ordinal scale). Returns ``(rating, created)``."""
    label = " ".join((label or "").split())[:100]
    if not label:
        raise InvalidInput("A rating needs a label.", fields={"rating": ["Required."]})
    existing = Rating.objects.filter(label__iexact=label).first() or Rating.objects.filter(
        slug=slugify(label)
    ).first()
    if existing is not None:
        return existing, False
    last = Rating.objects.order_by("-order").values_list("order", flat=True).first() or 0
    rating = Rating(label=label, slug=unique_slug(Rating, label, max_length=90), value=None,
                    order=last + 1, description="Imported with an external fact check.")
    rating.full_clean()
    rating.save()
    return rating, True


@transaction.atomic
def external_review_import(
    *, review_url: str, text: str, publisher_name: str, publisher_site: str, rating: Rating,
    published_at, claimant: Person | None = None, claim_date: date | None = None,
    language: str = "en", rating_explanation: str = "", appearances: Iterable[Source] = (),
    actor=None,
) -> tuple[Claim, bool]:
    """Store another fact-checker's review as a published external claim.

    Idempotent by ``review_url`` (unique among external claims): when it is already there,
    nothing changes and ``(claim, False)`` is returned. The claim is published directly
    (``is_external``: no reviewer of ours, no publish gates), with an ``appearance`` evidence
    per source and a review-log row saying where it came from.
    """
    existing = Claim.objects.filter(external_review_url=review_url).first()
    if existing is not None:
        return existing, False
    text = " ".join((text or "").split())
    claim = Claim(
        text=text, slug=unique_slug(Claim, text, max_length=80), claimant=claimant,
        claim_date=claim_date, language=(language or "en")[:12], rating=rating,
        rating_explanation=(rating_explanation or "")[:500], status=Status.PUBLISHED,
        published_at=published_at or timezone.now(), is_external=True,
        external_review_url=review_url, external_publisher_name=(publisher_name or "")[:200],
        external_publisher_site=(publisher_site or "")[:253],
    )
    claim.full_clean()
    with audit_context(actor, action="external_review_import"):
        claim.save()
        for order, source in enumerate(dict.fromkeys(appearances)):
            Evidence.objects.create(claim=claim, source=source, relation=Evidence.Relation.APPEARANCE,
                                    order=order)
        ReviewEvent.objects.create(
            claim=claim, actor=actor if getattr(actor, "pk", None) else None,
            from_status=Status.DRAFT, to_status=Status.PUBLISHED,
            comment=f"Imported from {publisher_name or publisher_site}'s ClaimReview: {review_url}",
        )
    return claim, True


@transaction.atomic
def external_review_update(
    *, claim_id: int, rating_label: str, rating_explanation: str, text: str, actor=None,
) -> tuple[Claim, list[str], Rating | None]:
    """Bring an imported external claim up to date with its review read again.

    Locks the claim. Compares the verdict (by label, as imports match it), the rating explanation
    and the claim text; when any changed, saves the new values and records one public
    ``Correction``: ``rating_change`` (old and new rating) when the verdict moved, else
    ``update``. Returns ``(claim, changes, rating_created)``: ``changes`` describes each change
    for people (empty when nothing changed or the claim is retracted — then nothing is written);
    ``rating_created`` is a non-ordinal rating this call had to add, else None.
    """
    claim = Claim.objects.select_for_update(of=("self",)).select_related("rating").get(pk=claim_id)
    if claim.status != Status.PUBLISHED:
        return claim, [], None
    changes: list[str] = []
    changed_fields: list[str] = []
    created_rating = None
    old_rating = claim.rating
    if old_rating is None or rating_label.casefold() != old_rating.label.casefold():
        rating, rating_created = rating_for_label(label=rating_label)
        if rating.pk != claim.rating_id:
            created_rating = rating if rating_created else None
            changes.append(f"rating {old_rating.label if old_rating else 'none'} → {rating.label}")
            claim.rating = rating
            changed_fields.append("rating")
    explanation = (rating_explanation or "")[:500]
    if explanation and explanation != claim.rating_explanation:
        changes.append("new rating explanation")
        claim.rating_explanation = explanation
        changed_fields.append("rating_explanation")
    text = " ".join(text.split())
    if text != claim.text:
        changes.append("claim reworded")
        claim.text = text
        changed_fields.append("text")
    if not changes:
        return claim, [], created_rating
    publisher = claim.external_publisher_name or claim.external_publisher_site
    rating_changed = "rating" in changed_fields
    with audit_context(actor, action="claimreview_reimport"):
        claim.full_clean(exclude=["slug"])
        _save(claim, changed_fields)
        Correction.objects.create(
            claim=claim,
            kind=Correction.Kind.RATING_CHANGE if rating_changed else Correction.Kind.UPDATE,
            note=f"{publisher} updated its review ({claim.external_review_url}): {'; '.join(changes)}.",
            old_rating=old_rating if rating_changed else None,
            new_rating=claim.rating if rating_changed else None,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
    return claim, changes, created_rating
