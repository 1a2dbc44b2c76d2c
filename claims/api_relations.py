"""Typed relations between claims (same as, variant of, contradicts, supersedes, translation of).

- ``GET``/``POST /api/v1/claims/{id}/relations/`` — a claim's typed links / link it (editors);
- ``GET``/``DELETE /api/v1/claims/{id}/relations/{relation_id}/`` — one link with its ETag /
  unlink (editors, If-Match).

Views are thin: reads through ``claims.selectors`` (``claim_relations_visible_to``,
``claim_relation_visible_to``), writes through ``claims.services``.
"""

from __future__ import annotations

import orjson
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import selectors, services
from claims.api_similar import visible_claim_or_404
from claims.models import ClaimRelation
from claims.selectors import claim_relation_document
from factcheck.api.conditional import expected_etag
from factcheck.api.permissions import ApiWritePermission, api_viewer
from factcheck.api.responses import conditional_json
from factcheck.api.schema import IF_MATCH, IF_NONE_MATCH, error_responses
from factcheck.errors import NotFound


class RelationWriteSerializer(serializers.Serializer):
    to_claim = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=ClaimRelation.Kind.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


RelationSerializer = inline_serializer(name="ClaimRelation", fields={
    "id": serializers.IntegerField(), "kind": serializers.CharField(),
    "from_claim": serializers.IntegerField(), "to_claim": serializers.IntegerField(),
    "note": serializers.CharField(),
})


class ClaimRelationListApi(APIView):
    """A claim's typed relations (both directions, to claims the viewer may see); link a claim."""

    permission_classes = [ApiWritePermission]
    write_permissions = {"POST": "claims.add_claimrelation"}

    @extend_schema(summary="A claim's relations",
                   responses={200: inline_serializer(name="ClaimRelations", fields={
                       "results": serializers.ListField(child=RelationSerializer)}),
                       **error_responses(404)}, tags=["claims"])
    def get(self, request, pk: int):
        claim = visible_claim_or_404(request, pk)
        relations = selectors.claim_relations_visible_to(api_viewer(request), claim)
        return Response({"results": [claim_relation_document(r) for r in relations]})

    @extend_schema(summary="Link a claim to another (editors)", request=RelationWriteSerializer,
                   responses={201: RelationSerializer, **error_responses(400, 401, 403, 404)},
                   tags=["claims"])
    def post(self, request, pk: int):
        claim = visible_claim_or_404(request, pk)
        serializer = RelationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        other = selectors.claim_visible_to(api_viewer(request), data["to_claim"])
        if other is None:
            raise ValidationError({"to_claim": ["No such claim."]})
        relation = services.claim_relation_add(
            actor=request.user, from_claim=claim, to_claim=other, kind=data["kind"],
            note=data.get("note", ""),
        )
        return Response(claim_relation_document(relation), status=status.HTTP_201_CREATED)


class ClaimRelationDetailApi(APIView):
    """One of a claim's relations: read it (with its ETag) or remove it (editors, If-Match)."""

    permission_classes = [ApiWritePermission]
    write_permissions = {"DELETE": "claims.delete_claimrelation"}

    def _relation(self, request, pk: int, relation_id: int) -> ClaimRelation:
        claim = visible_claim_or_404(request, pk)
        relation = selectors.claim_relation_visible_to(api_viewer(request), claim, relation_id).first()
        if relation is None:
            raise NotFound("No such claim relation.")
        return relation

    @extend_schema(summary="One relation of a claim", parameters=[IF_NONE_MATCH],
                   responses={200: RelationSerializer, 304: None, **error_responses(404)},
                   tags=["claims"])
    def get(self, request, pk: int, relation_id: int):
        relation = self._relation(request, pk, relation_id)
        return conditional_json(request, orjson.dumps(claim_relation_document(relation)),
                                etag=selectors.claim_relation_etag(relation))

    @extend_schema(summary="Unlink two claims (editors)", parameters=[IF_MATCH],
                   responses={204: None, **error_responses(401, 403, 404, 412, 428)},
                   tags=["claims"])
    def delete(self, request, pk: int, relation_id: int):
        relation = self._relation(request, pk, relation_id)  # 404 before 428
        expected = expected_etag(request, selectors.claim_relation_etag)
        services.claim_relation_remove(relation_id=relation.pk, actor=request.user,
                                       expected=expected)
        return Response(status=status.HTTP_204_NO_CONTENT)
