"""ETags and conditional requests.

- A claim's ETag is ``"v<version>"`` (the database bumps ``version`` on every change of the claim,
  its evidence or corrections). Other objects' ETags hash their representation.
- ``If-None-Match`` on a GET (detail or list) → 304 when it matches.
- PUT/PATCH/DELETE need ``If-Match``: missing → 428, stale → 412. The expectation goes to the
  service, which compares it under its own row lock, so two writers holding the same ETag cannot
  both win: a claim's version to ``claims.services.claim_update``/``claim_delete``
  (``expected_version_from``), other objects' ETags as a ``factcheck.concurrency.ExpectedEtag``
  (``expected_etag``).
"""

from __future__ import annotations

import hashlib

from django.http import HttpResponse

from factcheck.concurrency import ExpectedEtag
from factcheck.errors import DomainError, StaleVersion


class PreconditionRequired(DomainError, code="precondition_required", status=428):
    """A write without If-Match (428): the client must say which version it is changing."""


def version_etag(version: int) -> str:
    return f'"v{version}"'


def content_etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def _etags(header: str) -> list[str]:
    tags = []
    for part in header.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag:
            tags.append(tag)
    return tags


def if_none_match_hits(request, etag: str) -> bool:
    """Whether a GET may answer 304 (weak comparison, RFC 9110 §13.1.2)."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = _etags(header)
    return "*" in tags or etag.removeprefix("W/") in tags


def not_modified(etag: str) -> HttpResponse:
    response = HttpResponse(status=304)
    response["ETag"] = etag
    return response


def require_if_match(request) -> list[str]:
    """The If-Match entity tags of a write. Raises PreconditionRequired (428) when absent."""
    header = request.headers.get("If-Match")
    if not header or not header.strip():
        raise PreconditionRequired(
            "Send If-Match with the ETag of the version you are changing.",
            fields={"If-Match": ["Required."]},
        )
    return _etags(header)


def expected_version_from(request, current_version: int) -> int | None:
    """The claim version an If-Match names (``"v12"``); None for ``*``. Raises 428/412.

    When several tags are listed, the one equal to ``current_version`` (read without a lock) is
    chosen; the service compares it again under the row lock, so a race still yields one winner.
    """
    tags = require_if_match(request)
    if "*" in tags:
        return None
    versions = []
    for tag in tags:
        inner = tag.strip('"')
        if inner.startswith("v") and inner[1:].isdigit() and len(inner) < 12:
            versions.append(int(inner[1:]))
    if not versions:
        raise StaleVersion("If-Match does not name a version of this claim.")
    return current_version if current_version in versions else versions[0]


def expected_etag(request, etag_of) -> ExpectedEtag:
    """The If-Match of a write, for the service to compare under its lock (428 when absent).
    ``etag_of(obj)`` computes the current ETag of the locked object."""
    return ExpectedEtag(etags=tuple(require_if_match(request)), etag_of=etag_of)


def check_if_match(request, current_etag: str) -> None:
    """For objects without a version: If-Match must name the current ETag (428/412)."""
    tags = require_if_match(request)
    if "*" not in tags and current_etag not in tags:
        raise StaleVersion("The object has changed; reload it and try again.")
