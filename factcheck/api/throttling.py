"""Rate limits for anonymous clients (by IP) and for token/session clients (by user).

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (``anon``, ``token``), read on each
request so settings overrides apply; a 429 carries ``Retry-After`` (see exceptions.py).
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class _LiveRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonymousRateThrottle(_LiveRateThrottle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenRateThrottle(_LiveRateThrottle):
    """Per user, whether they come with a bearer token or a session."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
