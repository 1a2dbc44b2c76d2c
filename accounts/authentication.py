"""``Authorization: Bearer <token>`` authentication with accounts.ApiToken (DRF settings name it)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts.selectors import api_token_for_raw
from accounts.services import api_token_touch
from factcheck.api import auth_throttle


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Sets ``request.auth`` to the ApiToken; the token's scope is checked by the permissions."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != self.keyword.lower().encode():
            # Another scheme (Token, Basic, ...) is a mistake, not an anonymous request.
            raise exceptions.NotAuthenticated(
                "Use Authorization: Bearer <token> (an API token from /api/v1/tokens/); "
                "other schemes are not accepted.")
        auth_throttle.ensure_not_blocked(request)  # 429 once this address failed too often
        try:
            return self._authenticate_token(header)
        except exceptions.AuthenticationFailed:
            auth_throttle.record_failure(request)
            raise

    def _authenticate_token(self, header: list[bytes]):
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed Authorization header.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Malformed token.")
        token = api_token_for_raw(raw)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the bearer token in the OpenAPI schema (drf-spectacular picks this up)."""

    target_class = "accounts.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "An API token from /api/v1/tokens/ or `manage.py create_api_token`."}
