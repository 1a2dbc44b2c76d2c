"""Google's Fact Check Tools API (``factchecktools v1alpha1``) at the paths Google's own client
library calls, so tools built for Google's API work against our server:

- ``GET /v1alpha1/claims:search`` — our ``claims:search`` (``public.api.ClaimsSearchApi``);
- ``/v1alpha1/pages`` — ``ClaimReviewMarkupPage`` list/create and get/update/delete by name.

Google's client adds ``key`` (an API key) and ``alt=json`` to every call: ``key`` is accepted and
ignored (our tokens authenticate, as ``Authorization: Bearer``), ``alt`` must be ``json``.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.errors import TransitionError
from factcheck.api.permissions import api_viewer
from factcheck.api.schema import error_responses
from factcheck.errors import InvalidInput, NotFound
from factchecktools import selectors, services
from factchecktools.markup import parse_page
from public.api import (
    SEARCH_PARAMETERS,
    ClaimsSearchApi,
    int_param,
    next_page_token,
    page_offset,
    params_digest,
)

PAGES_DEFAULT_SIZE = 10
PAGES_MAX_SIZE = 100
PAGES_MAX_OFFSET = 10_000
PAGE_TOKEN_SALT = "factcheck.factchecktools.pages-token"  # noqa: S105 - a signing salt, not a secret

GOOGLE_PARAMETERS = [
    OpenApiParameter("key", str, description="Accepted for Google's client; ignored (use a Bearer token)."),
    OpenApiParameter("alt", str, enum=["json"], description="Response format: json only."),
]


def check_google_parameters(request) -> None:
    alt = request.query_params.get("alt", "json")
    if alt != "json":
        raise InvalidInput("Only alt=json is served.", fields={"alt": ["Use json."]})


class GoogleClaimsSearchApi(ClaimsSearchApi):
    """``claims:search`` at Google's path (``/v1alpha1/claims:search``)."""

    @extend_schema(operation_id="factchecktools_claims_search",
                   parameters=[*SEARCH_PARAMETERS, *GOOGLE_PARAMETERS],
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 429)})
    def get(self, request):
        check_google_parameters(request)
        return super().get(request)


class PageListApi(APIView):
    """``pages.list`` (GET) and ``pages.create`` (POST)."""

    write_permissions = {"POST": "claims.add_claim"}

    @extend_schema(
        operation_id="factchecktools_pages_list",
        parameters=[*GOOGLE_PARAMETERS, OpenApiParameter("url", str), OpenApiParameter("organization", str),
                    OpenApiParameter("pageSize", int), OpenApiParameter("offset", int),
                    OpenApiParameter("pageToken", str)],
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 429)},
        description="Our published reviews (and, for their creator and staff, pages created through "
        "this API) as {claimReviewMarkupPages: [ClaimReviewMarkupPage], nextPageToken}.",
    )
    def get(self, request):
        check_google_parameters(request)
        params = request.query_params
        url = params.get("url", "").strip()
        organization = params.get("organization", "").strip()
        size = int_param(params, "pageSize", default=PAGES_DEFAULT_SIZE, low=1, high=PAGES_MAX_SIZE)
        viewer = api_viewer(request)
        digest = params_digest({"url": url, "organization": organization, "pageSize": size,
                                "user": getattr(viewer, "pk", None)})
        offset = page_offset(params, digest=digest, salt=PAGE_TOKEN_SALT, max_offset=PAGES_MAX_OFFSET)
        documents = selectors.page_documents(viewer, url=url, organization=organization,
                                             offset=offset, limit=size + 1)
        body: dict = {"claimReviewMarkupPages": documents[:size]}
        if len(documents) > size and offset + size < PAGES_MAX_OFFSET:
            body["nextPageToken"] = next_page_token(offset + size, digest=digest, salt=PAGE_TOKEN_SALT)
        return Response(body)

    @extend_schema(operation_id="factchecktools_pages_create", parameters=GOOGLE_PARAMETERS,
                   request=OpenApiTypes.OBJECT,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 403, 429)},
                   description="A ClaimReviewMarkupPage: each markup becomes a draft claim for the desk "
                   "(never published). Answers the created page.")
    def post(self, request):
        check_google_parameters(request)
        page = services.markup_page_create(actor=request.user, data=parse_page(request.data))
        return Response(selectors.page_document(str(page.pk), request.user))


class PageDetailApi(APIView):
    """``pages.get`` (GET), ``pages.update`` (PUT) and ``pages.delete`` (DELETE) by page name."""

    write_permissions = {"PUT": "claims.change_claim", "DELETE": "claims.delete_claim"}

    def _created_page_id(self, name: str) -> int:
        ref = selectors.parse_page_name(name)
        if ref is None:
            raise NotFound("No such page.")
        if ref.is_claim:
            raise TransitionError("A published review changes through our workflow (a correction), "
                                  "not through the pages API.", code="published_review")
        return ref.id

    @extend_schema(operation_id="factchecktools_pages_get", parameters=GOOGLE_PARAMETERS,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 404, 429)})
    def get(self, request, name: str):
        check_google_parameters(request)
        document = selectors.page_document(name, api_viewer(request))
        if document is None:
            raise NotFound("No such page.")
        return Response(document)

    @extend_schema(operation_id="factchecktools_pages_update", parameters=GOOGLE_PARAMETERS,
                   request=OpenApiTypes.OBJECT,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 403, 404, 409, 412)})
    def put(self, request, name: str):
        check_google_parameters(request)
        data = parse_page(request.data)
        page = services.markup_page_update(actor=request.user, page_id=self._created_page_id(name), data=data)
        return Response(selectors.page_document(str(page.pk), request.user))

    @extend_schema(operation_id="factchecktools_pages_delete", parameters=GOOGLE_PARAMETERS,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 403, 404, 409)})
    def delete(self, request, name: str):
        check_google_parameters(request)
        services.markup_page_delete(actor=request.user, page_id=self._created_page_id(name))
        return Response({})
