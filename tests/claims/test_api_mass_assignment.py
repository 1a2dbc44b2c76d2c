"""Protected fields in POST/PUT/PATCH are refused (400 naming the field) and nothing changes."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from claims.models import Claim
from tests.api_helpers import assert_error, session_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

PROTECTED = {
    "status": "published",
    "published_at": "2020-01-01T00:00:00Z",
    "reviewer": 1,
    "author": 1,
    "version": 999,
}


def snapshot() -> list[dict]:
    return [model_to_dict(claim) | {"version": claim.version, "status": claim.status,
                                    "published_at": claim.published_at, "slug": claim.slug}
            for claim in Claim.objects.order_by("pk")]


@pytest.mark.parametrize("field", list(PROTECTED))
@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_protected_field_is_rejected_and_database_unchanged(field, method, claim_in, reviewer, admin_user):
    claim = claim_in("in_review")
    client = session_client(admin_user)
    before = snapshot()
    body = {"text": "A perfectly ordinary claim text.", field: PROTECTED[field]}
    if field in {"reviewer", "author"}:
        body[field] = reviewer.pk
    if method == "post":
        response = client.post("/api/v1/claims/", body, format="json")
    else:
        response = getattr(client, method)(f"/api/v1/claims/{claim.pk}/", body, format="json",
                                           HTTP_IF_MATCH=f'"v{claim.version}"')
    error = assert_error(response, 400)
    assert field in error["fields"]
    assert snapshot() == before


def test_workflow_bodies_cannot_smuggle_fields(claim_in, reviewer):
    claim = claim_in("in_review")
    before = snapshot()
    error = assert_error(session_client(reviewer).post(
        f"/api/v1/claims/{claim.pk}/publish/", {"status": "retracted", "reviewer": 1}, format="json"), 400)
    assert set(error["fields"]) == {"status", "reviewer"}
    assert snapshot() == before
