"""Shared fixtures: the actors, and helpers that bring a claim to a state through the services."""

from __future__ import annotations

import pytest

from claims import services
from claims.models import Claim, Evidence
from tests import factories

# API test fixtures (fresh_throttles).
pytest_plugins = ["tests.api_helpers"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests only: a cheap hasher (PBKDF2 costs ~0.3 s per user created)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _per_process_cache(settings):
    """Tests only: the memory cache, so the query counts pinned in tests count the app's queries
    and not the throttles' (production shares a database or Redis cache; tests/factcheck/
    test_shared_cache.py runs on that)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _no_express_pages(settings):
    """Tests only: test transactions never commit, so PostgreSQL never notifies their changes and a
    process-kept page would outlive them; tests/public/test_changes.py runs the express pages on
    committed changes."""
    settings.FACTCHECK_PAGE_EXPRESS = False


@pytest.fixture
def editor(db):
    return factories.UserFactory(username="ed", groups=["Editor"])


@pytest.fixture
def reviewer(db):
    return factories.UserFactory(username="rev", groups=["Reviewer"])


@pytest.fixture
def other_reviewer(db):
    return factories.UserFactory(username="rev2", groups=["Reviewer"])


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(username="boss", is_superuser=True)


@pytest.fixture
def outsider(db):
    """A logged-in user with no role."""
    return factories.UserFactory(username="nobody", is_staff=False)


def make_ready_claim(author, **fields) -> Claim:
    """A draft that passes every publish gate: rated, explained, an appearance and a source."""
    claim = factories.ClaimFactory(
        author=author, rating=factories.rating(fields.pop("rating", "false")),
        rating_explanation=fields.pop("rating_explanation", "The figures say otherwise."),
        **fields,
    )
    quote = factories.QuoteFactory()
    factories.EvidenceFactory(
        claim=claim, source=quote.source, quote=quote, relation=Evidence.Relation.APPEARANCE
    )
    factories.EvidenceFactory(claim=claim, relation=Evidence.Relation.REFUTES)
    return claim


def bring_to(claim: Claim, state: str, *, author, reviewer) -> Claim:
    """Move ``claim`` (a draft) to ``state`` through the real services."""
    if state in {"in_review", "published", "retracted"}:
        services.claim_submit(claim_id=claim.pk, actor=author)
    if state in {"published", "retracted"}:
        services.claim_publish(claim_id=claim.pk, actor=reviewer)
    if state == "retracted":
        services.claim_retract(claim_id=claim.pk, actor=reviewer, note="Retracted for testing.")
    claim.refresh_from_db()
    return claim


@pytest.fixture
def claim_in(editor, reviewer):
    """``claim_in("published")`` → a ready claim by ``editor`` brought to that state."""

    def make(state: str = "draft", **fields) -> Claim:
        return bring_to(make_ready_claim(editor, **fields), state, author=editor, reviewer=reviewer)

    return make
