"""sitemap.xml (public/sitemaps.py): public pages only, at canonical (SITE_URL) locations."""

from __future__ import annotations

import pytest

from tests.public.conftest import SITE, xml

SITEMAP = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("canonical_site")]


def test_sitemap_index_and_sections_list_public_pages_at_canonical_urls(client, claims):
    index = xml(client, "/sitemap.xml")
    sections = [loc.text for loc in index.findall("sm:sitemap/sm:loc", SITEMAP)]
    assert sections == [f"{SITE}/sitemap-{name}.xml" for name in ["pages", "claims", "people", "sources"]]
    claim_urls = [loc.text for loc in xml(client, "/sitemap-claims.xml").findall("sm:url/sm:loc", SITEMAP)]
    public = ["published", "retracted"]
    assert sorted(claim_urls) == sorted(f"{SITE}/claims/{claims[s].slug}/" for s in public)
    people = [loc.text for loc in xml(client, "/sitemap-people.xml").findall("sm:url/sm:loc", SITEMAP)]
    assert f"{SITE}/people/{claims['published'].claimant.slug}/" in people
    assert f"{SITE}/people/{claims['draft'].claimant.slug}/" not in people
    # Speakers quoted by a public claim have a public page too, so they are listed.
    speaker = claims["published"].evidence.exclude(quote=None).first().quote.speaker
    assert f"{SITE}/people/{speaker.slug}/" in people
    sources = [loc.text for loc in xml(client, "/sitemap-sources.xml").findall("sm:url/sm:loc", SITEMAP)]
    draft_source = claims["draft"].evidence.get(relation="appearance").source_id
    assert f"{SITE}/sources/{draft_source}/" not in sources and len(sources) == 4
    pages = [loc.text for loc in xml(client, "/sitemap-pages.xml").findall("sm:url/sm:loc", SITEMAP)]
    assert pages == [f"{SITE}/", f"{SITE}/ratings/", f"{SITE}/corrections/"]
