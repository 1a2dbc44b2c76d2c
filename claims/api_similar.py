"""Similar claims and typed claim relations.

- ``GET /api/v1/claims/{id}/similar/`` — claims resembling a claim (visible ones only);
- ``GET /api/v1/claims/similar/?text=…`` — claims resembling a text being written;
- ``GET``/``POST /api/v1/claims/{id}/relations/`` — a claim's typed links / link it (editors);
- ``DELETE /api/v1/claims/{id}/relations/{relation_id}/`` — unlink (editors).

Views are thin: visibility through ``claims.selectors.claims_visible_to``, scoring in
``claims.similarity``, writes in ``claims.services``.
"""

from __future__ import annotations

import orjson
from django.db import transaction
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import services
from claims.models import Claim, ClaimRelation
from claims.selectors import claims_visible_to
from claims.similarity import SimilarClaim, similar_claims
from factcheck.api.conditional import check_if_match, content_etag
from factcheck.api.permissions import ApiWritePermission, api_viewer
from factcheck.api.responses import conditional_json
from factcheck.api.schema import IF_MATCH, IF_NONE_MATCH, error_responses
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


MAX_ID = 2**63 - 1  # beyond a bigint no row can match (and PostgreSQL would refuse the number)


def _visible_claim(request, pk: int) -> Claim:
    if pk > MAX_ID:
        raise NotFound("No such claim.")
    claim = claims_visible_to(api_viewer(request)).filter(pk=pk).first()
    if claim is None:
        raise NotFound("No such claim.")
    return claim


class ClaimSimilarApi(APIView):
    """Claims that resemble this one, for linking or de-duplicating."""

    @extend_schema(summary="Claims similar to a claim", operation_id="claims_similar_to_claim",
                   parameters=[LIMIT],
                   responses={200: SimilarSerializer, **error_responses(400, 404)}, tags=["claims"])
    def get(self, request, pk: int):
        claim = _visible_claim(request, pk)
        found = similar_claims(text=claim.text, exclude_claim_id=claim.pk, limit=_limit(request),
                               queryset=claims_visible_to(api_viewer(request)))
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
        found = similar_claims(text=text, limit=_limit(request),
                               queryset=claims_visible_to(api_viewer(request)))
        return Response({"results": [_similar_dict(item) for item in found]})


class RelationWriteSerializer(serializers.Serializer):
    to_claim = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=ClaimRelation.Kind.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


RelationSerializer = inline_serializer(name="ClaimRelation", fields={
    "id": serializers.IntegerField(), "kind": serializers.CharField(),
    "from_claim": serializers.IntegerField(), "to_claim": serializers.IntegerField(),
    "note": serializers.CharField(),
})


def relation_dict(relation: ClaimRelation) -> dict:
    return {"id": relation.pk, "kind": relation.kind, "from_claim": relation.from_claim_id,
            "to_claim": relation.to_claim_id, "note": relation.note}


class ClaimRelationListApi(APIView):
    """A claim's typed relations (both directions, to claims the viewer may see); link a claim."""

    permission_classes = [ApiWritePermission]
    write_permissions = {"POST": "claims.add_claimrelation"}

    @extend_schema(summary="A claim's relations",
                   responses={200: inline_serializer(name="ClaimRelations", fields={
                       "results": serializers.ListField(child=RelationSerializer)}),
                       **error_responses(404)}, tags=["claims"])
    def get(self, request, pk: int):
        claim = _visible_claim(request, pk)
        visible = claims_visible_to(api_viewer(request)).values("pk")
        relations = (
            ClaimRelation.objects.filter(Q(from_claim=claim) | Q(to_claim=claim))
            .filter(from_claim__in=visible, to_claim__in=visible).order_by("id")
        )
        return Response({"results": [relation_dict(r) for r in relations]})

    @extend_schema(summary="Link a claim to another (editors)", request=RelationWriteSerializer,
                   responses={201: RelationSerializer, **error_responses(400, 401, 403, 404)},
                   tags=["claims"])
    def post(self, request, pk: int):
        claim = _visible_claim(request, pk)
        serializer = RelationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            other = _visible_claim(request, data["to_claim"])
        except NotFound:
            raise ValidationError({"to_claim": ["No such claim."]}) from None
        relation = services.claim_relation_add(
            actor=request.user, from_claim=claim, to_claim=other, kind=data["kind"],
            note=data.get("note", ""),
        )
        return Response(relation_dict(relation), status=status.HTTP_201_CREATED)


class ClaimRelationDetailApi(APIView):
    """One of a claim's relations: read it (with its ETag) or remove it (editors, If-Match)."""

    permission_classes = [ApiWritePermission]
    write_permissions = {"DELETE": "claims.delete_claimrelation"}

    def _relations(self, request, pk: int, relation_id: int):
        claim = _visible_claim(request, pk)
        visible = claims_visible_to(api_viewer(request)).values("pk")
        if relation_id > MAX_ID:
            raise NotFound("No such claim relation.")
        return (
            ClaimRelation.objects.filter(Q(from_claim=claim) | Q(to_claim=claim), pk=relation_id)
            .filter(from_claim__in=visible, to_claim__in=visible)
        )

    @extend_schema(summary="One relation of a claim", parameters=[IF_NONE_MATCH],
                   responses={200: RelationSerializer, 304: None, **error_responses(404)},
                   tags=["claims"])
    def get(self, request, pk: int, relation_id: int):
        relation = self._relations(request, pk, relation_id).first()
        if relation is None:
            raise NotFound("No such claim relation.")
        return conditional_json(request, orjson.dumps(relation_dict(relation)))

    @extend_schema(summary="Unlink two claims (editors)", parameters=[IF_MATCH],
                   responses={204: None, **error_responses(401, 403, 404, 412, 428)},
                   tags=["claims"])
    def delete(self, request, pk: int, relation_id: int):
        with transaction.atomic():
            relation = self._relations(request, pk, relation_id).select_for_update().first()
            if relation is None:
                raise NotFound("No such claim relation.")
            check_if_match(request, content_etag(orjson.dumps(relation_dict(relation))))
            services.claim_relation_remove(relation_id=relation.pk, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
