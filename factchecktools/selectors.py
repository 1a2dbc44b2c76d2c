"""Reads for Google's ``pages`` API: our published reviews and the pages clients created, as
``ClaimReviewMarkupPage`` documents.

Page names: ``pages/<id>`` for a page a client created (visible to its creator and staff), and
``pages/claim-<id>`` for one of our own published reviews (visible to everyone). Imported reviews
of other fact-checkers are not ours to publish and never appear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from claims.claimreview import RatingScale, rating_scale
from claims.models import Claim, Evidence
from factchecktools.markup import markup_from_claim
from factchecktools.models import MarkupPage, MarkupPageClaim
from sources.urls_normalize import normalize_url

PAGE_NAME = re.compile(r"^(?:pages/)?(?:(?P<claim>claim-)?(?P<id>[0-9]{1,18}))$")


@dataclass(frozen=True)
class PageRef:
    id: int
    is_claim: bool


def parse_page_name(name: str) -> PageRef | None:
    match = PAGE_NAME.match(name or "")
    if not match:
        return None
    return PageRef(id=int(match["id"]), is_claim=bool(match["claim"]))


def _evidence() -> Prefetch:
    return Prefetch("evidence", queryset=Evidence.objects.select_related("source").order_by("order", "pk"))


def our_reviews() -> QuerySet[Claim]:
    """Our own published reviews, newest first, with what their markup needs."""
    return (Claim.objects.filter(status=Claim.Status.PUBLISHED, is_external=False)
            .select_related("claimant", "rating").prefetch_related(_evidence())
            .defer("search_vector", "search_text", "analysis")
            .order_by("-published_at", "-id"))


def pages_created_by(user) -> QuerySet[MarkupPage]:
    """Pages created through the API that ``user`` may read: their own; staff: all."""
    if not (user and user.is_authenticated):
        return MarkupPage.objects.none()
    pages = MarkupPage.objects.all() if user.is_staff else MarkupPage.objects.filter(created_by=user)
    entries = MarkupPageClaim.objects.select_related("claim__claimant", "claim__rating").prefetch_related(
        Prefetch("claim__evidence", queryset=_evidence().queryset))
    return pages.prefetch_related(Prefetch("markups", queryset=entries)).order_by("-created_at", "-id")


def _publisher_author() -> dict[str, Any]:
    return {key: value for key, value in {
        "name": settings.PUBLISHER.get("name", ""), "imageUrl": settings.PUBLISHER.get("logo", ""),
    }.items() if value}


def claim_page_document(claim: Claim, *, scale: RatingScale) -> dict[str, Any]:
    """One of our published reviews as a page of one markup."""
    return {
        "name": f"pages/claim-{claim.pk}",
        "pageUrl": claim.canonical_url,
        "publishDate": claim.published_at.date().isoformat() if claim.published_at else None,
        "claimReviewAuthor": _publisher_author(),
        "claimReviewMarkups": [markup_from_claim(claim, scale=scale)],
        "versionId": str(claim.version),
    }


def created_page_document(page: MarkupPage, *, scale: RatingScale) -> dict[str, Any]:
    """A created page: its fields, and each markup as its draft claim reads now."""
    document = {
        "name": f"pages/{page.pk}",
        "pageUrl": page.page_url,
        "publishDate": page.publish_date.isoformat() if page.publish_date else None,
        "claimReviewAuthor": {k: v for k, v in {"name": page.author_name,
                                                 "imageUrl": page.author_image_url}.items() if v},
        "claimReviewMarkups": [
            markup_from_claim(entry.claim, scale=scale, review_url=entry.review_url,
                              claim_location=entry.claim_location)
            for entry in page.markups.all()
        ],
        "versionId": str(page.version),
    }
    return {key: value for key, value in document.items() if value not in (None, "", {})}


def page_document(name: str, user) -> dict[str, Any] | None:
    """The page called ``name`` as ``user`` may see it, or None (missing and private alike)."""
    ref = parse_page_name(name)
    if ref is None:
        return None
    scale = rating_scale()
    if ref.is_claim:
        claim = our_reviews().filter(pk=ref.id).first()
        return claim_page_document(claim, scale=scale) if claim else None
    page = pages_created_by(user).filter(pk=ref.id).first()
    return created_page_document(page, scale=scale) if page else None


def page_documents(user, *, url: str, organization: str, offset: int, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` pages from ``offset``: the caller's created pages first (newest first), then
    our published reviews (newest first). ``url`` keeps pages of that URL; ``organization`` keeps
    our reviews only when it names our publisher (created pages: their author)."""
    scale = rating_scale()
    created = pages_created_by(user)
    reviews = our_reviews()
    if url:
        created = created.filter(page_url=url)
        reviews = reviews.filter(pk__in=_claim_ids_for_url(url))
    if organization:
        created = created.filter(author_name__iexact=organization)
        if organization.casefold() != settings.PUBLISHER.get("name", "").casefold():
            reviews = reviews.none()
    documents: list[dict[str, Any]] = []
    created_count = created.count()
    if offset < created_count:
        for page in created[offset:offset + limit]:
            documents.append(created_page_document(page, scale=scale))
    rest = limit - len(documents)
    if rest > 0:
        start = max(0, offset - created_count)
        documents.extend(claim_page_document(claim, scale=scale) for claim in reviews[start:start + rest])
    return documents


def _claim_ids_for_url(url: str) -> list[int]:
    """Our reviews whose public page is ``url`` (the claim path carries the slug)."""
    try:
        wanted = normalize_url(url)
    except ValueError:
        return []
    slug = wanted.rstrip("/").rsplit("/", 1)[-1]
    return [claim.pk for claim in Claim.objects.filter(slug=slug).only("pk", "slug")
            if normalize_url(claim.canonical_url) == wanted]
