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


def test_sections_are_paged_by_id_range_without_counting(client, claims, monkeypatch,
                                                         django_assert_num_queries):
    """Page n of a section lists the public rows with (n-1)·SECTION_IDS < id ≤ n·SECTION_IDS; the
    index reads one max(id) per section (no COUNT, no OFFSET)."""
    from claims.models import Claim
    from public import sitemaps

    monkeypatch.setattr(sitemaps, "SECTION_IDS", 2)
    top = Claim.objects.order_by("-pk").values_list("pk", flat=True).first()
    pages = -(-top // 2)
    with django_assert_num_queries(1 + 3):  # the site's fingerprint (ETag), one max(id) per section
        index = xml(client, "/sitemap.xml")
    locations = [loc.text for loc in index.findall("sm:sitemap/sm:loc", SITEMAP)]
    claim_pages = [f"{SITE}/sitemap-claims.xml"] + [f"{SITE}/sitemap-claims.xml?p={n}"
                                                    for n in range(2, pages + 1)]
    assert [loc for loc in locations if "claims" in loc] == claim_pages
    listed = []
    for n in range(1, pages + 1):
        with django_assert_num_queries(1 + 2):  # fingerprint, max(id), the page's range
            page = xml(client, f"/sitemap-claims.xml?p={n}")
        slugs = [loc.text.split("/")[-2] for loc in page.findall("sm:url/sm:loc", SITEMAP)]
        assert slugs == list(Claim.objects.public().filter(pk__gt=2 * (n - 1), pk__lte=2 * n)
                             .order_by("pk").values_list("slug", flat=True))
        listed += slugs
    assert sorted(listed) == sorted(claims[s].slug for s in ["published", "retracted"])
    lastmod = xml(client, "/sitemap-claims.xml?p=1").find("sm:url/sm:lastmod", SITEMAP)
    assert lastmod is None or lastmod.text.endswith("+00:00")
    for bad in [f"?p={pages + 1}", "?p=0", "?p=x"]:
        assert client.get(f"/sitemap-claims.xml{bad}").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
