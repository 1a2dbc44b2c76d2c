"""Domain errors shared by every app. The API's exception handler and the admin turn them into
one JSON error shape / one admin message; each carries a stable machine-readable ``code``."""

from __future__ import annotations


class DomainError(Exception):
    """Base for errors a service raises on purpose. ``status`` is the HTTP status it maps to."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class InvalidInput(DomainError):
    """The request is malformed or a value is not acceptable (400)."""


class NotFound(DomainError):
    """The object does not exist or the actor may not see it (404)."""

    code = "not_found"
    status = 404


class NotPermitted(DomainError):
    """The actor's role does not allow this action (403)."""

    code = "permission_denied"
    status = 403


class Conflict(DomainError):
    """The action is not possible in the object's current state (409)."""

    code = "conflict"
    status = 409


class StaleVersion(DomainError):
    """The client's copy is out of date (If-Match did not match: 412)."""

    code = "precondition_failed"
    status = 412
