"""sitemap.xml: public claim pages, the pages of people (claimants and speakers) and sources,
and the fixed pages.

Locations use settings.SITE_URL (the canonical host), not the host a request came in on.
Django's sitemap index splits each section into pages of 50,000 URLs.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import reverse

from claims.models import Claim
from claims.selectors import people_visible_to, sources_visible_to
from sources.models import Person, Source


class CanonicalSitemap(Sitemap):
    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"


class ClaimSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.8

    # Our own fact checks only: other fact-checkers' reviews are theirs to list.
    def items(self):
        return (Claim.objects.public().filter(is_external=False).only("slug", "updated_at")
                .order_by("-published_at", "-id"))

    def lastmod(self, item: Claim):
        return item.updated_at

    def get_latest_lastmod(self):
        return (Claim.objects.public().filter(is_external=False)
                .aggregate(latest=Max("updated_at"))["latest"])


class PersonSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        # Everyone with a public page: claimants of public claims and speakers of public quotes.
        return people_visible_to(None).only("slug").order_by("slug")

    def location(self, item: Person) -> str:
        return f"/people/{item.slug}/"


class SourceSitemap(CanonicalSitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return sources_visible_to(None).only("id", "updated_at").order_by("id")

    def location(self, item: Source) -> str:
        return f"/sources/{item.pk}/"

    def lastmod(self, item: Source):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class PageSitemap(CanonicalSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self) -> list[str]:
        return ["/", "/ratings/", "/corrections/"]

    def location(self, item: str) -> str:
        return item


SITEMAPS = {
    "pages": PageSitemap, "claims": ClaimSitemap, "people": PersonSitemap, "sources": SourceSitemap,
}


def sitemap_index(request, sitemaps=SITEMAPS):
    """``/sitemap.xml``: every section and page of it, at canonical (SITE_URL) locations.

    Django's own index view uses the request's host; a sitemap must name the canonical one.
    """
    items = []
    for section, sitemap_class in sitemaps.items():
        sitemap = sitemap_class()
        location = settings.SITE_URL + reverse("public:sitemap-section", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(location, lastmod))
        items += [SitemapIndexItem(f"{location}?p={page}", lastmod)
                  for page in range(2, sitemap.paginator.num_pages + 1)]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items},
                            content_type="application/xml")
