"""sitemap.xml: public claim pages, the pages of people (claimants and speakers) and sources,
and the fixed pages.

Locations use settings.SITE_URL (the canonical host), not the host a request came in on.

Sections are split by id range, not by COUNT and OFFSET (what Django's sitemap framework does:
seconds per page at 1,000,000 claims): page ``n`` of a section lists the public rows with
``(n - 1) · SECTION_IDS < id ≤ n · SECTION_IDS`` — one range scan of the primary key — and the
index lists ``ceil(max(id) / SECTION_IDS)`` pages per section, ``max(id)`` being read from the
end of the primary key. A page can hold fewer URLs than ids (private rows), or none (an empty
``urlset`` is valid); never more than the protocol's 50,000. The XML is written directly from
``values_list`` rows (a template per URL cost more than the query).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Max, Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from claims.models import CLAIM_PATH, Claim
from claims.selectors import people_visible_to, sources_visible_to
from sources.models import Person, Source

# Ids per sitemap page: at most this many URLs (the protocol allows 50,000). Sized so that a
# page stays within 100 ms where visibility is an EXISTS per row (sources): 10,000 ids took
# 320–350 ms for sources and 90–120 ms for claims at 1,000,000 claims (docs/benchmarks.md). The
# index then lists ~400 pages per section at that size (50,000 allowed).
SECTION_IDS = 2_500
XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True)
class Section:
    """A sitemap section: ``rows()`` gives ``(path, lastmod or None)`` for the public rows of a
    queryset paged by id range (``model``'s primary key bounds the pages)."""

    model: type[Model] | None
    queryset: Callable[[], QuerySet] | None = None
    fields: tuple[str, ...] = ()
    path: Callable[[tuple], str] = str
    changefreq: str = "weekly"
    priority: str = "0.5"
    fixed: tuple[str, ...] = ()

    def num_pages(self) -> int:
        if self.model is None:
            return 1
        top = self.model._default_manager.aggregate(top=Max("pk"))["top"] or 0
        return max(1, math.ceil(top / SECTION_IDS))

    def rows(self, page: int) -> Iterable[tuple[str, object]]:
        if self.model is None:
            return [(path, None) for path in self.fixed]
        low = (page - 1) * SECTION_IDS
        rows = (self.queryset().filter(pk__gt=low, pk__lte=low + SECTION_IDS)
                .order_by("pk").values_list(*self.fields))
        return [(self.path(row), row[-1] if len(self.fields) > 1 else None) for row in rows]


SECTIONS = {
    "pages": Section(model=None, changefreq="daily", priority="0.6",
                     fixed=("/", "/ratings/", "/corrections/")),
    # Our own fact checks only: other fact-checkers' reviews are theirs to list.
    "claims": Section(model=Claim, queryset=lambda: Claim.objects.public().filter(is_external=False),
                      fields=("slug", "updated_at"),
                      path=lambda row: CLAIM_PATH.format(slug=row[0]), priority="0.8"),
    # Everyone with a public page: claimants of public claims and speakers of public quotes.
    "people": Section(model=Person, queryset=lambda: people_visible_to(None), fields=("slug",),
                      path=lambda row: f"/people/{row[0]}/"),
    "sources": Section(model=Source, queryset=lambda: sources_visible_to(None),
                       fields=("id", "updated_at"), path=lambda row: f"/sources/{row[0]}/",
                       changefreq="monthly", priority="0.3"),
}


def _xml(body: str) -> HttpResponse:
    return HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + body,
                        content_type="application/xml")


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """``/sitemap-<section>.xml[?p=n]``: one page of a section (404 beyond the last page)."""
    spec = SECTIONS.get(section)
    page = request.GET.get("p", "1")
    if spec is None or not page.isdigit() or not 1 <= int(page) <= spec.num_pages():
        raise Http404("No such sitemap page.")
    site = settings.SITE_URL
    entries = []
    for path, lastmod in spec.rows(int(page)):
        stamp = f"<lastmod>{lastmod.isoformat(timespec='seconds')}</lastmod>" if lastmod else ""
        entries.append(f"<url><loc>{escape(site + path)}</loc>{stamp}<changefreq>{spec.changefreq}"
                       f"</changefreq><priority>{spec.priority}</priority></url>")
    return _xml(f'<urlset xmlns="{XMLNS}">\n' + "\n".join(entries) + "\n</urlset>\n")


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: every page of every section, at canonical (SITE_URL) locations; one
    ``max(id)`` per section, no count."""
    entries = []
    for section, spec in SECTIONS.items():
        location = settings.SITE_URL + reverse("public:sitemap-section", kwargs={"section": section})
        entries.append(location)
        entries += [f"{location}?p={page}" for page in range(2, spec.num_pages() + 1)]
    body = "\n".join(f"<sitemap><loc>{escape(location)}</loc></sitemap>" for location in entries)
    return _xml(f'<sitemapindex xmlns="{XMLNS}">\n{body}\n</sitemapindex>\n')
