"""The workflow's services: one function per action of ``claims.workflow.ACTIONS``.

Each runs through ``claims.workflow.transition`` — inputs checked, the claim row-locked, the
actor's role, the state and four eyes checked against the table, only the moving fields saved,
the audit context set and the ``ReviewEvent`` written — and adds only what is its own (the
publish gates, the retraction's correction, a correction's rating change).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from claims.models import Claim, Correction, Rating
from claims.workflow import ACTIONS, ensure_four_eyes, ensure_publishable, transition
from factcheck.errors import InvalidInput


@transaction.atomic
def claim_submit(*, claim_id: int, actor, comment: str = "") -> Claim:
    """Draft → in review. Locks the claim. Raises RoleError, TransitionError."""
    return transition("submit", claim_id=claim_id, actor=actor, inputs={"comment": comment})


@transaction.atomic
def claim_request_changes(*, claim_id: int, actor, comment: str = "") -> Claim:
    """In review → draft, with a comment saying what to change (InvalidInput
    ``comment_required`` without one). Locks the claim."""
    return transition("request_changes", claim_id=claim_id, actor=actor,
                      inputs={"comment": comment})


def _publish(claim: Claim, actor, inputs: dict[str, Any]) -> list[str]:
    claim.reviewer = actor
    claim.published_at = claim.published_at or timezone.now()
    return ["reviewer", "published_at"]


@transaction.atomic
def claim_publish(*, claim_id: int, actor, comment: str = "") -> Claim:
    """In review → published. Locks the claim.

    Raises RoleError (not a reviewer), TransitionError (not in review), FourEyesError (the actor
    wrote the claim — even a reviewer or superuser), PublishGateError (listing every missing item).
    """
    return transition("publish", claim_id=claim_id, actor=actor,
                      inputs={"comment": comment},
                      check=ensure_publishable, change=_publish)


def _record_retraction(claim: Claim, actor, inputs: dict[str, Any]) -> None:
    Correction.objects.create(
        claim=claim, kind=Correction.Kind.RETRACTION, note=inputs["note"],
        created_by=actor, old_rating_id=claim.rating_id, new_rating_id=None,
    )


@transaction.atomic
def claim_retract(*, claim_id: int, actor, note: str = "") -> Claim:
    """Published → retracted, with a public note (InvalidInput ``note_required`` without one),
    also recorded as a Correction. Locks the claim."""
    return transition("retract", claim_id=claim_id, actor=actor,
                      inputs={"note": note}, record=_record_retraction)


@transaction.atomic
def claim_correct(
    *, claim_id: int, actor, kind: str, note: str = "", new_rating: Rating | None = None,
    rating_explanation: str | None = None,
) -> Correction:
    """Record a public correction, update or rating change on a published claim. Locks the claim.

    A ``rating_change`` needs a ``new_rating`` different from the current one, records old and new
    and obeys the four-eyes rule; the claim stays published. Returns the Correction.
    """
    action = ACTIONS["correct"]
    is_rating_change = kind == Correction.Kind.RATING_CHANGE
    recorded: list[Correction] = []

    def change(claim: Claim, actor, inputs: dict[str, Any]) -> list[str]:
        inputs["old_rating"] = claim.rating
        changed: list[str] = []
        if is_rating_change:
            if new_rating is None or new_rating.pk == claim.rating_id:
                raise InvalidInput(
                    "A rating change needs a new rating different from the current one.",
                    fields={"new_rating": ["Choose a different rating."]},
                )
            ensure_four_eyes(claim, actor, action)
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
        if changed:
            claim.full_clean(exclude=["slug"])
        # A public correction is a reviewer's answer to an evidence alert: it resolves it.
        changed += _clear_attention(claim)
        return changed

    def record(claim: Claim, actor, inputs: dict[str, Any]) -> None:
        recorded.append(Correction.objects.create(
            claim=claim, kind=kind, note=inputs["note"], created_by=actor,
            old_rating=inputs["old_rating"] if is_rating_change else None,
            new_rating=new_rating if is_rating_change else None,
        ))

    transition("correct", claim_id=claim_id, actor=actor, inputs={"kind": kind, "note": note},
               change=change, record=record)
    return recorded[0]


def _clear_attention(claim: Claim, *_: Any) -> list[str]:
    if claim.evidence_attention_at is None:
        return []
    claim.evidence_attention_at = None
    claim.evidence_attention_reason = ""
    return ["evidence_attention_at", "evidence_attention_reason"]


@transaction.atomic
def claim_dismiss_attention(*, claim_id: int, actor, reason: str = "") -> Claim:
    """Clear a published claim's evidence alert after a reviewer checked the verdict still
    stands; ``reason`` (required: InvalidInput ``reason_required``) goes to the review log. Locks
    the claim. Raises RoleError, TransitionError (not published, or no alert to dismiss)."""
    return transition("dismiss_attention", claim_id=claim_id, actor=actor,
                      inputs={"reason": reason}, change=_clear_attention)
