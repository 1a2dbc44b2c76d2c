"""Atom feeds (public/feeds.py): they parse, and they list public claims only."""

from __future__ import annotations

import pytest

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
