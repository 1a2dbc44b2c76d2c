"""Google's ClaimReview markup shapes (``factchecktools v1alpha1``): reading a client's page and
writing ours.

``parse_page`` turns a request body into a ``PageInput`` or raises InvalidInput naming every
problem by its JSON path; ``markup_from_claim`` renders a claim as a ``ClaimReviewMarkup``. The
field names are exactly those of Google's discovery document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from claims.claimreview import RatingScale
from claims.models import Claim, Evidence
from factcheck.errors import InvalidInput

MAX_MARKUPS = 50
MAX_APPEARANCES = 20
MAX_TEXT = 5000

PAGE_FIELDS = {"name", "pageUrl", "publishDate", "claimReviewAuthor", "claimReviewMarkups", "versionId"}
MARKUP_FIELDS = {"url", "claimReviewed", "claimDate", "claimAuthor", "claimAppearances",
                 "claimFirstAppearance", "claimLocation", "rating"}
AUTHOR_FIELDS = {"name", "imageUrl"}
CLAIM_AUTHOR_FIELDS = {"name", "jobTitle", "imageUrl", "sameAs"}
RATING_FIELDS = {"textualRating", "ratingExplanation", "ratingValue", "bestRating", "worstRating",
                 "imageUrl"}


@dataclass(frozen=True)
class MarkupInput:
    claim_reviewed: str
    review_url: str = ""
    claim_date: dt.date | None = None
    author_name: str = ""
    author_job_title: str = ""
    author_same_as: str = ""
    appearances: tuple[str, ...] = ()
    claim_location: str = ""
    textual_rating: str = ""
    rating_explanation: str = ""


@dataclass(frozen=True)
class PageInput:
    page_url: str = ""
    publish_date: dt.date | None = None
    author_name: str = ""
    author_image_url: str = ""
    version_id: str = ""
    markups: tuple[MarkupInput, ...] = field(default_factory=tuple)


class _Problems:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.fields.setdefault(path, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            summary = "; ".join(f"{path}: {' '.join(messages)}" for path, messages in self.fields.items())
            raise InvalidInput(f"The page is not valid markup: {summary}", fields=self.fields)


def _object(value: Any, path: str, allowed: set[str], problems: _Problems) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(path, "Must be an object.")
        return {}
    for unknown in sorted(set(value) - allowed):
        problems.add(f"{path}.{unknown}", "Unknown field.")
    return value


def _string(value: Any, path: str, problems: _Problems, *, required: bool = False,
            limit: int = 500) -> str:
    if value is None or value == "":
        if required:
            problems.add(path, "Required.")
        return ""
    if not isinstance(value, str):
        problems.add(path, "Must be a string.")
        return ""
    text = value.strip()
    if "\x00" in text or len(text) > limit:
        problems.add(path, f"Must be at most {limit} characters, without NUL.")
        return ""
    if required and not text:
        problems.add(path, "Required.")
    return text


def _url(value: Any, path: str, problems: _Problems) -> str:
    text = _string(value, path, problems, limit=1000)
    if text and not text.lower().startswith(("http://", "https://")):
        problems.add(path, "Must be an absolute http(s) URL.")
        return ""
    return text


def _date(value: Any, path: str, problems: _Problems) -> dt.date | None:
    text = _string(value, path, problems, limit=40)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        problems.add(path, "Must be an ISO 8601 date (YYYY-MM-DD) or date-time.")
        return None


def _markup(value: Any, path: str, problems: _Problems) -> MarkupInput | None:
    data = _object(value, path, MARKUP_FIELDS, problems)
    if not isinstance(value, dict):
        return None
    author = _object(data.get("claimAuthor"), f"{path}.claimAuthor", CLAIM_AUTHOR_FIELDS, problems)
    rating = _object(data.get("rating"), f"{path}.rating", RATING_FIELDS, problems)
    raw_appearances = data.get("claimAppearances") or []
    if not isinstance(raw_appearances, list) or len(raw_appearances) > MAX_APPEARANCES:
        problems.add(f"{path}.claimAppearances", f"Must be a list of at most {MAX_APPEARANCES} URLs.")
        raw_appearances = []
    first = _url(data.get("claimFirstAppearance"), f"{path}.claimFirstAppearance", problems)
    appearances = [first] if first else []
    for index, item in enumerate(raw_appearances):
        url = _url(item, f"{path}.claimAppearances[{index}]", problems)
        if url and url not in appearances:
            appearances.append(url)
    return MarkupInput(
        claim_reviewed=_string(data.get("claimReviewed"), f"{path}.claimReviewed", problems,
                               required=True, limit=MAX_TEXT),
        review_url=_url(data.get("url"), f"{path}.url", problems),
        claim_date=_date(data.get("claimDate"), f"{path}.claimDate", problems),
        author_name=_string(author.get("name"), f"{path}.claimAuthor.name", problems, limit=200),
        author_job_title=_string(author.get("jobTitle"), f"{path}.claimAuthor.jobTitle", problems),
        author_same_as=_url(author.get("sameAs"), f"{path}.claimAuthor.sameAs", problems),
        appearances=tuple(appearances),
        claim_location=_string(data.get("claimLocation"), f"{path}.claimLocation", problems),
        textual_rating=_string(rating.get("textualRating"), f"{path}.rating.textualRating", problems,
                               limit=100),
        rating_explanation=_string(rating.get("ratingExplanation"), f"{path}.rating.ratingExplanation",
                                   problems, limit=MAX_TEXT),
    )


def parse_page(body: Any) -> PageInput:
    """A ``ClaimReviewMarkupPage`` request body → PageInput; InvalidInput listing every problem."""
    problems = _Problems()
    if not isinstance(body, dict):
        problems.add("$", "The body must be a ClaimReviewMarkupPage object.")
        problems.raise_if_any()
    data = _object(body, "$", PAGE_FIELDS, problems)
    author = _object(data.get("claimReviewAuthor"), "claimReviewAuthor", AUTHOR_FIELDS, problems)
    raw_markups = data.get("claimReviewMarkups")
    markups: list[MarkupInput] = []
    if not isinstance(raw_markups, list) or not raw_markups or len(raw_markups) > MAX_MARKUPS:
        problems.add("claimReviewMarkups", f"Must be a list of 1 to {MAX_MARKUPS} markups.")
    else:
        for index, item in enumerate(raw_markups):
            markup = _markup(item, f"claimReviewMarkups[{index}]", problems)
            if markup is not None:
                markups.append(markup)
    page = PageInput(
        page_url=_url(data.get("pageUrl"), "pageUrl", problems),
        publish_date=_date(data.get("publishDate"), "publishDate", problems),
        author_name=_string(author.get("name"), "claimReviewAuthor.name", problems, limit=200),
        author_image_url=_url(author.get("imageUrl"), "claimReviewAuthor.imageUrl", problems),
        version_id=_string(data.get("versionId"), "versionId", problems, limit=40),
        markups=tuple(markups),
    )
    problems.raise_if_any()
    return page


# --- Output -----------------------------------------------------------------------------------


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def markup_from_claim(claim: Claim, *, scale: RatingScale, review_url: str = "",
                      claim_location: str = "") -> dict[str, Any]:
    """``claim`` as a ``ClaimReviewMarkup``. Needs ``claimant``, ``rating`` and the evidence with
    their sources loaded (``prefetch_related("evidence__source")``) to avoid a query per claim."""
    appearances = [e.source.url for e in sorted(claim.evidence.all(), key=lambda e: (e.order, e.pk))
                   if e.relation == Evidence.Relation.APPEARANCE]
    appearances = list(dict.fromkeys(appearances))
    person = claim.claimant
    rating = claim.rating
    rating_data = None
    if rating is not None:
        rating_data = _drop_empty({
            "textualRating": rating.label,
            "ratingExplanation": claim.rating_explanation,
            **({"ratingValue": rating.value, "bestRating": scale.best, "worstRating": scale.worst}
               if rating.is_ordinal else {}),
        })
    elif claim.rating_explanation:
        rating_data = {"ratingExplanation": claim.rating_explanation}
    return _drop_empty({
        "url": review_url or (claim.canonical_url if claim.status == Claim.Status.PUBLISHED else ""),
        "claimReviewed": claim.text,
        "claimDate": claim.claim_date.isoformat() if claim.claim_date else None,
        "claimAuthor": _drop_empty({
            "name": person.name,
            "jobTitle": person.title if person.kind != "organization" else "",
            "sameAs": person.url,
        }) if person else None,
        "claimAppearances": appearances,
        "claimFirstAppearance": appearances[0] if appearances else None,
        "claimLocation": claim_location,
        "rating": rating_data,
    })
