"""Domain errors shared by every app. The API's exception handler and the admin turn them into
one JSON error shape / one admin message; each carries a stable machine-readable ``code``."""

from __future__ import annotations


class DomainError(Exception):
    """Base for errors a service raises on purpose. ``status`` is the HTTP status it maps to.

    A subclass names its default code and status in its bases:
    ``class NotFound(DomainError, code="not_found", status=404)``.
    """

    code = "invalid"
    status = 400

    def __init_subclass__(cls, *, code: str | None = None, status: int | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code
        if status is not None:
            cls.status = status

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class InvalidInput(DomainError):
    """The request is malformed or a value is not acceptable (400)."""


class NotFound(DomainError, code="not_found", status=404):
    """The object does not exist or the actor may not see it (404)."""


class NotPermitted(DomainError, code="permission_denied", status=403):
    """The actor's role does not allow this action (403)."""


class Conflict(DomainError, code="conflict", status=409):
    """The action is not possible in the object's current state (409)."""


class StaleVersion(DomainError, code="precondition_failed", status=412):
    """The client's copy is out of date (If-Match did not match: 412)."""
