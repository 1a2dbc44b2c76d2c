"""The public site: server-rendered pages of published and retracted claims.

Views parse the request, call one public selector, and render. Every page answers conditional
requests (public/cache.py) and runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from claims.claimreview import claim_review
from claims.models import Claim
from claims.search import claims_matching
from factcheck.errors import InvalidInput
from public import selectors
from public.cache import cached_page, claim_fingerprint, site_fingerprint
from public.highlighting import highlight, quote_in_context, spans_for


def json_ld(data: dict) -> str:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` escaped so no
    claim text can close the script element."""
    text = orjson.dumps(data).decode()
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - escaped above for the script context


@require_safe
@cached_page(site_fingerprint)
def home(request: HttpRequest) -> HttpResponse:
    """Latest public claims — ours; other fact-checkers' reviews with ``origin=external`` (or
    both with ``origin=all``): filter by rating, topic, claimant; search (best match first, or
    ``sort=newest``); keyset pages."""
    filters = selectors.ClaimFilters(
        rating=request.GET.get("rating", ""), topic=request.GET.get("topic", ""),
        claimant=request.GET.get("claimant", ""), origin=request.GET.get("origin", ""),
    )
    query = request.GET.get("q", "").strip()
    # A search lists the best matches first unless the reader asks for the newest.
    by_relevance = bool(query) and request.GET.get("sort") != "newest"
    listed = filters.apply(selectors.public_claims())
    claims, search_error = listed, ""
    if query:
        try:
            claims = claims_matching(claims, query)
        except InvalidInput as error:
            search_error, claims, by_relevance = error.message, claims.none(), False
    if by_relevance:
        page = selectors.ranked_page(claims, request.GET.get("page"), rows=listed)
    else:
        page = selectors.keyset_page(claims, request.GET.get("page"), date_field="published_at")
    next_query = request.GET.copy()
    if page.next_cursor:
        next_query["page"] = page.next_cursor
    first_query = request.GET.copy()
    first_query.pop("page", None)
    sort_query = first_query.copy()
    sort_query["sort"] = "relevance" if request.GET.get("sort") == "newest" else "newest"
    return render(request, "public/home.html", {
        "page": page, "filters": filters, "query": query, "search_error": search_error,
        "choices": selectors.filter_choices(request.page_stamp.version), "next_query": next_query.urlencode(),
        "first_query": first_query.urlencode(), "sort_query": sort_query.urlencode(),
        "by_relevance": by_relevance,
        "is_filtered": bool(query or filters.is_filtered),
    })


@require_safe
@cached_page(claim_fingerprint)
def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    claim = selectors.public_claim_detail(slug)
    cited = selectors.sources_of(claim)
    statements = selectors.statements_of([item for group in cited for item in group.evidence])
    for group in cited:
        for item in group.evidence:
            item.in_context = quote_in_context(group.source.content, item.quote) if item.quote else None
            item.statement = statements.get(item.quote_id)
    structured_data = None
    if claim.status == Claim.Status.PUBLISHED and not claim.is_external:
        structured_data = json_ld(claim_review(claim))
    return render(request, "public/claim_detail.html", {
        "claim": claim, "cited_sources": cited, "related": selectors.related_claims(claim),
        "translations": selectors.translations_of(claim),
        "corrections": list(claim.corrections.all()), "structured_data": structured_data,
        "canonical_url": claim.canonical_url,
    })


@require_safe
@cached_page(site_fingerprint)
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person, claims, quotes = selectors.public_person_detail(slug)
    return render(request, "public/person_detail.html", {
        "person": person, "quotes": quotes,
        "claims": [claim for claim in claims if not claim.is_external],
        "external_claims": [claim for claim in claims if claim.is_external],
        "canonical_url": f"{settings.SITE_URL}{request.path}",
    })


@require_safe
@cached_page(site_fingerprint)
def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    source, quotes, claims = selectors.public_source_detail(source_id)
    return render(request, "public/source_detail.html", {
        "source": source, "quotes": quotes, "claims": claims,
        "highlighted_content": highlight(source.content, spans_for(quotes, source.content)),
        "unplaced_quotes": [q for q in quotes if q.anchor_status not in {"anchored", "drifted"}],
        "drifted_quotes": [q for q in quotes if q.anchor_status == "drifted"],
        "canonical_url": f"{settings.SITE_URL}{request.path}",
    })


@require_safe
@cached_page(site_fingerprint)
def corrections(request: HttpRequest) -> HttpResponse:
    page = selectors.keyset_page(selectors.public_corrections(), request.GET.get("page"),
                                 date_field="created_at")
    return render(request, "public/corrections.html", {"page": page})


@require_safe
@cached_page(site_fingerprint)
def ratings(request: HttpRequest) -> HttpResponse:
    return render(request, "public/ratings.html", {"ratings": selectors.ratings_with_counts()})


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /admin/", "Allow: /", "",
             f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """HTML 404 for every path outside /api/ (factcheck.api.errors_views dispatches here)."""
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """HTML 500 outside /api/: a static template, no context processors, no database."""
    return HttpResponse(loader.get_template("500.html").render(), status=500)
