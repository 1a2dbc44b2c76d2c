"""Token endpoints: list your tokens, create one (admins: for anyone), revoke one.

Managing tokens needs a session or a write-scope token (a read token cannot mint write tokens).
Revoking is a DELETE and, like every DELETE under /api/, needs If-Match (428 without, 412 stale).
"""

from __future__ import annotations

import orjson
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from accounts.models import ApiToken
from accounts.selectors import api_tokens_visible_to
from accounts.serializers import IssuedTokenSerializer, TokenCreateSerializer, TokenSerializer, token_dict
from accounts.services import api_token_create, api_token_revoke
from factcheck.api.conditional import content_etag, expected_etag
from factcheck.api.pagination import Ordering, paginate
from factcheck.api.permissions import ApiWritePermission
from factcheck.api.responses import conditional_json, json_bytes_response, page_body
from factcheck.api.schema import IF_MATCH, IF_NONE_MATCH, LIST_PARAMETERS, error_responses, page_of
from factcheck.errors import NotFound


def token_etag(token: ApiToken) -> str:
    """The ETag of a token's state (name, scope, expiry, revocation). ``last_used_at`` is left out:
    authenticating with the token moves it, so a client revoking the token it calls with would
    otherwise get a 412 for its own request."""
    state = {key: value for key, value in token_dict(token).items() if key != "last_used_at"}
    return content_etag(orjson.dumps(state))


class IsAuthenticatedForAll(permissions.BasePermission):
    requires_authentication = True  # read by the schema: no anonymous access at all

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            raise NotAuthenticated()
        return True


class TokenListApi(generics.GenericAPIView):
    queryset = ApiToken.objects.none()
    permission_classes = [IsAuthenticatedForAll, ApiWritePermission]
    write_permissions = {"POST": None}

    @extend_schema(summary="Your API tokens (administrators: everyone's)", parameters=LIST_PARAMETERS,
                   responses={200: page_of(TokenSerializer, "TokenPage"), 304: None,
                              **error_responses(400, 401, 429)})
    def get(self, request: Request) -> HttpResponse:
        page = paginate(api_tokens_visible_to(request.user), request, ordering_key="created",
                        ordering=Ordering("created_at", True))
        return conditional_json(request, page_body(page, [orjson.dumps(token_dict(t)) for t in page.rows]))

    @extend_schema(summary="Create a token; the secret is in this response only",
                   request=TokenCreateSerializer,
                   responses={201: IssuedTokenSerializer, **error_responses(400, 401, 403, 415, 429)})
    def post(self, request: Request) -> HttpResponse:
        serializer = TokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = api_token_create(actor=request.user, **serializer.validated_data)
        body = orjson.dumps({**token_dict(issued.token), "token": issued.raw})
        return json_bytes_response(body, status=status.HTTP_201_CREATED,
                                   headers={"Cache-Control": "no-store"})


class TokenDetailApi(generics.GenericAPIView):
    queryset = ApiToken.objects.none()
    permission_classes = [IsAuthenticatedForAll, ApiWritePermission]
    write_permissions = {"DELETE": None}

    @extend_schema(summary="One of your tokens", parameters=[IF_NONE_MATCH],
                   responses={200: TokenSerializer, 304: None, **error_responses(401, 404, 429)})
    def get(self, request: Request, pk: int) -> HttpResponse:
        token = api_tokens_visible_to(request.user).filter(pk=pk).first()
        if token is None:
            raise NotFound("No such token.")
        return conditional_json(request, orjson.dumps(token_dict(token)), etag=token_etag(token))

    @extend_schema(summary="Revoke a token", parameters=[IF_MATCH],
                   description="If-Match names the token's ETag from a GET (or `*`); revoking an "
                               "already revoked token with its current ETag is a no-op 204.",
                   responses={204: None, **error_responses(401, 403, 404, 412, 428, 429)})
    def delete(self, request: Request, pk: int) -> HttpResponse:
        token = api_tokens_visible_to(request.user).filter(pk=pk).first()
        if token is None:
            raise NotFound("No such token.")
        expected = expected_etag(request, token_etag)  # 428 without If-Match
        expected.check(token)  # 412 early; the service compares again under its row lock
        api_token_revoke(actor=request.user, token_id=pk, expected=expected)
        return HttpResponse(status=status.HTTP_204_NO_CONTENT)
