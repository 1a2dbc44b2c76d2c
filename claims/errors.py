"""Typed errors of the claims services. The API's exception handler maps each to one JSON error
shape by its ``status`` and ``code``; the admin shows its ``message``."""

from __future__ import annotations

from factcheck.errors import Conflict, NotPermitted


class TransitionError(Conflict):
    """The claim's current state does not allow this action (409 ``illegal_transition``)."""

    code = "illegal_transition"


class PublishGateError(Conflict):
    """The claim is not ready to publish; ``missing`` lists every problem at once (409)."""

    code = "publish_gate"

    def __init__(self, missing: list[dict], *, editing: bool = False):
        self.missing = missing
        lead = ("The change would leave the published claim failing its publish gates: "
                if editing else "The claim cannot be published yet: ")
        message = lead + "; ".join(m["message"] for m in missing)
        super().__init__(message, fields={"missing": missing})


class RoleError(NotPermitted):
    """The actor's role does not allow this action (403 ``permission_denied``)."""


class FourEyesError(NotPermitted):
    """The claim's author may not publish (or re-rate) their own claim (403 ``four_eyes``)."""

    code = "four_eyes"
