"""``Authorization: Bearer <token>`` authentication with accounts.ApiToken."""

from __future__ import annotations

from rest_framework import authentication, exceptions

from accounts.selectors import api_token_for_raw
from accounts.services import api_token_touch


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Sets ``request.auth`` to the ApiToken; the token's scope is checked by the permissions."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
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
