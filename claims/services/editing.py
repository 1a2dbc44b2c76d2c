"""Creating, editing and deleting claims, and the typed links between claims.

The state's edit rule (who may edit in which state) is ``claims.workflow.can_edit``; the
version a client loaded (If-Match) is compared under the claim's row lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from claims.errors import RoleError, TransitionError
from claims.models import Claim, ClaimRelation, Rating, Topic
from claims.workflow import (
    ensure_can_edit,
    ensure_edit_keeps_gates,
    gates_before_edit,
    has_perm,
    lock_claim,
    save_claim,
)
from factcheck.audit import audit_context
from factcheck.concurrency import ExpectedEtag, lock_row
from factcheck.errors import InvalidInput, StaleVersion
from factcheck.fields import refuse_unknown_fields, unique_slug
from sources.language import primary_language, settle_language, site_language
from sources.models import Person

Status = Claim.Status

EDITABLE_FIELDS = {
    "text", "claimant", "claim_date", "language", "topics", "rating", "rating_explanation",
    "analysis", "assignee",
}


def ensure_claim_version(claim: Claim, expected_version: int | None) -> None:
    """Raise StaleVersion unless ``expected_version`` (from If-Match; None: unconditional) is
    the locked claim's version."""
    if expected_version is not None and claim.version != expected_version:
        raise StaleVersion(
            f"The claim has changed (version {claim.version}, yours {expected_version}); "
            "reload it and try again."
        )


@transaction.atomic
def claim_create(
    *, actor, text: str, claimant: Person | None = None, claim_date: date | None = None,
    language: str | None = None, topics: Iterable[Topic] = (), rating: Rating | None = None,
    rating_explanation: str = "", analysis: str = "", assignee=None,
    fallback_language: str | None = None,
) -> Claim:
    """Create a draft claim authored by ``actor`` with a stable unique slug.

    ``language`` (BCP 47) is kept as given; not given (or empty), it is detected from the text,
    else ``fallback_language`` (e.g. its source's), else the site's language
    (``sources.language.settle_language``)."""
    if not has_perm(actor, "claims.add_claim"):
        raise RoleError("Your role does not allow you to create claims.")
    text = (text or "").strip()
    claim = Claim(
        text=text, slug=unique_slug(Claim, text, max_length=80), claimant=claimant,
        claim_date=claim_date, rating=rating,
        rating_explanation=rating_explanation, analysis=analysis, assignee=assignee, author=actor,
    )
    settle_language(claim, text=text, given=language, fallback=fallback_language or site_language())
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
    published claim the rating changes only through ``claim_correct``, and an edit that would add
    a publish-gate problem is refused (PublishGateError listing every problem).

    A ``language`` passed is the editor's (``given``, kept through later edits; ``""`` hands it
    back to detection); one not given is detected again when the text changes.
    """
    refuse_unknown_fields(fields, EDITABLE_FIELDS)
    claim = lock_claim(claim_id)
    ensure_claim_version(claim, expected_version)
    ensure_can_edit(claim, actor, permission="claims.change_claim",
                    role_message="Your role does not allow you to edit claims.",
                    frozen_message="A retracted claim can no longer be edited.",
                    reviewers_message="Only reviewers may edit a published claim.")
    topics = fields.pop("topics", None)
    language = fields.pop("language", None)
    if claim.is_public and "rating" in fields and fields["rating"] != claim.rating:
        raise TransitionError(
            "Change a published claim's rating with a rating-change correction.",
            code="use_correction", fields={"rating": ["Use a rating_change correction."]},
        )
    changed = []
    for name, value in fields.items():
        if getattr(claim, name) != value:
            changed.append(name)
    gates_before = gates_before_edit(claim) if changed else None
    for name in changed:
        setattr(claim, name, fields[name])
    changed += settle_language(claim, text=claim.text, given=language, text_changed="text" in changed,
                               fallback=site_language())
    with audit_context(actor, action="claim_update"):
        if changed:
            claim.full_clean()
            save_claim(claim, changed)
            ensure_edit_keeps_gates(claim, gates_before)
        if topics is not None and set(topics) != set(claim.topics.all()):
            claim.topics.set(list(topics))
            save_claim(claim, [])  # the topics changed: move the version
    return claim


@transaction.atomic
def claim_delete(*, claim_id: int, actor, expected_version: int | None = None) -> None:
    """Delete a draft claim (and its evidence). Locks the claim.

    Only drafts may go (the database refuses to delete a published or retracted claim); needs
    ``claims.delete_claim``. Raises RoleError, TransitionError, StaleVersion, NotFound.
    """
    claim = lock_claim(claim_id)
    ensure_claim_version(claim, expected_version)
    if not has_perm(actor, "claims.delete_claim"):
        raise RoleError("Your role does not allow you to delete claims.")
    if claim.status != Status.DRAFT:
        raise TransitionError("Only a draft can be deleted; retract a published claim instead.",
                              fields={"status": claim.status})
    with audit_context(actor, action="claim_delete"):
        claim.delete()


# --- Links between claims ------------------------------------------------------------------


@transaction.atomic
def claim_relation_add(*, actor, from_claim: Claim, to_claim: Claim, kind: str,
                       note: str = "") -> ClaimRelation:
    """Link two claims with a typed relation (same as, contradicts, ...)."""
    if not has_perm(actor, "claims.add_claimrelation"):
        raise RoleError("Your role does not allow you to link claims.")
    if from_claim.pk == to_claim.pk:
        raise InvalidInput(
            "A claim cannot be related to itself.", fields={"to_claim": ["Pick another claim."]}
        )
    if kind not in ClaimRelation.Kind.values:
        raise InvalidInput(
            "Unknown relation kind.", fields={"kind": [f"Use one of {ClaimRelation.Kind.values}."]}
        )
    if kind == ClaimRelation.Kind.TRANSLATION_OF:
        # Symmetric: the page shows it on both claims; the link drawn the other way is the same.
        if primary_language(from_claim.language) == primary_language(to_claim.language):
            raise InvalidInput(
                "A translation is in another language than the claim it translates.",
                code="invalid_translation",
                fields={"to_claim": [f"Both claims are in {from_claim.language}."]},
            )
        reverse = ClaimRelation.objects.filter(from_claim=to_claim, to_claim=from_claim, kind=kind).first()
        if reverse is not None:
            return reverse
    with audit_context(actor, action="claim_relation_add"):
        relation, _ = ClaimRelation.objects.get_or_create(
            from_claim=from_claim, to_claim=to_claim, kind=kind,
            defaults={"note": note, "created_by": actor},
        )
    return relation


@transaction.atomic
def claim_relation_remove(*, relation_id: int, actor, expected: ExpectedEtag | None = None) -> None:
    """Delete a typed link between two claims (the audit trail keeps it). Locks the relation's
    row; ``expected`` (the API's If-Match, see ``claims.selectors.claim_relation_etag``) is
    compared under the lock. Raises RoleError, NotFound, StaleVersion."""
    if not has_perm(actor, "claims.delete_claimrelation"):
        raise RoleError("Your role does not allow you to unlink claims.")
    relation = lock_row(ClaimRelation, relation_id, expected=expected,
                        not_found="No such claim relation.", no_key=False)
    with audit_context(actor, action="claim_relation_remove"):
        relation.delete()
