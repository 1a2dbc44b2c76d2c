"""The permission matrix: every caller × claim endpoint and method × claim state → exact status.

Callers: anonymous; a read-scope token of a user without staff status (sees what the public
sees); an editor's write-scope token; editor, reviewer, the reviewer who wrote the claim, and an
administrator (superuser, not the author) with sessions.
"""

from __future__ import annotations

import pytest

from claims.models import Claim
from tests import factories
from tests.api_helpers import session_client, token_client
from tests.conftest import bring_to, make_ready_claim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

STATES = ("draft", "in_review", "published", "retracted")
CALLERS = ("anon", "read_token", "write_token", "editor", "reviewer", "reviewer_author", "admin")

# (method, path suffix, body) per endpoint.
ENDPOINTS = {
    "get": ("get", "", None),
    "history": ("get", "history/", None),
    "patch": ("patch", "", {"analysis": "Edited."}),
    "put": ("put", "", {"text": "Edited wording of the claim."}),
    "delete": ("delete", "", None),
    "submit": ("post", "submit/", {}),
    "request_changes": ("post", "request-changes/", {"comment": "Please fix."}),
    "publish": ("post", "publish/", {}),
    "retract": ("post", "retract/", {"note": "Wrong."}),
    "correct": ("post", "corrections/", {"kind": "correction", "note": "Typo."}),
}

PUBLIC_READ = {"draft": 404, "in_review": 404, "published": 200, "retracted": 200}
ALL_READ = dict.fromkeys(STATES, 200)
EDIT_AS_EDITOR = {"draft": 200, "in_review": 200, "published": 403, "retracted": 409}
EDIT_AS_REVIEWER = {"draft": 200, "in_review": 200, "published": 200, "retracted": 409}
NO_WRITE_401 = dict.fromkeys(STATES, 401)
NO_WRITE_403 = dict.fromkeys(STATES, 403)
# A non-staff read token cannot write, and its user cannot see private claims; scope is checked first.
READ_TOKEN_WRITE = dict.fromkeys(STATES, 403)


def only(state: str, ok: int, otherwise: int = 409) -> dict:
    return {s: ok if s == state else otherwise for s in STATES}


EDITORISH = {
    "get": ALL_READ, "history": ALL_READ, "patch": EDIT_AS_EDITOR, "put": EDIT_AS_EDITOR,
    "delete": NO_WRITE_403, "submit": only("draft", 200), "request_changes": NO_WRITE_403,
    "publish": NO_WRITE_403, "retract": NO_WRITE_403, "correct": NO_WRITE_403,
}
REVIEWERISH = {
    "get": ALL_READ, "history": ALL_READ, "patch": EDIT_AS_REVIEWER, "put": EDIT_AS_REVIEWER,
    "delete": NO_WRITE_403, "submit": only("draft", 200), "request_changes": only("in_review", 200),
    "publish": only("in_review", 200), "retract": only("published", 200),
    "correct": only("published", 201),
}

MATRIX: dict[str, dict[str, dict[str, int]]] = {
    "anon": {
        "get": PUBLIC_READ, "history": PUBLIC_READ,
        **{name: NO_WRITE_401 for name in ENDPOINTS if name not in {"get", "history"}},
    },
    "read_token": {
        "get": PUBLIC_READ, "history": PUBLIC_READ,
        **{name: READ_TOKEN_WRITE for name in ENDPOINTS if name not in {"get", "history"}},
    },
    "write_token": EDITORISH,
    "editor": EDITORISH,
    "reviewer": REVIEWERISH,
    # Four eyes: the author may not publish, even as a reviewer; everything else as a reviewer.
    "reviewer_author": {**REVIEWERISH, "publish": only("in_review", 403)},
    "admin": {**REVIEWERISH, "delete": only("draft", 204)},
}

def test_permission_matrix(editor, reviewer, other_reviewer, admin_user, outsider):
    """One pass over the whole table. A claim is reused until a call succeeds (a refused call
    must leave it untouched, which is checked through its version)."""
    clients = {
        "anon": session_client(None),
        "read_token": token_client(outsider, "read"),
        "write_token": token_client(editor, "write"),
        "editor": session_client(editor),
        "reviewer": session_client(reviewer),
        "reviewer_author": session_client(other_reviewer),
        "admin": session_client(admin_user),
    }
    claims: dict[tuple[int, str], object] = {}
    mismatches = []
    for caller in CALLERS:
        author = other_reviewer if caller == "reviewer_author" else editor
        for endpoint, (method, suffix, body) in ENDPOINTS.items():
            for state in STATES:
                key = (author.pk, state)
                if key not in claims:
                    claims[key] = bring_to(make_ready_claim(author), state, author=author, reviewer=reviewer)
                claim = claims[key]
                conditional = method in {"put", "patch", "delete"}
                headers = {"HTTP_IF_MATCH": f'"v{claim.version}"'} if conditional else {}
                kwargs = {"format": "json"} if body is not None else {}
                response = getattr(clients[caller], method)(
                    f"/api/v1/claims/{claim.pk}/{suffix}", body, **kwargs, **headers)
                expected = MATRIX[caller][endpoint][state]
                if response.status_code != expected:
                    mismatches.append((caller, endpoint, state, response.status_code, expected,
                                       response.content[:200]))
                if response.status_code >= 400:
                    assert set(response.json()) == {"error"}
                    claim_now = Claim.objects.filter(pk=claim.pk).values_list("version", "status").first()
                    assert claim_now == (claim.version, claim.status), (caller, endpoint, state)
                if response.status_code < 300 and method != "get":
                    del claims[key]  # it moved on: the next cell gets a fresh claim in this state
    assert mismatches == []


# --- Resources without workflow state ----------------------------------------------------------

RESOURCE_BODIES = {
    "topics": lambda: {"name": f"Topic {factories.TopicFactory.build().name}"},
    "outlets": lambda: {"domain": "fresh.example", "name": "Fresh"},
    "people": lambda: {"name": "Someone New"},
    "sources": lambda: {"url": "https://fresh.example/story", "content": "Words."},
    "ratings": lambda: {"label": "Pants on fire"},
}
RESOURCE_MATRIX = {
    # caller → {resource: POST status}
    "anon": dict.fromkeys(RESOURCE_BODIES, 401),
    "read_token": dict.fromkeys(RESOURCE_BODIES, 403),
    "write_token": {**dict.fromkeys(RESOURCE_BODIES, 201), "ratings": 403},
    "editor": {**dict.fromkeys(RESOURCE_BODIES, 201), "ratings": 403},
    "reviewer": {**dict.fromkeys(RESOURCE_BODIES, 201), "ratings": 403},
    "admin": dict.fromkeys(RESOURCE_BODIES, 201),
}


@pytest.mark.parametrize("caller", list(RESOURCE_MATRIX))
def test_resource_write_matrix(caller, editor, reviewer, admin_user, outsider):
    client = {
        "anon": lambda: session_client(None),
        "read_token": lambda: token_client(outsider, "read"),
        "write_token": lambda: token_client(editor, "write"),
        "editor": lambda: session_client(editor),
        "reviewer": lambda: session_client(reviewer),
        "admin": lambda: session_client(admin_user),
    }[caller]()
    for resource, body in RESOURCE_BODIES.items():
        assert client.get(f"/api/v1/{resource}/").status_code == 200
        response = client.post(f"/api/v1/{resource}/", body(), format="json")
        assert response.status_code == RESOURCE_MATRIX[caller][resource], (resource, response.content)


def test_tokens_endpoint_needs_authentication():
    response = session_client(None).get("/api/v1/tokens/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
