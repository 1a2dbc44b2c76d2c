"""Who did it: context attached to the audit-trail rows (django-pghistory) written inside."""

from __future__ import annotations

from typing import Any

import pghistory


def audited() -> tuple:
    """Fresh insert/update/delete trackers for one model: ``@pghistory.track(*audited())``
    (pghistory trackers must not be shared between models)."""
    return (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())


def audit_context(actor=None, **metadata: Any):
    """Use as ``with audit_context(actor, command="load_demo"):``. Nested contexts merge.

    The request middleware already records the logged-in user; services and management
    commands call this so their writes name the actor too.
    """
    if actor is not None and getattr(actor, "pk", None):
        metadata.setdefault("user", actor.pk)
    return pghistory.context(**metadata)
