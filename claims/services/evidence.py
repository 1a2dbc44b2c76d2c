"""A claim's evidence: links to sources and, optionally, one quote in each.

Every write locks the evidence's claim (the lock the workflow takes too), so a link cannot
change under a transition. Evidence has no version column: its version is a fingerprint of its
state (``evidence_version``), which the API sends as the ETag and every update and delete
compares under that lock.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from claims.errors import FourEyesError, RoleError
from claims.models import Claim, Evidence, ReviewEvent
from claims.workflow import (
    REVIEWERS,
    ensure_can_edit,
    ensure_edit_keeps_gates,
    gates_before_edit,
    has_perm,
    is_author,
    lock_claim,
)
from factcheck.audit import audit_context
from factcheck.errors import Conflict, InvalidInput, NotFound, StaleVersion
from factcheck.fields import apply_fields
from sources.models import Quote, Source

EVIDENCE_FIELDS = {"source", "quote", "relation", "note", "order"}


def evidence_state(evidence: Evidence) -> dict[str, Any]:
    """The evidence link as the API shows it; ``evidence_version`` fingerprints exactly this."""
    return {"id": evidence.pk, "claim": evidence.claim_id, "relation": evidence.relation,
            "note": evidence.note, "order": evidence.order, "source": evidence.source_id,
            "quote": evidence.quote_id, "anchor_override_reason": evidence.anchor_override_reason}


def evidence_version(evidence: Evidence) -> str:
    """An opaque version of the evidence link: changes whenever any of its fields does."""
    return hashlib.sha256(orjson.dumps(evidence_state(evidence))).hexdigest()[:32]


def _ensure_evidence_editable(claim: Claim, actor, permission: str) -> None:
    ensure_can_edit(claim, actor, permission=permission,
                    role_message="Your role does not allow you to change evidence.",
                    frozen_message="A retracted claim's evidence is frozen.",
                    reviewers_message="Only reviewers may change a published claim's evidence.")


def _validate_evidence(source: Source, quote: Quote | None, relation: str) -> None:
    if relation not in Evidence.Relation.values:
        raise InvalidInput(
            "Unknown relation.", fields={"relation": [f"Use one of {Evidence.Relation.values}."]}
        )
    if quote is not None and quote.source_id != source.pk:
        raise InvalidInput(
            "The quote is not from that source.", fields={"quote": ["Pick a quote of the source."]}
        )


def _lock_evidence(evidence_id: int, expected_version: str | None) -> tuple[Evidence, Claim]:
    """The evidence with its claim row-locked; StaleVersion unless ``expected_version``
    (None: unconditional) is its version under that lock."""
    claim_id = Evidence.objects.filter(pk=evidence_id).values_list("claim_id", flat=True).first()
    if claim_id is None:
        raise NotFound("No such evidence.")
    claim = lock_claim(claim_id)
    evidence = Evidence.objects.select_related("source", "quote").filter(pk=evidence_id).first()
    if evidence is None:  # removed while we waited for the lock
        raise NotFound("No such evidence.")
    if expected_version is not None and evidence_version(evidence) != expected_version:
        raise StaleVersion("The object has changed; reload it and try again.")
    return evidence, claim


@transaction.atomic
def evidence_add(
    *, claim_id: int, actor, source: Source, relation: str, quote: Quote | None = None,
    note: str = "", order: int | None = None,
) -> Evidence:
    """Link a source (and optionally one of its quotes) to a claim. Locks the claim.

    ``order`` places the link among the claim's evidence (lower first; ties by creation);
    without it the link goes last. On a published claim, a link that adds a publish-gate problem
    (e.g. a quote not anchored in its source) is refused: PublishGateError.
    """
    claim = lock_claim(claim_id)
    _ensure_evidence_editable(claim, actor, "claims.add_evidence")
    _validate_evidence(source, quote, relation)
    if Evidence.objects.filter(claim=claim, source=source, quote=quote, relation=relation).exists():
        raise Conflict("This evidence is already linked.", code="duplicate")
    gates_before = gates_before_edit(claim)
    with audit_context(actor, action="evidence_add"):
        evidence = Evidence(
            claim=claim, source=source, quote=quote, relation=relation, note=note,
            order=claim.evidence.count() if order is None else order,
        )
        evidence.full_clean()
        evidence.save()
        ensure_edit_keeps_gates(claim, gates_before)
    return evidence


@transaction.atomic
def evidence_update(
    *, evidence_id: int, actor, expected_version: str | None = None, **fields: Any
) -> Evidence:
    """Change an evidence link's source, quote, relation, note or order. Locks the claim.

    A reviewer's anchor override belongs to the quote it was given for: choosing another quote
    or source drops it. Raises NotFound, StaleVersion (``expected_version`` is not the link's
    ``evidence_version``), RoleError, TransitionError, InvalidInput, PublishGateError (on a
    published claim, the change adds a publish-gate problem).
    """
    evidence, claim = _lock_evidence(evidence_id, expected_version)
    _ensure_evidence_editable(claim, actor, "claims.change_evidence")
    quote_before, source_before = evidence.quote_id, evidence.source_id
    apply_fields(evidence, fields, EVIDENCE_FIELDS)
    _validate_evidence(evidence.source, evidence.quote, evidence.relation)
    if (evidence.quote_id, evidence.source_id) != (quote_before, source_before):
        evidence.anchor_override_reason = ""
        evidence.anchor_override_by = evidence.anchor_override_at = None
    gates_before = gates_before_edit(claim)
    with audit_context(actor, action="evidence_update"):
        evidence.full_clean()
        evidence.save()
        ensure_edit_keeps_gates(claim, gates_before)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence_id: int, actor, expected_version: str | None = None) -> None:
    """Unlink evidence. A published claim keeps what its publish gates require. Locks the claim.

    Raises NotFound, StaleVersion, RoleError, TransitionError, PublishGateError (409
    ``publish_gate``: the removal adds a problem, e.g. the last appearance or the only source
    other than the appearance's).
    """
    evidence, claim = _lock_evidence(evidence_id, expected_version)
    _ensure_evidence_editable(claim, actor, "claims.delete_evidence")
    gates_before = gates_before_edit(claim)
    with audit_context(actor, action="evidence_remove"):
        evidence.delete()
        ensure_edit_keeps_gates(claim, gates_before)


@transaction.atomic
def evidence_anchor_override(
    *, evidence_id: int, actor, reason: str, expected_version: str | None = None
) -> Evidence:
    """Record a reviewer's check of a cited quote that is not anchored in its source's snapshot
    (e.g. "checked against the broadcast recording"): the quote then passes the publish gates, and
    the public page shows the reason under it. Written to the claim's review log. Locks the claim.

    Only reviewers (``claims.review_claim``), never the claim's author (four eyes); a retracted
    claim is frozen. Raises NotFound, StaleVersion, RoleError, FourEyesError, TransitionError,
    InvalidInput (``reason_required``; no quote to override), Conflict (``quote_anchored``: the
    quote is anchored, nothing to override).
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say how the quote was checked.", code="reason_required",
                           fields={"reason": ["A reason is required to override an anchor."]})
    evidence, claim = _lock_evidence(evidence_id, expected_version)
    if not has_perm(actor, REVIEWERS):
        raise RoleError("Only reviewers may accept a quote that is not anchored in its source.")
    _ensure_evidence_editable(claim, actor, "claims.change_evidence")
    if is_author(claim, actor):
        raise FourEyesError("You wrote this claim: another reviewer must check its quotes.")
    if evidence.quote is None:
        raise InvalidInput("This evidence cites no quote.",
                           fields={"quote": ["Only a cited quote can be overridden."]})
    if evidence.quote.anchor_status == evidence.quote.AnchorStatus.ANCHORED:
        raise Conflict("The quote is anchored in its source: there is nothing to override.",
                       code="quote_anchored")
    with audit_context(actor, action="evidence_anchor_override"):
        evidence.anchor_override_reason = reason
        evidence.anchor_override_by = actor
        evidence.anchor_override_at = timezone.now()
        evidence.save(update_fields=["anchor_override_reason", "anchor_override_by",
                                     "anchor_override_at"])
        ReviewEvent.objects.create(
            claim=claim, actor=actor, from_status=claim.status, to_status=claim.status,
            comment=(f"Quote accepted although {evidence.quote.get_anchor_status_display().lower()}"
                     f": “{Truncator(evidence.quote.text).chars(80)}” — {reason}"),
        )
    return evidence
