"""``/api/v1/saved-searches/``: named claims-list queries of a user or of their organisations, what
is new in each, their exports and webhook notifications. A user's are theirs; an organisation's
are seen by its members and changed by its managers and the member who made it (anyone else:
404)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.serializers import ORGANISATION_HELP
from claims.api_export import EXPORT_PARAMETERS, EXPORT_RESPONSES, ClaimExportApi
from factcheck.api.conditional import expected_version_from, version_etag
from factcheck.api.schema import error_responses
from factcheck.api.serializers import StrictInputSerializer
from saved_searches import selectors, services
from saved_searches.models import SavedSearch

NOTIFY_HELP = ("Id of a webhook endpoint of the search's owner: each claim published (or corrected "
               "or updated while published) that the search matches is posted to it as "
               "saved_search.matched. null: no notifications.")


class SavedSearchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    query = serializers.CharField(help_text="The /api/v1/claims/ query string.")
    organisation = serializers.CharField(allow_null=True, help_text="Its organisation's slug, or null "
                                         "when it is a user's.")
    notify_endpoint = serializers.IntegerField(allow_null=True, help_text=NOTIFY_HELP)
    claims_url = serializers.CharField(help_text="The claims list with this query.")
    export_url = serializers.CharField(help_text="Its export (add format=csv|json|ndjson).")
    new_matches = serializers.IntegerField(help_text="Claims created or published since last_seen_at "
                                           f"(counted up to {selectors.NEW_MATCHES_CAP}).")
    last_seen_at = serializers.DateTimeField()
    version = serializers.IntegerField()


class SavedSearchWriteSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=100)
    query = serializers.CharField(max_length=2000, allow_blank=True)
    organisation = serializers.SlugField(required=False, help_text=ORGANISATION_HELP)
    notify_endpoint = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                               help_text=NOTIFY_HELP)

    def validate(self, attrs):
        if self.partial and "organisation" in attrs:
            raise serializers.ValidationError({"organisation": ["Set only when the search is made."]})
        return attrs


def document(search: SavedSearch, user) -> dict:
    base = f"{settings.SITE_URL}/api/v1"
    return {
        "id": search.pk, "name": search.name, "query": search.query,
        "organisation": search.organisation.slug if search.organisation_id else None,
        "notify_endpoint": search.notify_endpoint_id,
        "claims_url": f"{base}/claims/?{search.query}".rstrip("?"),
        "export_url": f"{base}/saved-searches/{search.pk}/export/",
        "new_matches": selectors.new_matches(search, user),
        "last_seen_at": search.last_seen_at, "version": search.version,
    }


def _respond(search: SavedSearch, user, code: int = status.HTTP_200_OK) -> Response:
    return Response(document(search, user), status=code, headers={"ETag": version_etag(search.version)})


class SavedSearchListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Your saved searches and your organisations'",
                   responses={200: SavedSearchSerializer(many=True), **error_responses(401)})
    def get(self, request):
        searches = selectors.saved_searches_of(request.user)
        return Response([document(s, request.user) for s in searches])

    @extend_schema(summary="Save a search", request=SavedSearchWriteSerializer,
                   responses={201: SavedSearchSerializer, **error_responses(400, 401)})
    def post(self, request):
        data = SavedSearchWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        search = services.saved_search_create(actor=request.user, **data.validated_data)
        return _respond(search, request.user, status.HTTP_201_CREATED)


class SavedSearchDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="A saved search",
                   responses={200: SavedSearchSerializer, **error_responses(401, 404)})
    def get(self, request, pk: int):
        return _respond(selectors.saved_search_of(request.user, pk), request.user)

    @extend_schema(summary="Rename or change a saved search (If-Match)",
                   request=SavedSearchWriteSerializer(partial=True),
                   responses={200: SavedSearchSerializer, **error_responses(400, 401, 403, 404, 412, 428)})
    def patch(self, request, pk: int):
        current = selectors.saved_search_of(request.user, pk)
        data = SavedSearchWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        search = services.saved_search_update(
            actor=request.user, search_id=pk,
            expected_version=expected_version_from(request, current.version), **data.validated_data)
        return _respond(search, request.user)

    @extend_schema(summary="Delete a saved search (If-Match)",
                   responses={204: None, **error_responses(401, 403, 404, 412, 428)})
    def delete(self, request, pk: int):
        current = selectors.saved_search_of(request.user, pk)
        services.saved_search_delete(actor=request.user, search_id=pk,
                                     expected_version=expected_version_from(request, current.version))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SavedSearchSeenApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Mark a saved search's results as seen (new_matches starts again from now)",
                   request=None, responses={200: SavedSearchSerializer, **error_responses(401, 404)})
    def post(self, request, pk: int):
        selectors.saved_search_of(request.user, pk)
        return _respond(services.saved_search_seen(actor=request.user, search_id=pk), request.user)


class SavedSearchExportApi(ClaimExportApi):
    """The export of a saved search's claims (``format`` as for /claims/export/)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Export a saved search's claims", parameters=EXPORT_PARAMETERS,
                   responses={**EXPORT_RESPONSES, **error_responses(401, 404)})
    def get(self, request, pk: int):
        search = selectors.saved_search_of(request.user, pk)
        return self.export(request, selectors.saved_search_claims(search, request.user))
