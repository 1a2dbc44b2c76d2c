"""The editorial workflow, declared once.

``STATES`` says who may edit a claim in each state; ``ACTIONS`` says, for every workflow action,
the states it starts from and the state it leads to, the permission it needs, the four-eyes rule,
the input it takes, its labels and messages, its API path and the one service function that
carries it out. Everything else is derived from these two tables:

- the services (``claims.services.workflow``) run every action through ``transition`` — lock,
  check, audit, save, log;
- the admin's buttons, their forms and the bulk actions (``claims.admin``, ``claims.admin_forms``);
- the API's workflow endpoints, their input serializers and their OpenAPI documentation
  (``claims.api.workflow_urlpatterns``, ``claims.serializers.workflow_input_serializer``).

Adding a state or an action means one entry here and one service function, nothing else
(``tests/claims/test_workflow.py`` builds the admin actions and the API routes from a table with
an extra action to show it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.module_loading import import_string
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from claims.claimreview import MarkupEvidence, RatingScale, rating_scale
from claims.claimreview import publish_gate_problems as claimreview_publish_problems
from claims.errors import FourEyesError, PublishGateError, RoleError, TransitionError
from claims.models import Claim, Correction, Evidence, ReviewEvent
from factcheck.audit import audit_context
from factcheck.errors import InvalidInput, NotFound
from sources.models import Quote

Status = Claim.Status

REVIEWERS = "claims.review_claim"


# --- States ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """Who may edit a claim's content (fields, evidence, relations) in this state.

    ``edit_permission``: ``""`` — whoever holds the model permission (``change_claim``,
    ``add_evidence`` …); a permission name — only users who also hold it; ``None`` — nobody
    (the claim is frozen).
    """

    edit_permission: str | None


STATES: dict[str, State] = {
    Status.DRAFT: State(edit_permission=""),
    Status.IN_REVIEW: State(edit_permission=""),
    Status.PUBLISHED: State(edit_permission=REVIEWERS),
    Status.RETRACTED: State(edit_permission=None),
}


# --- Actions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    """One input of an action. ``kind``: ``text`` (free text), ``choice`` (one of ``choices``)
    or ``rating`` (a rating: its slug in the API, its id in the admin form).

    A ``required`` text is stripped and refused when blank with ``missing`` = (message, field
    message, code); a choice outside ``choices`` is refused with ``invalid`` = (message, field
    message)."""

    name: str
    kind: str = "text"
    label: str = ""
    required: bool = False
    max_length: int = 5000
    help_text: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    missing: tuple[str, str, str] | None = None
    invalid: tuple[str, str] | None = None


@dataclass(frozen=True)
class Action:
    """One workflow action. ``target`` equal to the source (``correct``) keeps the state.

    ``four_eyes``: ``"always"`` — the claim's author may never take it; ``"rating_change"`` —
    the author may not when it changes the rating (checked by its service with
    ``ensure_four_eyes``); ``""`` — no such rule. ``log_input`` names the input written to the
    review log (``None``: the action writes no review event), after ``log_prefix``. ``needs``
    names a claim attribute that must be set for the action to be open (e.g. an evidence alert
    to dismiss): ``transition`` refuses it otherwise with ``needs_message``. ``bulk`` is the
    description of the admin's bulk action, if it has one. ``api_status`` is the status of a
    successful POST.
    """

    name: str
    sources: tuple[str, ...]
    target: str
    permission: str
    service: str  # dotted path of the one service function that carries it out
    label: str
    done: str  # "“<claim>” <done>."
    refused: str  # "“<claim>” was <refused>: <why>"
    summary: str
    api_path: str
    inputs: tuple[Input, ...] = ()
    four_eyes: str = ""
    four_eyes_message: str = ""
    log_input: str | None = "comment"
    log_prefix: str = ""
    needs: str = ""
    needs_message: str = ""
    bulk: str = ""
    api_status: int = 200
    primary: bool = False  # the admin shows its button as the default one
    examples: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def verb(self) -> str:
        return self.name.replace("_", " ")

    @cached_property
    def service_function(self) -> Callable[..., Any]:
        return import_string(self.service)

    def run(self, *, claim_id: int, actor, data: dict[str, Any]) -> Any:
        """Carry the action out with already-parsed ``data`` (absent or empty optional inputs
        take the service's defaults)."""
        kwargs = {
            name: value for name, value in data.items()
            if value not in (None, "") or self.input(name).required
        }
        return self.service_function(claim_id=claim_id, actor=actor, **kwargs)

    def input(self, name: str) -> Input:
        return next(i for i in self.inputs if i.name == name)


OPTIONAL_COMMENT = Input("comment", label=_("Comment for the review log (optional)"))

CORRECTION_KINDS = (
    (Correction.Kind.CORRECTION.value, Correction.Kind.CORRECTION.label),
    (Correction.Kind.UPDATE.value, Correction.Kind.UPDATE.label),
    (Correction.Kind.RATING_CHANGE.value, Correction.Kind.RATING_CHANGE.label),
)


def _actions(*actions: Action) -> dict[str, Action]:
    return {action.name: action for action in actions}


ACTIONS: dict[str, Action] = _actions(
    Action(
        "submit", sources=(Status.DRAFT,), target=Status.IN_REVIEW,
        permission="claims.submit_claim", service="claims.services.workflow.claim_submit",
        label=_("Submit for review"), done=_("submitted for review"), refused=_("not submitted"),
        summary="Submit a draft for review", api_path="submit", inputs=(OPTIONAL_COMMENT,),
        bulk=_("Submit selected claims for review"),
    ),
    Action(
        "request_changes", sources=(Status.IN_REVIEW,), target=Status.DRAFT,
        permission=REVIEWERS, service="claims.services.workflow.claim_request_changes",
        label=_("Request changes"), done=_("sent back to its author with your comment"),
        refused=_("not sent back"), summary="Send a claim in review back to its author",
        api_path="request-changes",
        inputs=(Input("comment", label=_("What needs to change (required)"), required=True,
                      missing=("Say what needs to change.",
                               "A comment is required when requesting changes.",
                               "comment_required")),),
    ),
    Action(
        "publish", sources=(Status.IN_REVIEW,), target=Status.PUBLISHED,
        permission=REVIEWERS, service="claims.services.workflow.claim_publish",
        label=_("Publish"), done=_("published"), refused=_("not published"),
        summary="Publish a claim in review (another reviewer than its author)",
        api_path="publish", inputs=(OPTIONAL_COMMENT,), four_eyes="always",
        four_eyes_message="You wrote this claim: another reviewer must publish it.",
        bulk=_("Publish selected claims"), primary=True,
        examples={409: {"error": {
            "code": "publish_gate", "message": "The claim cannot be published yet: choose a rating",
            "fields": {"missing": [{"code": "rating", "message": "choose a rating"}]}}}},
    ),
    Action(
        "retract", sources=(Status.PUBLISHED,), target=Status.RETRACTED,
        permission=REVIEWERS, service="claims.services.workflow.claim_retract",
        label=_("Retract"), done=_("retracted"), refused=_("not retracted"),
        summary="Retract a published claim (public note)", api_path="retract",
        inputs=(Input("note", label=_("Public retraction note (required)"), required=True,
                      help_text=_("Public: shown on the claim's page with the retraction."),
                      missing=("A retraction needs a public note.",
                               "A note is required to retract a claim.", "note_required")),),
        log_input="note", primary=True,
    ),
    Action(
        # Corrections keep the claim published.
        "correct", sources=(Status.PUBLISHED,), target=Status.PUBLISHED,
        permission=REVIEWERS, service="claims.services.workflow.claim_correct",
        label=_("Add correction"), done=_("corrected"), refused=_("not corrected"),
        summary="Publish a correction, update or rating change", api_path="corrections",
        inputs=(
            Input("kind", kind="choice", label=_("Kind"), required=True, choices=CORRECTION_KINDS,
                  invalid=("Unknown correction kind.", "Use correction, update or rating_change.")),
            Input("note", label=_("Public note (required)"), required=True,
                  help_text=_("Public: what changed and why."),
                  missing=("A correction needs a public note.", "A note is required.",
                           "note_required")),
            Input("new_rating", kind="rating", label=_("New rating (rating change only)"),
                  help_text=_("Only for a rating change; a rating change by the claim's author is "
                              "refused.")),
            Input("rating_explanation", label=_("New rating explanation (optional)"), max_length=500,
                  help_text=_("Leave empty to keep the current explanation.")),
        ),
        four_eyes="rating_change",
        four_eyes_message="You wrote this claim: another reviewer must change its rating.",
        log_input=None, api_status=201,
    ),
    Action(
        # Evidence health: a published claim whose cited quote drifted or was orphaned, or whose
        # cited source stopped fetching, is flagged by the database (claims migration 0009). A
        # reviewer who checked that the verdict still stands dismisses the alert with a reason;
        # a correction, or the quotes anchoring again, clears it too.
        "dismiss_attention", sources=(Status.PUBLISHED,), target=Status.PUBLISHED,
        permission=REVIEWERS, service="claims.services.workflow.claim_dismiss_attention",
        label=_("Dismiss evidence alert"), done=_("evidence alert dismissed"),
        refused=_("not dismissed"),
        summary="Dismiss a published claim's evidence alert after checking it (reason required)",
        api_path="dismiss-attention",
        inputs=(Input("reason", label=_("Why the verdict still stands (required)"), required=True,
                      help_text=_("Recorded in the review log."),
                      missing=("Say why the changed evidence needs no correction.",
                               "A reason is required to dismiss an evidence alert.",
                               "reason_required")),),
        log_input="reason", log_prefix="Evidence alert dismissed: ",
        needs="evidence_attention_at",
        needs_message="The claim's evidence has not changed: there is no alert to dismiss.",
    ),
)


# --- Who may do what ------------------------------------------------------------------------


def has_perm(actor, permission: str) -> bool:
    return bool(actor and actor.is_active and actor.has_perm(permission))


def is_author(claim: Claim, actor) -> bool:
    return claim.author_id is not None and claim.author_id == getattr(actor, "pk", None)


def allowed_actions(claim: Claim, actor, actions: dict[str, Action] | None = None) -> list[str]:
    """The workflow actions ``actor`` may attempt on ``claim`` now (for buttons and links)."""
    return [
        action.name for action in (ACTIONS if actions is None else actions).values()
        if claim.status in action.sources and has_perm(actor, action.permission)
        and not (action.four_eyes == "always" and is_author(claim, actor))
        and (not action.needs or getattr(claim, action.needs) is not None)
    ]


def can_edit(claim: Claim | None, user) -> bool:
    """Whether ``claim``'s state lets ``user`` change its content (fields, evidence, relations)
    now. The role's model permission (``change_claim``, ``add_evidence`` …) is checked apart.
    A claim not created yet is editable."""
    if claim is None or claim.pk is None:
        return True
    permission = STATES[claim.status].edit_permission
    return permission is not None and (permission == "" or has_perm(user, permission))


def ensure_can_edit(claim: Claim, actor, *, permission: str, role_message: str,
                    frozen_message: str, reviewers_message: str) -> None:
    """Raise RoleError unless ``actor`` holds ``permission`` and the state lets them edit
    (``reviewers_message``); TransitionError when the state freezes the claim."""
    if not has_perm(actor, permission):
        raise RoleError(role_message)
    if STATES[claim.status].edit_permission is None:
        raise TransitionError(frozen_message, fields={"status": claim.status})
    if not can_edit(claim, actor):
        raise RoleError(reviewers_message)


def ensure_four_eyes(claim: Claim, actor, action: Action) -> None:
    """Raise FourEyesError when ``actor`` wrote ``claim`` (even a reviewer or superuser)."""
    if is_author(claim, actor):
        raise FourEyesError(action.four_eyes_message)


# --- Readiness ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gate:
    """One publish gate as the editors' checklist shows it: the ``code`` its problems carry, the
    line of the checklist, and where on the claim's admin page it is fixed (an anchor)."""

    code: str
    label: str
    fix: str


# Every gate ``claim_publish_problems`` checks, in the checklist's order. A new gate is a new
# entry here (the checklist lists a problem whose code is missing here under its own message).
GATES: tuple[Gate, ...] = (
    Gate("rating", _("A rating"), "#id_rating"),
    Gate("rating_explanation", _("A rating explanation"), "#id_rating_explanation"),
    Gate("claimant", _("The claimant"), "#id_claimant"),
    Gate("claim_date", _("The date the claim was made"), "#id_claim_date"),
    Gate("appearance", _("A source where the claim appeared (evidence: appearance)"),
         "#evidence-group"),
    Gate("evidence", _("A supporting, refuting or context source"), "#evidence-group"),
    Gate("sources_not_distinct",
         _("The appearance and the other evidence from two different sources"),
         "#evidence-group"),
    Gate("quote_not_anchored",
         _("Every cited quote found in its source's text (or a recorded override)"),
         "#evidence-group"),
    Gate("quote_speaker", _("A named speaker for every cited quote"), "#evidence-group"),
    Gate("claimreview", _("Valid ClaimReview markup"), "#id_text"),
)

EVIDENCE_GATE_FIELDS = (
    "id", "relation", "source_id", "source__title", "source__url", "quote_id",
    "quote__text", "quote__anchor_status", "quote__speaker_id", "anchor_override_reason",
)
# One read of a claim's evidence serves the gates and the markup check (MarkupEvidence).
EVIDENCE_FIELDS = tuple(dict.fromkeys((*EVIDENCE_GATE_FIELDS, *MarkupEvidence.FIELDS)))


def claim_publish_problems(claim: Claim, *, evidence: list[dict[str, Any]] | None = None,
                           scale: RatingScale | None = None) -> list[dict[str, Any]]:
    """Everything that keeps ``claim`` from being published, as ``{"code", "message"}`` items.

    An empty list means the claim may be published. Two queries (the evidence with its sources,
    outlets and quotes, which the gates and the ClaimReview markup check both read; the rating
    scale). Evidence items (``quote_not_anchored``, ``sources_not_distinct``) also name the
    evidence, quote and source they are about. ``evidence``: the claim's evidence rows
    (``EVIDENCE_FIELDS``, by order) already read (``claims_publish_problems`` reads them for
    many claims at once); ``scale``: the rating scale already read
    (``claims.claimreview.rating_scale``).
    """
    problems: list[dict[str, Any]] = []
    if evidence is None:
        evidence = list(claim.evidence.order_by("order", "id").values(*EVIDENCE_FIELDS))
    relations = [item["relation"] for item in evidence]
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
    problems += evidence_problems(evidence)
    # The ClaimReview we will publish must be valid markup too (search engines reject it else).
    problems += claimreview_publish_problems(
        claim, scale=scale, evidence=[MarkupEvidence.from_row(item) for item in evidence])
    return problems


def claims_publish_problems(claims: list[Claim]) -> dict[int, list[dict[str, Any]]]:
    """``claim_publish_problems`` of many claims (a page of a list), by claim id, in two queries
    (their evidence rows, the rating scale) when the claims come with ``rating`` and
    ``claimant`` joined (``claims.selectors.MARKUP_CLAIM_FIELDS``)."""
    rows: dict[int, list[dict[str, Any]]] = {claim.pk: [] for claim in claims}
    for item in (Evidence.objects.filter(claim_id__in=list(rows)).order_by("order", "id")
                 .values("claim_id", *EVIDENCE_FIELDS)):
        rows[item.pop("claim_id")].append(item)
    scale = rating_scale()
    return {claim.pk: claim_publish_problems(claim, evidence=rows[claim.pk], scale=scale)
            for claim in claims}


ANCHOR_PROBLEMS = {
    Quote.AnchorStatus.UNVERIFIED: "unverified: these words are not in the source's text",
    Quote.AnchorStatus.DRIFTED: "drifted: the source's text changed around it",
    Quote.AnchorStatus.ORPHANED: "orphaned: no longer found in the source's text",
}


def evidence_problems(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The evidence gates, on rows as ``claim_publish_problems`` reads them: every cited quote
    anchored in its source's snapshot (or accepted by a reviewer's recorded override), and the
    appearance and the other evidence from at least two different sources."""
    problems: list[dict[str, Any]] = []
    for item in evidence:
        status = item["quote__anchor_status"]
        if item["quote_id"] is None or status == Quote.AnchorStatus.ANCHORED:
            continue
        if item["anchor_override_reason"]:
            continue
        problems.append({
            "code": "quote_not_anchored",
            "message": (f"the quote “{Truncator(item['quote__text']).chars(80)}” "
                        f"({source_name(item)}) is {ANCHOR_PROBLEMS[status]} — fix the quote, "
                        "or have a reviewer record an override with the reason"),
            "evidence": item["id"], "quote": item["quote_id"], "anchor_status": status,
        })
    unnamed = [item for item in evidence if item["quote_id"] and not item["quote__speaker_id"]]
    if unnamed:
        problems.append({
            "code": "quote_speaker",
            "message": "name the speaker of every quote cited as evidence (or cite the source alone)",
            "evidence": unnamed[0]["id"], "quote": unnamed[0]["quote_id"],
        })
    appearance_sources = {i["source_id"] for i in evidence
                          if i["relation"] == Evidence.Relation.APPEARANCE}
    other_sources = {i["source_id"] for i in evidence
                     if i["relation"] != Evidence.Relation.APPEARANCE}
    if appearance_sources and other_sources and len(appearance_sources | other_sources) < 2:
        only = next(i for i in evidence if i["source_id"] in appearance_sources)
        problems.append({
            "code": "sources_not_distinct",
            "message": (f"the appearance and the other evidence all cite the same source "
                        f"({source_name(only)}): add a supporting, refuting or context source "
                        "other than where the claim appeared"),
            "source": only["source_id"],
        })
    return problems


def source_name(item: dict[str, Any]) -> str:
    return f"“{Truncator(item['source__title'] or item['source__url']).chars(80)}”"


def new_problems(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> bool:
    """Whether ``after`` has a problem ``before`` did not (compared by code and subject)."""
    def key(problem):
        return (problem["code"], problem.get("evidence"), problem.get("quote"),
                problem.get("source"))
    return bool({key(p) for p in after} - {key(p) for p in before})


def ensure_edit_keeps_gates(claim: Claim, before: list[dict[str, Any]] | None) -> None:
    """After an edit of a published claim (called under its row lock, with the problems it had
    before the edit): raise PublishGateError listing every problem when the edit added one.

    Problems the claim already had — evidence that changed under it, flagged for a reviewer's
    attention — do not block unrelated edits; an edit may never add one (an unanchored quote, a
    second source that is the same one, a removed appearance). ``before`` is None for a claim
    that is not published (nothing to check)."""
    if before is None:
        return
    after = claim_publish_problems(claim)
    if new_problems(before, after):
        raise PublishGateError(after, editing=True)


def gates_before_edit(claim: Claim) -> list[dict[str, Any]] | None:
    """The problems of a published claim before an edit (None when it is not published)."""
    return claim_publish_problems(claim) if claim.status == Status.PUBLISHED else None


# --- The transition helper ------------------------------------------------------------------


def lock_claim(claim_id: int) -> Claim:
    """The claim, row-locked for the current transaction (NotFound if it does not exist)."""
    try:
        return Claim.objects.select_for_update().get(pk=claim_id)
    except Claim.DoesNotExist:
        raise NotFound("No such claim.") from None


def save_claim(claim: Claim, fields: Iterable[str]) -> Claim:
    """Save only ``fields``; read back ``version`` and ``updated_at`` (the database trigger
    sets them)."""
    claim.save(update_fields=[*fields, "updated_at"])
    claim.refresh_from_db(fields=["version", "updated_at"])
    return claim


def clean_inputs(action: Action, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` checked against the action's inputs: a required text stripped (InvalidInput
    when blank), a choice among its choices (InvalidInput otherwise)."""
    cleaned = dict(values)
    for spec in action.inputs:
        value = cleaned.get(spec.name)
        if spec.kind == "choice" and value not in {choice for choice, _ in spec.choices}:
            message, field_message = spec.invalid or ("Unknown value.", "Not a valid choice.")
            raise InvalidInput(message, fields={spec.name: [field_message]})
        if spec.kind == "text" and spec.required:
            if not (value or "").strip():
                message, field_message, code = spec.missing or ("Required.", "Required.", "")
                raise InvalidInput(message, code=code or None, fields={spec.name: [field_message]})
            cleaned[spec.name] = value.strip()
    return cleaned


# A service's own step: called with (claim, actor, cleaned inputs); ``change`` returns the names
# of the fields it set.
Hook = Callable[[Claim, Any, dict[str, Any]], Any]


def transition(
    action_name: str, *, claim_id: int, actor, inputs: dict[str, Any],
    check: Hook | None = None, change: Hook | None = None, record: Hook | None = None,
) -> Claim:
    """Carry out ``ACTIONS[action_name]`` on a claim. Call inside ``transaction.atomic``.

    In order: checks the inputs (before any lock, so a bad request is a 400 whoever sends it);
    locks the claim; checks the actor's permission (RoleError), the state (TransitionError) and
    the ``always`` four-eyes rule (FourEyesError); runs ``check`` (e.g. the publish gates); then,
    in one audit context, moves the status, applies ``change`` (returning more fields to save),
    saves what moved, runs ``record`` (rows that go with the move) and writes the ReviewEvent.
    Returns the locked, saved claim.
    """
    action = ACTIONS[action_name]
    inputs = clean_inputs(action, inputs)
    claim = lock_claim(claim_id)
    if not has_perm(actor, action.permission):
        raise RoleError(f"Your role does not allow you to {action.verb} claims.")
    if claim.status not in action.sources:
        raise TransitionError(
            f"Cannot {action.verb} a claim that is {claim.status.replace('_', ' ')}.",
            fields={"status": claim.status, "action": action.name},
        )
    if action.four_eyes == "always":
        ensure_four_eyes(claim, actor, action)
    if action.needs and getattr(claim, action.needs) is None:
        raise TransitionError(action.needs_message, fields={"action": action.name})
    if check is not None:
        check(claim, actor, inputs)
    with audit_context(actor, action=action.service.rsplit(".", 1)[1]):
        from_status = claim.status
        fields = []
        if action.target != from_status:
            claim.status = action.target
            fields.append("status")
        if change is not None:
            fields += change(claim, actor, inputs)
        if fields:
            save_claim(claim, fields)
        if record is not None:
            record(claim, actor, inputs)
        if action.log_input is not None:
            ReviewEvent.objects.create(
                claim=claim, actor=actor, from_status=from_status, to_status=claim.status,
                comment=action.log_prefix + inputs.get(action.log_input, ""),
            )
    if record is not None:  # what it wrote moved the claim's version
        claim.refresh_from_db(fields=["version", "updated_at"])
    return claim


def ensure_publishable(claim: Claim, actor=None, inputs: dict[str, Any] | None = None) -> None:
    """Raise PublishGateError listing every problem, if the claim is not ready to publish."""
    problems = claim_publish_problems(claim)
    if problems:
        raise PublishGateError(problems)
