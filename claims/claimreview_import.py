"""Importing other fact-checkers' reviews: schema.org ClaimReview and Google's claims:search JSON.

Accepted input (``claimreview_import(content=...)``):

- schema.org ClaimReview JSON-LD: one object, a list, an ``@graph``, a ``DataFeed`` (its
  ``dataFeedElement`` items, bare or wrapped in ``DataFeedItem``), or ClaimReview objects nested
  anywhere in other JSON-LD (``mainEntity`` of a WebPage…);
- an HTML page: every ``<script type="application/ld+json">`` block, read as above;
- a Google Fact Check Tools ``claims:search`` response: ``{"claims": [{text, claimant, claimDate,
  claimReview: [{publisher {name, site}, url, title, reviewDate, textualRating, languageCode}]}]}``.

Each review becomes a published external Claim (``claims.services.external_review_import``)
keeping the review URL, the publisher and the review's own date (``datePublished`` /
``reviewDate`` → ``Claim.external_reviewed_at``; ``published_at`` is the import time); its
claim author becomes a Person or Organization
(matched by name or alias, else created); its appearances become Sources linked as
``appearance`` evidence; its verdict is matched to a Rating by label (a non-ordinal one is
created when none matches).

Everything is read and checked before anything is written, and the writes run in one
transaction: bad input gets one error naming every problem and where it is, and nothing is
half-imported. Importing the same input twice changes nothing (reviews are keyed by URL).

A review already imported whose content changed since (same review URL; a new verdict, a new
explanation or a reworded claim) updates its external claim and records the change publicly as a
``Correction`` (``rating_change`` with old and new rating when the verdict moved, else ``update``);
the result lists it under ``updated``. A retracted claim is left alone (listed under
``unchanged``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from claims import services
from claims.models import Claim, Rating
from factcheck.audit import audit_context
from factcheck.errors import InvalidInput
from sources import services as source_services
from sources.models import Person, Source
from sources.urls_normalize import normalize_domain, normalize_url, url_domain

MAX_PROBLEMS_SHOWN = 10


class ClaimReviewError(InvalidInput):
    """The input is not importable; ``fields["problems"]`` lists every problem with its place."""

    code = "invalid_claimreview"

    def __init__(self, problems: list[str]):
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        message = "Nothing was imported: " + "; ".join(shown) + (f"; and {more} more" if more else "")
        super().__init__(message, fields={"problems": problems})


@dataclass
class Appearance:
    url: str
    title: str = ""
    published_at: dt.datetime | None = None


@dataclass
class ReviewData:
    """One review, read and checked, ready to store."""

    where: str  # e.g. "$.dataFeedElement[1].item[0]" or "script 2 $[0]"
    review_url: str
    text: str
    publisher_name: str
    publisher_site: str
    rating_label: str
    rating_explanation: str = ""
    claimant_name: str = ""
    claimant_kind: str = Person.Kind.PERSON
    claimant_url: str = ""
    claim_date: dt.date | None = None
    review_date: dt.datetime | None = None
    language: str = ""  # as the review states it; empty: detected from the claim's text
    appearances: list[Appearance] = field(default_factory=list)


@dataclass
class ClaimReviewImportResult:
    created: list[Claim] = field(default_factory=list)
    updated: list[tuple[Claim, list[str]]] = field(default_factory=list)  # (claim, what changed)
    unchanged: list[Claim] = field(default_factory=list)
    people_created: list[Person] = field(default_factory=list)
    ratings_created: list[Rating] = field(default_factory=list)
    sources_created: list[Source] = field(default_factory=list)

    def summary(self) -> list[str]:
        lines = [f"Reviews: {len(self.created)} imported, {len(self.updated)} changed since the last "
                 f"import, {len(self.unchanged)} already there"]
        lines += [f"Imported: {c.external_publisher_name or c.external_publisher_site} — "
                  f"“{c.text[:70]}” ({c.rating.label})" for c in self.created]
        lines += [f"Updated (recorded as a correction): {c.external_review_url} — {'; '.join(changes)}"
                  for c, changes in self.updated]
        lines += [f"Created {p.get_kind_display().lower()}: {p.name}" for p in self.people_created]
        lines += [f"Created non-ordinal rating: {r.label}" for r in self.ratings_created]
        lines += [f"Created source: {s.url}" for s in self.sources_created]
        return lines


# --- Reading ----------------------------------------------------------------------------------


def documents_from_text(content: str) -> list[tuple[str, Any]]:
    """The JSON documents in ``content``: ``[(label, data)]`` — one for JSON, one per JSON-LD
    script for HTML. Raises ClaimReviewError when nothing can be read."""
    stripped = content.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise ClaimReviewError(["the input is empty"])
    if stripped.startswith("<"):
        return _documents_from_html(stripped)
    try:
        return [("$", json.loads(stripped))]
    except json.JSONDecodeError as exc:
        problem = f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        raise ClaimReviewError([problem]) from None


def _documents_from_html(html: str) -> list[tuple[str, Any]]:
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ClaimReviewError([f"not a readable HTML page ({exc})"]) from None
    scripts = tree.xpath('//script[translate(@type, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", '
                         '"abcdefghijklmnopqrstuvwxyz")="application/ld+json"]')
    if not scripts:
        raise ClaimReviewError(["the HTML page has no JSON-LD (<script type=\"application/ld+json\">)"])
    documents, problems = [], []
    for number, script in enumerate(scripts, start=1):
        try:
            documents.append((f"script {number} $", json.loads(script.text_content() or "")))
        except json.JSONDecodeError as exc:
            problems.append(f"script {number}: not valid JSON (line {exc.lineno}: {exc.msg})")
    if problems:
        raise ClaimReviewError(problems)
    return documents


def _types(node: dict) -> set[str]:
    kind = node.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds}


def find_reviews(data: Any, where: str = "$") -> list[tuple[str, dict, str]]:
    """Every review in a JSON document: ``[(where, node, kind)]``, kind ``schema`` or ``google``."""
    if isinstance(data, dict) and isinstance(data.get("claims"), list) and "@type" not in data:
        found = []
        for i, claim in enumerate(data["claims"]):
            reviews = claim.get("claimReview") if isinstance(claim, dict) else None
            if not isinstance(reviews, list) or not reviews:
                found.append((f"{where}.claims[{i}]", {}, "google-empty"))
                continue
            for j, review in enumerate(reviews):
                node = {"claim": claim, "review": review if isinstance(review, dict) else {}}
                found.append((f"{where}.claims[{i}].claimReview[{j}]", node, "google"))
        return found
    found = []
    if isinstance(data, list):
        for i, item in enumerate(data):
            found += find_reviews(item, f"{where}[{i}]")
    elif isinstance(data, dict):
        if "ClaimReview" in _types(data):
            return [(where, data, "schema")]
        for key, value in data.items():
            if isinstance(value, dict | list) and not key.startswith("@context"):
                found += find_reviews(value, f"{where}.{key}")
    return found


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or ""
    return " ".join(str(value or "").split()) if isinstance(value, str | int | float) else ""


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _url(value: Any, where: str, name: str, problems: list[str], *, required: bool) -> str:
    raw = value.get("url") or value.get("@id") if isinstance(value, dict) else value
    raw = _text(raw) if not isinstance(raw, str) else raw.strip()
    if not raw:
        if required:
            problems.append(f"{where}: '{name}' is missing")
        return ""
    try:
        return normalize_url(raw)
    except ValueError:
        problems.append(f"{where}: '{name}' is not an http(s) URL: {raw[:100]!r}")
        return ""


def _when(value: Any, where: str, name: str, problems: list[str]) -> dt.datetime | None:
    raw = _text(value)
    if not raw:
        return None
    try:
        parsed = parse_datetime(raw)
        if parsed is None and (day := parse_date(raw)) is not None:
            parsed = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    except ValueError:
        parsed = None
    if parsed is None:
        problems.append(f"{where}: '{name}' is not a date: {raw[:40]!r}")
        return None
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=dt.UTC)


def _schema_review(where: str, node: dict, problems: list[str]) -> ReviewData | None:
    before = len(problems)
    text = _text(node.get("claimReviewed"))
    if not text:
        problems.append(f"{where}: 'claimReviewed' is missing")
    review_url = _url(node.get("url"), where, "url", problems, required=True)
    author = (_as_list(node.get("author")) or [{}])[0]
    author = author if isinstance(author, dict) else {"name": author}
    publisher_name = _text(author.get("name"))
    publisher_url = _url(author.get("url"), where, "author.url", problems, required=False)
    if not publisher_name and not publisher_url:
        problems.append(f"{where}: 'author' (the fact-checker) is missing")
    rating = node.get("reviewRating") if isinstance(node.get("reviewRating"), dict) else {}
    label = _text(rating.get("alternateName")) or _text(rating.get("name"))
    if not label:
        problems.append(f"{where}: 'reviewRating.alternateName' (the verdict) is missing")
    item = node.get("itemReviewed") if isinstance(node.get("itemReviewed"), dict) else {}
    claimant = (_as_list(item.get("author")) or [{}])[0]
    claimant = claimant if isinstance(claimant, dict) else {"name": claimant}
    appearances = []
    for i, appearance in enumerate(_as_list(item.get("appearance")) + _as_list(item.get("firstAppearance"))):
        url = _url(appearance, f"{where}.itemReviewed.appearance[{i}]", "url", problems, required=True)
        if url and url not in {a.url for a in appearances}:
            details = appearance if isinstance(appearance, dict) else {}
            appearances.append(Appearance(
                url=url, title=_text(details.get("headline") or details.get("name"))[:500],
                published_at=_when(details.get("datePublished"), where, "appearance.datePublished", problems),
            ))
    claim_when = _when(item.get("datePublished"), where, "itemReviewed.datePublished", problems)
    review_when = _when(node.get("datePublished"), where, "datePublished", problems)
    if len(problems) > before:
        return None
    return ReviewData(
        where=where, review_url=review_url, text=text, publisher_name=publisher_name,
        publisher_site=url_domain(publisher_url) or url_domain(review_url), rating_label=label,
        rating_explanation=_text(rating.get("ratingExplanation") or node.get("reviewBody")),
        claimant_name=_text(claimant.get("name")),
        claimant_kind=(Person.Kind.ORGANIZATION if "Organization" in _types(claimant)
                       else Person.Kind.PERSON),
        claimant_url=_url(claimant.get("sameAs"), where, "itemReviewed.author.sameAs", [], required=False),
        claim_date=claim_when.date() if claim_when else None, review_date=review_when,
        language=_text(node.get("inLanguage"))[:12], appearances=appearances,
    )


def _google_review(where: str, node: dict, problems: list[str]) -> ReviewData | None:
    before = len(problems)
    claim, review = node["claim"], node["review"]
    text = _text(claim.get("text"))
    if not text:
        problems.append(f"{where}: the claim's 'text' is missing")
    review_url = _url(review.get("url"), where, "url", problems, required=True)
    publisher = review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
    if not (_text(publisher.get("name")) or _text(publisher.get("site"))):
        problems.append(f"{where}: 'publisher' is missing")
    label = _text(review.get("textualRating"))
    if not label:
        problems.append(f"{where}: 'textualRating' (the verdict) is missing")
    claim_when = _when(claim.get("claimDate"), where, "claimDate", problems)
    review_when = _when(review.get("reviewDate"), where, "reviewDate", problems)
    if len(problems) > before:
        return None
    return ReviewData(
        where=where, review_url=review_url, text=text, publisher_name=_text(publisher.get("name")),
        publisher_site=normalize_domain(_text(publisher.get("site"))) or url_domain(review_url),
        rating_label=label, claimant_name=_text(claim.get("claimant")),
        claim_date=claim_when.date() if claim_when else None, review_date=review_when,
        language=_text(review.get("languageCode"))[:12],
    )


def read_reviews(content: str) -> list[ReviewData]:
    """Every review in ``content``, checked. Raises ClaimReviewError listing every problem."""
    problems: list[str] = []
    reviews: list[ReviewData] = []
    found = [item for label, data in documents_from_text(content) for item in find_reviews(data, label)]
    if not found:
        raise ClaimReviewError(["no ClaimReview (schema.org) or claims:search review found"])
    for where, node, kind in found:
        if kind == "google-empty":
            problems.append(f"{where}: the claim has no 'claimReview'")
            continue
        review = (_schema_review if kind == "schema" else _google_review)(where, node, problems)
        if review is not None:
            reviews.append(review)
    if problems:
        raise ClaimReviewError(problems)
    unique = {}
    for review in reviews:
        unique.setdefault(review.review_url, review)  # the same review listed twice
    return list(unique.values())


# --- Writing ----------------------------------------------------------------------------------


def _person(review: ReviewData, result: ClaimReviewImportResult, cache: dict[str, Person], *,
            actor) -> Person | None:
    name = review.claimant_name
    if not name:
        return None
    key = name.casefold()
    if key in cache:
        return cache[key]
    person = (Person.objects.filter(name__iexact=name).order_by("pk").first()
              or Person.objects.filter(aliases__contains=[name]).order_by("pk").first())
    if person is None:
        person = source_services.person_create(actor=actor, name=name, kind=review.claimant_kind,
                                               url=review.claimant_url)
        result.people_created.append(person)
    cache[key] = person
    return person


def _source(appearance: Appearance, result: ClaimReviewImportResult, *, actor) -> Source:
    source = Source.objects.filter(url=appearance.url).first()
    if source is None:
        source = source_services.source_create(
            actor=actor,
            url=appearance.url, title=appearance.title, published_at=appearance.published_at,
        )
        result.sources_created.append(source)
    return source


@transaction.atomic
def claimreview_import(*, content: str, actor) -> ClaimReviewImportResult:
    """Import every review in ``content`` (see the module docstring). All or nothing.

    ``actor`` creates the people and sources the reviews need (their model permissions; a
    command passes ``factcheck.actors.SYSTEM``). Raises ClaimReviewError (400
    ``invalid_claimreview``) naming each problem and where it is.
    """
    reviews = read_reviews(content)
    result = ClaimReviewImportResult()
    people: dict[str, Person] = {}
    with audit_context(actor, action="claimreview_import"):
        for review in reviews:
            existing = Claim.objects.filter(external_review_url=review.review_url).first()
            if existing is not None:
                claim, changes, rating_created = services.external_review_update(
                    claim_id=existing.pk, rating_label=review.rating_label,
                    rating_explanation=review.rating_explanation, text=review.text, actor=actor,
                )
                if rating_created is not None:
                    result.ratings_created.append(rating_created)
                if changes:
                    result.updated.append((claim, changes))
                else:
                    result.unchanged.append(claim)
                continue
            rating, rating_created = services.rating_for_label(label=review.rating_label)
            if rating_created:
                result.ratings_created.append(rating)
            claim, _ = services.external_review_import(
                review_url=review.review_url, text=review.text, publisher_name=review.publisher_name,
                publisher_site=review.publisher_site, rating=rating, published_at=None,
                reviewed_at=review.review_date,
                claimant=_person(review, result, people, actor=actor), claim_date=review.claim_date,
                language=review.language, rating_explanation=review.rating_explanation,
                appearances=[_source(a, result, actor=actor) for a in review.appearances], actor=actor,
            )
            result.created.append(claim)
    return result
