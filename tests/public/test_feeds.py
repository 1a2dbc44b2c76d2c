"""Atom feeds (public/feeds.py): they parse, and they list public claims only."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import Claim
from tests.public.conftest import SITE, xml

ATOM = {"atom": "http://www.w3.org/2005/Atom"}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("canonical_site")]


def test_claims_feed_lists_public_claims_only(client, claims):
    feed = xml(client, "/feeds/claims.atom")
    links = [e.get("href") for e in feed.findall("atom:entry/atom:link", ATOM)]
    assert links == [f"{SITE}/claims/{claims[s].slug}/" for s in ["retracted", "published"]]
    titles = [e.text for e in feed.findall("atom:entry/atom:title", ATOM)]
    # A retracted check leads with "Retracted", never with the verdict it withdrew.
    assert titles[0] == f"Retracted: {claims['retracted'].text}"
    assert titles[1] == f"{claims['published'].rating.label}: {claims['published'].text}"
    assert feed.find("atom:link[@rel='self']", ATOM).get("href") == f"{SITE}/feeds/claims.atom"


def test_corrections_feed_lists_corrections_and_retractions(client, claims):
    feed = xml(client, "/feeds/corrections.atom")
    titles = [e.text for e in feed.findall("atom:entry/atom:title", ATOM)]
    assert titles == [f"Retraction: {claims['retracted'].text}", f"Correction: {claims['published'].text}"]
    summaries = [e.text for e in feed.findall("atom:entry/atom:summary", ATOM)]
    assert "We fixed a figure." in summaries[1]


def test_feed_updated_is_never_before_published(client, claim_in):
    """updated_at is the writing transaction's start; published_at may come later (the publish
    transaction sets it from the clock), or be any date at all (an import)."""
    claim = claim_in("published")
    later = claim.updated_at + dt.timedelta(hours=2)
    Claim.objects.filter(pk=claim.pk).update(published_at=later)  # updated_at := now() < later
    claim.refresh_from_db()
    assert claim.updated_at < claim.published_at
    feed = xml(client, "/feeds/claims.atom")
    entry = feed.find("atom:entry", ATOM)
    published = dt.datetime.fromisoformat(entry.findtext("atom:published", namespaces=ATOM))
    updated = dt.datetime.fromisoformat(entry.findtext("atom:updated", namespaces=ATOM))
    assert updated >= published
    assert published.replace(microsecond=0) == later.replace(microsecond=0)
