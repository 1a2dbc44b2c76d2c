"""Fixtures for the public site's tests: the demo newsroom, and a fresh cache per test (the API's
rate limits count requests in the cache)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from lxml import etree

from claims import services
from claims.demo import load_demo
from claims.models import Claim


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


SITE = "https://factcheck.example.org"


@pytest.fixture
def canonical_site(settings) -> str:
    """``SITE_URL`` set to an https host unlike the test client's, so a test sees which one a
    URL was built on."""
    settings.SITE_URL = SITE
    return SITE


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


@pytest.fixture
def claims(claim_in, other_reviewer):
    """One claim in every state; the published one corrected."""
    published = claim_in("published")
    services.claim_correct(claim_id=published.pk, actor=other_reviewer, kind="correction",
                           note="We fixed a figure.")
    return {state: claim_in(state) for state in ["draft", "in_review", "retracted"]} | {
        "published": published}


def xml(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return etree.fromstring(response.content)
