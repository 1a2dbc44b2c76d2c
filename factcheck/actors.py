"""Who acts: role checks shared by every app's services, and the actor of commands and jobs.

Every write service takes an ``actor`` and checks it holds the model permission of what it does
(``require_permission``), whatever door it is called from. ``None`` is no actor and is refused: a
management command run by the operator passes ``SYSTEM`` explicitly; a background job passes the
user who queued it.
"""

from __future__ import annotations

from factcheck.errors import NotPermitted


class SystemActor:
    """The operator running a management command: every permission, no user row (the audit trail
    records the command's context instead of a user)."""

    pk = id = None
    is_active = is_staff = is_authenticated = True
    is_superuser = is_anonymous = False

    def has_perm(self, permission: str, obj=None) -> bool:
        return True

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


def has_permission(actor, permission: str) -> bool:
    return bool(actor is not None and actor.is_active and actor.has_perm(permission))


def require_permission(actor, permission: str, message: str = "Your role does not allow this.") -> None:
    """Raise NotPermitted (403 ``permission_denied``) unless ``actor`` holds ``permission``."""
    if not has_permission(actor, permission):
        raise NotPermitted(message)
