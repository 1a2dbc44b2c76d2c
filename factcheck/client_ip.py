"""The client's address, the one way every rate limit and lock-out counts it.

Without a proxy it is ``REMOTE_ADDR`` (``X-Forwarded-For`` is ignored: anyone can send it). With
``DJANGO_BEHIND_PROXY=1`` it is the last ``X-Forwarded-For`` entry, the one our proxy appended —
the same choice DRF's throttles make with ``NUM_PROXIES = 1`` (settings.py sets both).
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    """The address of the client that sent ``request`` (a Django or a DRF request)."""
    meta = request.META
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return meta.get("REMOTE_ADDR", "")
