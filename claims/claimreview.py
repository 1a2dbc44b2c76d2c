"""schema.org ClaimReview for our published claims: one builder, one validator.

``claim_review(claim)`` builds the dict embedded as JSON-LD on the claim page and served by
``/api/v1/claims/{id}/claimreview/`` and the DataFeed, so the three can never disagree.
``claim_review_problems(data)`` lists what Google's fact-check structured data guidelines
require, plus what our own rules require of every review (level ``required``: the markup is
invalid without it, the publish gate refuses it), and what Google recommends (level
``recommended``: reported by ``manage.py validate_claimreview``).

Retracted claims get no ClaimReview: the markup asserts a verdict, and a retracted check no
longer asserts one (the page still shows the retraction notice).

The builder reads only what the public selectors prefetch (``rating``, ``claimant``,
``evidence`` with ``source__outlet``), so it runs no query of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone

from claims.models import Claim, Evidence, Rating
from sources.language import LANGUAGE_CODE_RE

SCHEMA_CONTEXT = "https://schema.org"
# Google truncates longer claimReviewed texts on small screens.
CLAIM_REVIEWED_RECOMMENDED_MAX = 75


@dataclass(frozen=True)
class RatingScale:
    """The ordinal bounds of our verdict scale (bestRating / worstRating)."""

    best: int
    worst: int


def rating_scale() -> RatingScale:
    """One query: the highest and lowest ordinal rating values."""
    bounds = Rating.objects.filter(value__isnull=False).aggregate(best=Max("value"), worst=Min("value"))
    return RatingScale(best=bounds["best"] or 5, worst=bounds["worst"] or 1)


def our_publisher_site() -> str:
    """Our publisher's host name (``publisher.site`` of our reviews in the API and claims:search)."""
    return urlsplit(settings.PUBLISHER.get("url") or settings.SITE_URL).netloc.lower()


def canonical_url(claim: Claim) -> str:
    return claim.canonical_url


def publisher() -> dict[str, Any]:
    """The publishing organization (ClaimReview ``author``) from settings.PUBLISHER."""
    org: dict[str, Any] = {"@type": "Organization", "name": settings.PUBLISHER.get("name", "")}
    if settings.PUBLISHER.get("url"):
        org["url"] = settings.PUBLISHER["url"]
    if settings.PUBLISHER.get("logo"):
        org["logo"] = {"@type": "ImageObject", "url": settings.PUBLISHER["logo"]}
    return org


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _claimant(claim: Claim) -> dict[str, Any] | None:
    person = claim.claimant
    if person is None:
        return None
    same_as = []
    if person.wikidata_id:
        same_as.append(f"https://www.wikidata.org/wiki/{person.wikidata_id}")
    if person.url:
        same_as.append(person.url)
    return _drop_empty({
        "@type": "Organization" if person.kind == "organization" else "Person",
        "name": person.name,
        "jobTitle": person.title if person.kind != "organization" else None,
        "sameAs": same_as,
    })


@dataclass(frozen=True)
class MarkupOutlet:
    name: str
    homepage_url: str


@dataclass(frozen=True)
class MarkupSource:
    url: str
    title: str
    published_at: dt.datetime | None
    byline: str
    outlet: MarkupOutlet | None


@dataclass(frozen=True)
class MarkupEvidence:
    """What the markup reads of an evidence row and its source (``claim_review``'s
    ``evidence``): the publish gates of a page of claims read these from their one evidence
    query (``claims.workflow.claims_publish_problems``) instead of a second read as model
    instances: the readiness of 50 claims 20 → 11 ms at 1,000,000 claims (docs/benchmarks.md)."""

    relation: str
    order: int
    source_id: int
    source: MarkupSource

    # The evidence row's fields (``QuerySet.values()`` names) these are built from.
    FIELDS = ("relation", "order", "source_id", "source__url", "source__title",
              "source__published_at", "source__byline", "source__outlet_id",
              "source__outlet__name", "source__outlet__homepage_url")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> MarkupEvidence:
        outlet = (MarkupOutlet(row["source__outlet__name"], row["source__outlet__homepage_url"])
                  if row["source__outlet_id"] is not None else None)
        return cls(row["relation"], row["order"], row["source_id"], MarkupSource(
            row["source__url"], row["source__title"], row["source__published_at"],
            row["source__byline"], outlet))


def _creative_work(evidence: Evidence | MarkupEvidence) -> dict[str, Any]:
    source = evidence.source
    outlet = source.outlet
    return _drop_empty({
        "@type": "CreativeWork",
        "url": source.url,
        "headline": source.title,
        "datePublished": _iso(source.published_at),
        "author": {"@type": "Person", "name": source.byline} if source.byline else None,
        "publisher": _drop_empty({
            "@type": "Organization", "name": outlet.name, "url": outlet.homepage_url or None,
        }) if outlet else None,
    })


def _unique_by_source(evidence: list) -> list:
    seen, unique = set(), []
    for item in evidence:
        if item.source_id not in seen:
            seen.add(item.source_id)
            unique.append(item)
    return unique


def _review_rating(claim: Claim, scale: RatingScale) -> dict[str, Any] | None:
    rating = claim.rating
    if rating is None:
        return None
    review_rating: dict[str, Any] = {"@type": "Rating", "alternateName": rating.label}
    if rating.is_ordinal:
        review_rating.update(ratingValue=rating.value, bestRating=scale.best, worstRating=scale.worst)
    if claim.rating_explanation:
        review_rating["ratingExplanation"] = claim.rating_explanation
    return review_rating


def claim_review(
    claim: Claim, *, scale: RatingScale | None = None, published_at: dt.datetime | None = None,
    with_context: bool = True, evidence: list[MarkupEvidence] | None = None,
) -> dict[str, Any]:
    """The ClaimReview for ``claim`` as a JSON-ready dict.

    ``scale`` avoids a query per claim when building many; ``published_at`` previews the markup
    of a claim not yet published (the publish gate); ``with_context=False`` omits ``@context``
    for items inside a DataFeed; ``evidence``: the claim's evidence already read, by order (else
    ``claim.evidence.all()``).
    """
    scale = scale or rating_scale()
    evidence = list(claim.evidence.all()) if evidence is None else evidence
    appearances = [e for e in evidence if e.relation == Evidence.Relation.APPEARANCE]
    appearances.sort(key=lambda e: (e.source.published_at is None, e.source.published_at or 0, e.order))
    appearance_works = [_creative_work(e) for e in _unique_by_source(appearances)]
    data = {
        "@context": SCHEMA_CONTEXT if with_context else None,
        "@type": "ClaimReview",
        "url": canonical_url(claim),
        "claimReviewed": claim.text,
        "inLanguage": claim.language,
        "datePublished": _iso(claim.published_at or published_at),
        # updated_at is the database's transaction time, which can precede published_at by
        # a few milliseconds in the publishing transaction.
        "dateModified": _iso(max(claim.updated_at, claim.published_at) if claim.published_at
                             else published_at),
        "author": publisher(),
        "reviewRating": _review_rating(claim, scale),
        "itemReviewed": _drop_empty({
            "@type": "Claim",
            # The language of the claim as worded in claimReviewed (schema.org CreativeWork).
            "inLanguage": claim.language,
            "author": _claimant(claim),
            "datePublished": _iso(claim.claim_date),
            "appearance": appearance_works,
            "firstAppearance": appearance_works[0] if appearance_works else None,
        }),
        "citation": [_creative_work(e) for e in _unique_by_source(evidence)],
    }
    return _drop_empty(data)


# --- Validation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkupProblem:
    field: str  # dotted path in the ClaimReview, e.g. "reviewRating.alternateName"
    level: str  # "required" (invalid markup) or "recommended"
    message: str

    def __str__(self) -> str:
        return f"[{self.level}] {self.field}: {self.message}"


def _is_absolute_http_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _check_creative_work(work: Any, path: str, problems: list[MarkupProblem]) -> None:
    if not isinstance(work, dict) or not _is_absolute_http_url(work.get("url")):
        problems.append(MarkupProblem(path + ".url", "required", "needs an absolute http(s) URL"))
        return
    for name in ("headline", "datePublished", "publisher"):
        if not work.get(name):
            problems.append(MarkupProblem(f"{path}.{name}", "recommended", "is missing"))


def claim_review_problems(data: dict[str, Any]) -> list[MarkupProblem]:
    """Every way ``data`` falls short of Google's ClaimReview guidelines (empty list: valid)."""
    problems: list[MarkupProblem] = []

    def need(condition: bool, field: str, message: str, level: str = "required") -> None:
        if not condition:
            problems.append(MarkupProblem(field, level, message))

    need(data.get("@type") == "ClaimReview", "@type", "must be ClaimReview")
    need(bool(str(data.get("claimReviewed", "")).strip()), "claimReviewed", "is missing")
    need(len(str(data.get("claimReviewed", ""))) <= CLAIM_REVIEWED_RECOMMENDED_MAX, "claimReviewed",
         f"longer than {CLAIM_REVIEWED_RECOMMENDED_MAX} characters is truncated on small screens",
         "recommended")
    need(_is_absolute_http_url(data.get("url")), "url", "needs the page's absolute canonical URL")
    need(bool(data.get("datePublished")), "datePublished", "is missing")
    need(bool(data.get("dateModified")), "dateModified", "is missing", "recommended")
    reviewed = data.get("itemReviewed") if isinstance(data.get("itemReviewed"), dict) else {}
    for path, language in (("inLanguage", data.get("inLanguage")),
                           ("itemReviewed.inLanguage", reviewed.get("inLanguage"))):
        need(language is None or bool(LANGUAGE_CODE_RE.match(str(language))), path,
             f"{language!r} is not a BCP 47 language code (e.g. en, es-MX)")

    author = data.get("author") or {}
    need(bool(author.get("name")), "author.name", "the publishing organization needs a name")
    need(_is_absolute_http_url(author.get("url")), "author.url", "needs an absolute URL", "recommended")
    logo = author.get("logo")
    logo = logo.get("url") if isinstance(logo, dict) else logo
    need(_is_absolute_http_url(logo), "author.logo", "needs an absolute URL", "recommended")

    rating = data.get("reviewRating")
    need(isinstance(rating, dict), "reviewRating", "is missing")
    if isinstance(rating, dict):
        need(bool(rating.get("alternateName")), "reviewRating.alternateName",
             "the textual rating is missing")
        value = rating.get("ratingValue")
        if value is not None:
            best, worst = rating.get("bestRating"), rating.get("worstRating")
            need(best is not None, "reviewRating.bestRating", "an ordinal rating needs bestRating")
            need(worst is not None, "reviewRating.worstRating", "an ordinal rating needs worstRating")
            if best is not None and worst is not None:
                need(worst <= value <= best, "reviewRating.ratingValue",
                     f"{value} is outside {worst}..{best}")

    # Google only recommends itemReviewed; our rules (the publish gates) require all of it.
    item = data.get("itemReviewed")
    need(isinstance(item, dict) and item.get("@type") == "Claim", "itemReviewed", "must be a Claim")
    if isinstance(item, dict):
        claimant = item.get("author") or {}
        need(bool(claimant.get("name")), "itemReviewed.author", "the claimant is missing")
        need(bool(item.get("datePublished")), "itemReviewed.datePublished",
             "the date of the claim is missing")
        appearances = item.get("appearance") or []
        need(bool(appearances or item.get("firstAppearance")), "itemReviewed.appearance",
             "no source where the claim appeared")
        for index, work in enumerate(appearances):
            _check_creative_work(work, f"itemReviewed.appearance[{index}]", problems)
    for index, work in enumerate(data.get("citation") or []):
        _check_creative_work(work, f"citation[{index}]", problems)
    return problems


# Markup fields whose absence the other publish gates already report (rating, claimant, ...).
FIELDS_COVERED_BY_OTHER_GATES = {
    "reviewRating", "reviewRating.alternateName", "itemReviewed", "itemReviewed.author",
    "itemReviewed.datePublished", "itemReviewed.appearance",
}


def publish_gate_problems(claim: Claim, *, scale: RatingScale | None = None,
                          evidence: list[MarkupEvidence] | None = None) -> list[dict[str, str]]:
    """The ``required`` markup problems of ``claim`` as publish-gate items (``code`` claimreview).

    Previews the markup as if published now; problems another gate already names are left out.
    ``scale`` and ``evidence`` (see ``claim_review``) avoid queries per claim when checking many.
    """
    problems = claim_review_problems(claim_review(claim, scale=scale, published_at=timezone.now(),
                                                  evidence=evidence))
    return [
        {"code": "claimreview", "message": f"fix the ClaimReview markup: {problem.field} {problem.message}"}
        for problem in problems
        if problem.level == "required" and problem.field not in FIELDS_COVERED_BY_OTHER_GATES
    ]
