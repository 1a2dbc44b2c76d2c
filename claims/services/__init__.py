"""Writes for claims. Every door (admin forms and actions, the API, management commands) calls
these functions, so the rules live in one place:

- ``workflow`` — one function per action of ``claims.workflow.ACTIONS`` (submit, request
  changes, publish, retract, correct, dismiss an evidence alert), each run through
  ``claims.workflow.transition``;
- ``editing`` — creating, editing and deleting claims, typed links between claims;
- ``evidence`` — a claim's evidence links and a reviewer's anchor override of a cited quote;
- ``taxonomy`` — topics and the rating scale;
- ``external_reviews`` — other fact-checkers' reviews imported as external claims.

``status``, ``published_at``, ``reviewer`` and ``version`` are never accepted from callers.
Every update and delete takes the version the caller loaded (``expected_version``, from
If-Match) and compares it under the row lock (StaleVersion → 412).
"""

from claims.errors import FourEyesError, PublishGateError, RoleError, TransitionError
from claims.services.editing import (
    EDITABLE_FIELDS,
    claim_create,
    claim_delete,
    claim_relation_add,
    claim_relation_remove,
    claim_update,
    ensure_claim_version,
)
from claims.services.evidence import (
    EVIDENCE_FIELDS,
    evidence_add,
    evidence_anchor_override,
    evidence_remove,
    evidence_state,
    evidence_update,
    evidence_version,
)
from claims.services.external_reviews import external_review_import, external_review_update
from claims.services.taxonomy import (
    RATING_FIELDS,
    TOPIC_FIELDS,
    rating_create,
    rating_for_label,
    rating_update,
    topic_create,
    topic_update,
)
from claims.services.workflow import (
    claim_correct,
    claim_dismiss_attention,
    claim_publish,
    claim_request_changes,
    claim_retract,
    claim_submit,
)
from claims.workflow import ACTIONS, allowed_actions, can_edit, claim_publish_problems

# The name the rest of the code knew the readiness check by.
publish_problems = claim_publish_problems

__all__ = [
    "ACTIONS", "EDITABLE_FIELDS", "EVIDENCE_FIELDS", "RATING_FIELDS", "TOPIC_FIELDS",
    "FourEyesError", "PublishGateError", "RoleError", "TransitionError",
    "allowed_actions", "can_edit", "claim_correct", "claim_create", "claim_delete",
    "claim_dismiss_attention", "evidence_anchor_override",
    "claim_publish", "claim_publish_problems", "claim_relation_add", "claim_relation_remove",
    "claim_request_changes", "claim_retract", "claim_submit", "claim_update",
    "ensure_claim_version", "evidence_add", "evidence_remove", "evidence_state",
    "evidence_update", "evidence_version", "external_review_import", "external_review_update",
    "publish_problems", "rating_create", "rating_for_label", "rating_update", "topic_create",
    "topic_update",
]
