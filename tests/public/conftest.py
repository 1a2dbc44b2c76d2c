"""Fixtures for the public site's tests: the demo newsroom, and a fresh cache per test (the API's
rate limits count requests in the cache)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from claims.demo import load_demo
from claims.models import Claim


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo(db):
    """The demo data: 2 published claims (one corrected), 1 retracted, 2 in review, 2 drafts."""
    load_demo()
    return {claim.text: claim for claim in Claim.objects.all()}


def demo_claim(status: str, *, corrected: bool | None = None) -> Claim:
    claims = Claim.objects.filter(status=status).order_by("id")
    if corrected is not None:
        claims = claims.filter(corrections__kind="update") if corrected else claims.exclude(
            corrections__kind="update")
    return claims.first()
