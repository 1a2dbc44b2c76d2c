"""Similar claims (reads only).

- ``GET /api/v1/claims/{id}/similar/`` — claims resembling a claim (visible ones only);
- ``GET /api/v1/claims/similar/?text=…`` — claims resembling a text being written.

Views are thin: visibility and scoring in ``claims.selectors`` (``claims_similar_to_claim``,
``claims_similar_to_text``; the scoring itself in ``claims.similarity``). Typed links between
claims are in ``claims/api_relations.py``.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import selectors
from claims.models import Claim
from claims.similarity import SimilarClaim
from factcheck.api.permissions import api_viewer
from factcheck.api.schema import error_responses
from factcheck.errors import NotFound

MIN_TEXT_LENGTH = 3
MAX_TEXT_LENGTH = 2000
MAX_LIMIT = 20

SimilarSerializer = inline_serializer(name="SimilarClaims", fields={
    "results": serializers.ListField(child=inline_serializer(name="SimilarClaim", fields={
        "id": serializers.IntegerField(), "slug": serializers.CharField(),
        "text": serializers.CharField(), "status": serializers.CharField(),
        "claimant": serializers.DictField(allow_null=True), "rating": serializers.DictField(allow_null=True),
        "score": serializers.FloatField(help_text="0..1, higher is more similar"),
    })),
})
LIMIT = OpenApiParameter("limit", OpenApiTypes.INT,
                         description=f"At most this many (1–{MAX_LIMIT}, default 5).")


def _limit(request) -> int:
    raw = request.query_params.get("limit", "5")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError({"limit": [f"Use a whole number from 1 to {MAX_LIMIT}."]})
    return int(raw)


def _similar_dict(item: SimilarClaim) -> dict:
    claim = item.claim
    return {
        "id": claim.pk, "slug": claim.slug, "text": claim.text, "status": claim.status,
        "claimant": ({"id": claim.claimant.pk, "slug": claim.claimant.slug, "name": claim.claimant.name}
                     if claim.claimant else None),
        "rating": ({"slug": claim.rating.slug, "label": claim.rating.label, "value": claim.rating.value}
                   if claim.rating else None),
        "score": item.score,
    }


def visible_claim_or_404(request, pk: int) -> Claim:
    """The claim ``pk`` if the caller may see it; NotFound (404) otherwise."""
    claim = selectors.claim_visible_to(api_viewer(request), pk)
    if claim is None:
        raise NotFound("No such claim.")
    return claim


class ClaimSimilarApi(APIView):
    """Claims that resemble this one, for linking or de-duplicating."""

    @extend_schema(summary="Claims similar to a claim", operation_id="claims_similar_to_claim",
                   parameters=[LIMIT],
                   responses={200: SimilarSerializer, **error_responses(400, 404)}, tags=["claims"])
    def get(self, request, pk: int):
        claim = visible_claim_or_404(request, pk)
        found = selectors.claims_similar_to_claim(api_viewer(request), claim, limit=_limit(request))
        return Response({"results": [_similar_dict(item) for item in found]})


class SimilarClaimsSearchApi(APIView):
    """Claims that resemble a text (a claim being written)."""

    @extend_schema(
        summary="Claims similar to a text", operation_id="claims_similar_to_text",
        parameters=[OpenApiParameter("text", OpenApiTypes.STR, required=True,
                                     description="The statement to compare."), LIMIT],
        responses={200: SimilarSerializer, **error_responses(400)}, tags=["claims"],
    )
    def get(self, request):
        text = " ".join(request.query_params.get("text", "").split())
        if not MIN_TEXT_LENGTH <= len(text) <= MAX_TEXT_LENGTH:
            raise ValidationError({"text": [f"Give {MIN_TEXT_LENGTH} to {MAX_TEXT_LENGTH} characters."]})
        found = selectors.claims_similar_to_text(api_viewer(request), text=text, limit=_limit(request))
        return Response({"results": [_similar_dict(item) for item in found]})
