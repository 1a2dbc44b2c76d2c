"""The permission matrix: every caller × claim endpoint and method × claim state → exact status
(claims, workflow, history and the claim's evidence), then every caller × resource × POST/PATCH.

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

# (method, path, body) per endpoint; the path and a callable body are filled in with the claim,
# the id of its last evidence link and (for a new link) a fresh source.
ENDPOINTS = {
    "get": ("get", "/api/v1/claims/{claim}/", None),
    "history": ("get", "/api/v1/claims/{claim}/history/", None),
    "patch": ("patch", "/api/v1/claims/{claim}/", {"analysis": "Edited."}),
    "put": ("put", "/api/v1/claims/{claim}/", {"text": "Edited wording of the claim."}),
    "delete": ("delete", "/api/v1/claims/{claim}/", None),
    "submit": ("post", "/api/v1/claims/{claim}/submit/", {}),
    "request_changes": ("post", "/api/v1/claims/{claim}/request-changes/", {"comment": "Please fix."}),
    "publish": ("post", "/api/v1/claims/{claim}/publish/", {}),
    "retract": ("post", "/api/v1/claims/{claim}/retract/", {"note": "Wrong."}),
    "correct": ("post", "/api/v1/claims/{claim}/corrections/", {"kind": "correction", "note": "Typo."}),
    "evidence_list": ("get", "/api/v1/evidence/?claim={claim}", None),
    "evidence_get": ("get", "/api/v1/evidence/{evidence}/", None),
    "evidence_add": ("post", "/api/v1/evidence/", lambda claim: {
        "claim": claim.pk, "source": factories.SourceFactory().pk, "relation": "context"}),
    "evidence_patch": ("patch", "/api/v1/evidence/{evidence}/", {"note": "Edited note."}),
    "evidence_delete": ("delete", "/api/v1/evidence/{evidence}/", None),
}
CLAIM_READS = {"get", "history", "evidence_list", "evidence_get"}

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


# Evidence: a private claim named in ?claim= is an unknown value (400), like a missing one.
PUBLIC_EVIDENCE_LIST = {"draft": 400, "in_review": 400, "published": 200, "retracted": 200}
PUBLIC_READS = {"get": PUBLIC_READ, "history": PUBLIC_READ, "evidence_list": PUBLIC_EVIDENCE_LIST,
                "evidence_get": PUBLIC_READ}
# Evidence of a published claim: reviewers only; of a retracted one: frozen (409). Unlinking from a
# published claim its last source but the appearance breaks its publish gates (409).
EVIDENCE_AS_EDITOR = {"draft": 200, "in_review": 200, "published": 403, "retracted": 409}
EVIDENCE_AS_REVIEWER = {"draft": 200, "in_review": 200, "published": 200, "retracted": 409}

EDITORISH = {
    "get": ALL_READ, "history": ALL_READ, "patch": EDIT_AS_EDITOR, "put": EDIT_AS_EDITOR,
    "delete": NO_WRITE_403, "submit": only("draft", 200), "request_changes": NO_WRITE_403,
    "publish": NO_WRITE_403, "retract": NO_WRITE_403, "correct": NO_WRITE_403,
    "evidence_list": ALL_READ, "evidence_get": ALL_READ,
    "evidence_add": {**EVIDENCE_AS_EDITOR, "draft": 201, "in_review": 201},
    "evidence_patch": EVIDENCE_AS_EDITOR,
    "evidence_delete": {**EVIDENCE_AS_EDITOR, "draft": 204, "in_review": 204},
}
REVIEWERISH = {
    "get": ALL_READ, "history": ALL_READ, "patch": EDIT_AS_REVIEWER, "put": EDIT_AS_REVIEWER,
    "delete": NO_WRITE_403, "submit": only("draft", 200), "request_changes": only("in_review", 200),
    "publish": only("in_review", 200), "retract": only("published", 200),
    "correct": only("published", 201),
    "evidence_list": ALL_READ, "evidence_get": ALL_READ,
    "evidence_add": {**EVIDENCE_AS_REVIEWER, "draft": 201, "in_review": 201, "published": 201},
    "evidence_patch": EVIDENCE_AS_REVIEWER,
    "evidence_delete": {**EVIDENCE_AS_REVIEWER, "draft": 204, "in_review": 204, "published": 409},
}

MATRIX: dict[str, dict[str, dict[str, int]]] = {
    "anon": {**PUBLIC_READS, **{name: NO_WRITE_401 for name in ENDPOINTS if name not in CLAIM_READS}},
    "read_token": {**PUBLIC_READS,
                   **{name: READ_TOKEN_WRITE for name in ENDPOINTS if name not in CLAIM_READS}},
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
        for endpoint, (method, path, body) in ENDPOINTS.items():
            for state in STATES:
                key = (author.pk, state)
                if key not in claims:
                    claims[key] = bring_to(make_ready_claim(author), state, author=author, reviewer=reviewer)
                claim = claims[key]
                evidence_id = claim.evidence.order_by("-order", "-pk").values_list("pk", flat=True)[0]
                headers = {}
                if method in {"put", "patch", "delete"}:
                    # Evidence ETags hash the link; "*" (any current version) keeps this about roles.
                    etag = "*" if endpoint.startswith("evidence") else f'"v{claim.version}"'
                    headers = {"HTTP_IF_MATCH": etag}
                data = body(claim) if callable(body) else body
                kwargs = {"format": "json"} if data is not None else {}
                response = getattr(clients[caller], method)(
                    path.format(claim=claim.pk, evidence=evidence_id), data, **kwargs, **headers)
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
    "quotes": lambda: {"source": factories.SourceFactory(content='He said "all is well".').pk,
                       "speaker": factories.PersonFactory().pk, "text": "all is well"},
    "claims": lambda: {"text": "A brand new claim about bridges."},
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
# resource → (a factory of an existing object, a PATCH body); each caller edits its own object.
RESOURCE_EDITS = {
    "topics": (factories.TopicFactory, {"name": "Renamed topic"}),
    "outlets": (factories.OutletFactory, {"name": "Renamed outlet"}),
    "people": (factories.PersonFactory, {"title": "Governor"}),
    "sources": (factories.SourceFactory, {"title": "Renamed article"}),
    "quotes": (factories.QuoteFactory, {"is_candidate": False}),
    "ratings": (lambda: factories.rating("false"), {"description": "Changed by the test."}),
}
RESOURCE_EDIT_MATRIX = {
    # caller → {resource: PATCH status}
    "anon": dict.fromkeys(RESOURCE_EDITS, 401),
    "read_token": dict.fromkeys(RESOURCE_EDITS, 403),
    "write_token": {**dict.fromkeys(RESOURCE_EDITS, 200), "ratings": 403},
    "editor": {**dict.fromkeys(RESOURCE_EDITS, 200), "ratings": 403},
    "reviewer": {**dict.fromkeys(RESOURCE_EDITS, 200), "ratings": 403},
    "admin": dict.fromkeys(RESOURCE_EDITS, 200),
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
    for resource, (make, body) in RESOURCE_EDITS.items():
        obj = make()
        row = type(obj).objects.filter(pk=obj.pk).values()
        before = row.get()
        response = client.patch(f"/api/v1/{resource}/{obj.pk}/", body, format="json", HTTP_IF_MATCH="*")
        assert response.status_code == RESOURCE_EDIT_MATRIX[caller][resource], (resource, response.content)
        if response.status_code != 200:
            assert row.get() == before, resource  # refused: nothing changed


def test_tokens_endpoint_needs_authentication():
    response = session_client(None).get("/api/v1/tokens/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
