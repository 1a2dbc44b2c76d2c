"""Failed API authentications, counted per client address in the shared cache.

A client that sends more bad tokens than ``DEFAULT_THROTTLE_RATES["auth_failure"]`` (default
20/min, ``FACTCHECK_THROTTLE_AUTH_FAILURES``) in one window is answered 429 with Retry-After for
every authentication attempt until the window ends — good tokens included, so guessing gains
nothing. The authentication class calls ``ensure_not_blocked`` before it looks a token up and
``record_failure`` when a token is wrong.

Fixed windows (``cache.add`` then ``cache.incr``): one key per address and window, atomic on
Redis, and shared by every process with the database cache.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from factcheck.client_ip import client_ip

SCOPE = "auth_failure"


def _current_window(request) -> tuple[int, int, str, int] | None:
    """(failures allowed per window, window length, cache key of this address's current window,
    seconds until it ends), or None when the limit is switched off."""
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(SCOPE)
    if not rate:
        return None
    allowed, duration = SimpleRateThrottle.parse_rate(None, rate)
    now = time.time()
    index = int(now // duration)
    wait = max(1, int((index + 1) * duration - now + 0.999))
    return allowed, duration, f"throttle_{SCOPE}_{client_ip(request)}_{index}", wait


def ensure_not_blocked(request) -> None:
    """Raises ``Throttled`` (429 + Retry-After) when this address has used up its failures."""
    window = _current_window(request)
    if window is None:
        return
    allowed, _duration, key, wait = window
    if (cache.get(key) or 0) >= allowed:
        raise exceptions.Throttled(wait=wait, detail="Too many failed authentications from your address.")


def record_failure(request) -> None:
    """Counts one failed authentication for this address."""
    window = _current_window(request)
    if window is None:
        return
    _allowed, duration, key, wait = window
    cache.add(key, 0, timeout=wait + 1)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=duration)
