"""Reads for the public site (pages, feeds, sitemap, claims:search): published and retracted claims
and only what hangs off them. Every function returns a planned queryset or a fixed number of
queries, whatever the number of rows; a private object is simply absent (→ 404).

Long lists page by keyset on ``(-published_at, -id)`` (or ``-created_at`` for corrections) with
an opaque signed cursor: no COUNT and no OFFSET (a deep OFFSET reads every skipped row).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.db.models import Count, Exists, F, FloatField, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import get_language_info

from claims.claimreview import our_publisher_site
from claims.filters import language_code_condition, max_age_condition
from claims.models import PUBLIC_STATUSES, Claim, ClaimRelation, Correction, Evidence, Rating, Topic
from claims.search import claims_matching
from claims.selectors import (
    outlets_visible_to,
    people_visible_to,
    quotes_visible_to,
    sources_visible_to,
)
from sources.language import primary_language
from sources.models import Person, Quote, Source
from sources.urls_normalize import normalize_domain

PAGE_SIZE = 20
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]{1,220}")
PERSON_LIST_LIMIT = 200
CURSOR_SALT = "factcheck.public.cursor"


# --- Keyset paging --------------------------------------------------------------------------


@dataclass
class KeysetPage:
    items: list[Any]
    next_cursor: str | None = None
    is_first: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def keyset_page(queryset: QuerySet, cursor: str | None, *, date_field: str,
                size: int | None = None) -> KeysetPage:
    """One page of ``queryset`` newest first by ``(date_field, id)``. A cursor that does not
    verify (tampered, or from another list) is a 404, not a silent first page."""
    size = size or PAGE_SIZE
    if cursor:
        try:
            stamp, last_id = signing.loads(cursor, salt=f"{CURSOR_SALT}.{date_field}")
            stamp = dt.datetime.fromisoformat(stamp)
        except (signing.BadSignature, ValueError, TypeError):
            raise Http404("Unknown page.") from None
        queryset = queryset.filter(
            Q(**{f"{date_field}__lt": stamp}) | Q(**{date_field: stamp, "id__lt": last_id})
        )
    rows = list(queryset.order_by(f"-{date_field}", "-id")[: size + 1])
    page = KeysetPage(items=rows[:size], is_first=not cursor)
    if len(rows) > size:
        last = rows[size - 1]
        page.next_cursor = signing.dumps(
            [getattr(last, date_field).isoformat(), last.pk], salt=f"{CURSOR_SALT}.{date_field}",
            compress=True,
        )
    return page


def ranked_page(queryset: QuerySet, cursor: str | None, *, rows: QuerySet,
                size: int | None = None) -> KeysetPage:
    """One page of search results best match first: keyset on ``(rank, published_at, id)``
    descending (``rank`` annotated by ``claims.search.claims_matching``). The cursor carries the
    last row's rank exactly, so pages neither repeat nor skip a claim. A cursor that does not
    verify is a 404.

    Ranked first, read after: ``queryset`` ranks its candidates on their ids, dates and vectors
    alone, and the page's claims are then read from ``rows`` (what a card shows: rating,
    claimant) by id — joining the rating and the claimant to all 500 candidates before keeping
    20 took about 3 ms of a search at 1,000,000 claims (docs/benchmarks.md). A claim that left
    ``rows`` between the two reads (unpublished that instant) is left out of the page."""
    size = size or PAGE_SIZE
    salt = f"{CURSOR_SALT}.rank"
    # ts_rank is a float4, which reaches Python as its shortest decimal text: not the same number.
    # As a float8 it round-trips exactly, so the cursor's rank compares equal to the row's.
    queryset = queryset.annotate(relevance=Cast("rank", FloatField()))
    if cursor:
        try:
            rank, stamp, last_id = signing.loads(cursor, salt=salt)
            rank, stamp = float(rank), dt.datetime.fromisoformat(stamp)
        except (signing.BadSignature, ValueError, TypeError):
            raise Http404("Unknown page.") from None
        queryset = queryset.filter(
            Q(relevance__lt=rank) | Q(relevance=rank, published_at__lt=stamp)
            | Q(relevance=rank, published_at=stamp, id__lt=last_id)
        )
    best = list(queryset.order_by("-relevance", "-published_at", "-id")
                .values_list("pk", "relevance", "published_at")[: size + 1])
    found = rows.in_bulk([pk for pk, _, _ in best[:size]])
    page = KeysetPage(items=[found[pk] for pk, _, _ in best[:size] if pk in found], is_first=not cursor)
    if len(best) > size:
        last_id, rank, stamp = best[size - 1]
        page.next_cursor = signing.dumps([rank, stamp.isoformat(), last_id], salt=salt, compress=True)
    return page


# --- Claims ---------------------------------------------------------------------------------


# What a listed claim shows — its card (public_site.claim_card), a feed entry — and what its pages
# are ordered by: only these columns are read, with its rating's and claimant's. Reading every
# column of the three models for a page of 20 cost about 1.4 ms more in Python (building the
# rows, parsing their timestamps) at 1,000,000 claims (docs/benchmarks.md).
LISTED_CLAIM_FIELDS = (
    "text", "slug", "claim_date", "language", "status", "rating_explanation", "published_at",
    "updated_at", "is_external", "external_publisher_name", "external_publisher_site",
    "external_reviewed_at", "rating__slug", "rating__label", "claimant__name", "claimant__slug",
)


def public_claims() -> QuerySet[Claim]:
    """Published and retracted claims with what a card shows (rating, claimant; not topics):
    ``LISTED_CLAIM_FIELDS``."""
    return Claim.objects.public().select_related("rating", "claimant").only(*LISTED_CLAIM_FIELDS)


def own_public_claims() -> QuerySet[Claim]:
    """Our own public fact checks: what "Latest fact checks", the feeds and the sitemap list.
    Reviews imported from other fact-checkers are shown only where a reader asks for them."""
    return public_claims().filter(is_external=False)


# ``?origin=`` on the home page: ours by default, other fact-checkers' reviews, or both.
ORIGINS = {"": Q(is_external=False), "own": Q(is_external=False), "external": Q(is_external=True),
           "all": Q()}


@dataclass(frozen=True)
class ClaimFilters:
    rating: str = ""
    topic: str = ""
    claimant: str = ""
    origin: str = ""

    @property
    def is_filtered(self) -> bool:
        return bool(self.rating or self.topic or self.claimant or self.origin not in {"", "own"})

    def apply(self, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        # Hand-typed URLs may carry anything (even NUL bytes PostgreSQL refuses): not a slug,
        # no match.
        if any(value and not SLUG_RE.fullmatch(value) for value in (self.rating, self.topic, self.claimant)):
            return queryset.none()
        if self.origin not in ORIGINS:
            return queryset.none()
        queryset = queryset.filter(ORIGINS[self.origin])
        if self.rating:
            queryset = queryset.filter(rating__slug=self.rating)
        if self.topic:
            queryset = queryset.filter(topics__slug=self.topic)
        if self.claimant:
            queryset = queryset.filter(claimant__slug=self.claimant)
        return queryset


@functools.lru_cache(maxsize=1)
def filter_choices(version: str) -> dict[str, list]:
    """Options for the home page's filters, as of the site fingerprint ``version``
    (``public.cache.site_fingerprint``, which moves with every change they show): 3 queries, or
    none when this process last read them at that version. They are the same on every page and
    cost about 8 ms to read at 1,000,000 claims (docs/benchmarks.md), while a search's page is
    rendered anew for each query."""
    public = Claim.objects.public()
    return {
        "ratings": list(Rating.objects.all()),
        "topics": list(Topic.objects.filter(Exists(public.filter(topics=OuterRef("pk"))))),
        "claimants": list(
            Person.objects.filter(Exists(public.filter(claimant=OuterRef("pk"))))
            .only("name", "slug")[:PERSON_LIST_LIMIT]
        ),
    }


def public_claim_detail(slug: str) -> Claim:
    """One public claim with everything its page shows, in 6 queries (7 when a cited quote is
    said in several languages: ``statements_of``). Raises Http404."""
    claims = Claim.objects.public().select_related("rating", "claimant").prefetch_related(
        "topics",
        # Whether a cited quote has renderings in other languages rides along (no extra query
        # unless one is part of such a statement: ``statements_of``).
        Prefetch("evidence", queryset=Evidence.objects.select_related(
            "source__outlet", "quote__speaker").annotate(
            quote_has_renderings=Exists(Quote.objects.filter(rendering_of=OuterRef("quote_id"))),
        ).order_by("order", "id")),
        Prefetch("corrections", queryset=Correction.objects.select_related(
            "old_rating", "new_rating").order_by("-created_at", "-id")),
        # Relations to claims the public may not see are left out.
        Prefetch("relations_out", queryset=ClaimRelation.objects.select_related("to_claim__rating")
                 .filter(to_claim__status__in=PUBLIC_STATUSES).order_by("kind", "id")),
        Prefetch("relations_in", queryset=ClaimRelation.objects.select_related("from_claim__rating")
                 .filter(from_claim__status__in=PUBLIC_STATUSES).order_by("kind", "id")),
    )
    try:
        return claims.get(slug=slug)
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None


@dataclass
class CitedSource:
    """A source as the claim page shows it: once, with every evidence link that cites it."""

    source: Source
    evidence: list[Evidence]

    @property
    def relations(self) -> list[str]:
        return list(dict.fromkeys(e.get_relation_display() for e in self.evidence))


def sources_of(claim: Claim) -> list[CitedSource]:
    """The claim's evidence grouped by source, appearances first (no query: prefetched)."""
    grouped: dict[int, CitedSource] = {}
    for item in sorted(claim.evidence.all(), key=lambda e: (e.relation != "appearance", e.order, e.pk)):
        grouped.setdefault(item.source_id, CitedSource(item.source, [])).evidence.append(item)
    return list(grouped.values())


def related_claims(claim: Claim) -> list[dict[str, Any]]:
    """Both directions of the claim's typed relations to other public claims (prefetched), but
    translations, which the page shows apart (``translations_of``)."""
    translation = ClaimRelation.Kind.TRANSLATION_OF
    related = [{"kind": r.get_kind_display(), "direction": "out", "claim": r.to_claim, "note": r.note}
               for r in claim.relations_out.all() if r.kind != translation]
    related += [{"kind": r.get_kind_display(), "direction": "in", "claim": r.from_claim, "note": r.note}
                for r in claim.relations_in.all() if r.kind != translation]
    return related


# --- Languages: a claim's translations, a quote's renderings ----------------------------------


def language_name(code: str) -> str:
    """The name of a BCP 47 language in the active language ("Spanish"), else the code itself."""
    primary = primary_language(code)
    if not primary:
        return ""
    try:
        return str(get_language_info(primary)["name_translated"])
    except KeyError:
        return code


@dataclass(frozen=True)
class InLanguage:
    """A claim or a quote with its language's code and name (the page marks it up with lang)."""

    item: Any
    language: str
    language_name: str

    @classmethod
    def of(cls, item) -> InLanguage:
        return cls(item, item.language, language_name(item.language))


def translations_of(claim: Claim) -> list[InLanguage]:
    """The public claims linked to ``claim`` as its translations, whichever way the link was
    drawn ("translation of" is symmetric on the page), by language then id (prefetched)."""
    translation = ClaimRelation.Kind.TRANSLATION_OF
    others = {r.to_claim.pk: r.to_claim for r in claim.relations_out.all() if r.kind == translation}
    others.update({r.from_claim.pk: r.from_claim for r in claim.relations_in.all()
                   if r.kind == translation})
    return [InLanguage.of(c) for c in sorted(others.values(), key=lambda c: (c.language, c.pk))]


@dataclass(frozen=True)
class Statement:
    """One statement said in several languages: the original quote and its renderings."""

    original: InLanguage
    renderings: list[InLanguage]


def statements_of(evidence: list[Evidence]) -> dict[int, Statement]:
    """``{quote id: Statement}`` for the cited quotes that are an original with renderings or a
    rendering of one: one query for all of them, none when no cited quote is. Every member of a
    statement is shown with the cited quote: linking them made them one public statement."""
    originals = {e.quote.rendering_of_id or e.quote_id for e in evidence
                 if e.quote is not None and (e.quote.rendering_of_id or e.quote_has_renderings)}
    if not originals:
        return {}
    members = Quote.objects.filter(Q(pk__in=originals) | Q(rendering_of__in=originals)).only(
        "text", "language", "rendering_of").order_by("language", "pk")
    groups: dict[int, list[Quote]] = {}
    for quote in members:
        groups.setdefault(quote.rendering_of_id or quote.pk, []).append(quote)
    statements = {}
    for original_id, quotes in groups.items():
        original = next(q for q in quotes if q.pk == original_id)
        statement = Statement(InLanguage.of(original),
                              [InLanguage.of(q) for q in quotes if q.pk != original_id])
        for quote in quotes:
            statements[quote.pk] = statement
    return statements


# --- People and sources ---------------------------------------------------------------------


def public_quotes() -> QuerySet[Quote]:
    """Quotes cited by a public claim's evidence (the API's rule for anonymous readers)."""
    return quotes_visible_to(None)


def public_person_detail(slug: str) -> tuple[Person, list[Claim], list[Quote]]:
    """A claimant or speaker of public claims with those claims and quotes (3 queries).
    A person with nothing public is a 404."""
    person = Person.objects.filter(slug=slug).first()
    if person is None:
        raise Http404("No such person.")
    # Ours first, then other fact-checkers' reviews (the page lists them apart).
    claims = list(
        public_claims().filter(claimant=person)
        .order_by("is_external", "-published_at", "-id")[:PERSON_LIST_LIMIT]
    )
    quotes = list(
        public_quotes().filter(speaker=person).select_related("source__outlet")
        .defer("source__content").order_by("-source__published_at", "source_id", "start", "id")
        [:PERSON_LIST_LIMIT]
    )
    if not claims and not quotes:
        raise Http404("No such person.")
    return person, claims, quotes


def public_source_detail(source_id: int) -> tuple[Source, list[Quote], list[Claim]]:
    """A source cited by a public claim, its public quotes and the public claims citing it
    (3 queries). Raises Http404."""
    source = (
        sources_visible_to(None)
        .select_related("outlet").filter(pk=source_id).first()
    )
    if source is None:
        raise Http404("No such source.")
    quotes = list(public_quotes().filter(source=source).select_related("speaker").order_by("start", "id"))
    claims = list(
        Claim.objects.public().filter(Exists(Evidence.objects.filter(claim=OuterRef("pk"), source=source)))
        .select_related("rating").only("slug", "text", "status", "published_at", "rating__label",
                                       "rating__slug", "rating__value", "is_external",
                                       "external_publisher_name", "external_publisher_site")
        .order_by("-published_at", "-id")[:PERSON_LIST_LIMIT]
    )
    return source, quotes, claims


def shows_person(pk: int) -> bool:
    """Whether public pages show person ``pk``: a claimant of a public claim or a speaker of a
    quote one cites (1 query)."""
    return people_visible_to(None).filter(pk=pk).exists()


def shows_outlet(pk: int) -> bool:
    """Whether public pages show outlet ``pk``: that of a source a public claim cites (1 query)."""
    return outlets_visible_to(None).filter(pk=pk).exists()


# --- Corrections and ratings ----------------------------------------------------------------


def public_corrections() -> QuerySet[Correction]:
    """Corrections and retractions of our own public claims, with the claim and ratings they
    name (an imported review's updates are the other fact-checker's, shown on its page only)."""
    return Correction.objects.filter(
        claim__status__in=PUBLIC_STATUSES, claim__is_external=False
    ).select_related(
        "claim", "old_rating", "new_rating"
    ).defer("claim__search_vector", "claim__search_text", "claim__analysis")


def ratings_with_counts() -> list[Rating]:
    """The verdict scale, each rating with how many of our public claims carry it (1 query)."""
    return list(Rating.objects.annotate(
        public_claims=Count("claims", filter=Q(claims__status__in=PUBLIC_STATUSES,
                                               claims__is_external=False))
    ).order_by("order", "id"))  # Meta.ordering does not apply to aggregating queries


# --- claims:search (Google Fact Check Tools compatible) -------------------------------------


def fact_check_search(*, query: str, language: str, max_age_days: int | None,
                      publisher_site: str) -> QuerySet[Claim]:
    """Published reviews (ours and imported ones) for ``claims:search``, with rating and claimant:
    best match first for a ``query`` (then newest), else newest first. ``language`` matches the
    primary language subtag; ``max_age_days`` the review or the claim date; ``publisher_site``
    our own host or an imported review's publisher. Unsliced: the caller pages.
    Raises InvalidInput (fields name ``q``) for an unusable query."""
    claims = (
        Claim.objects.filter(status=Claim.Status.PUBLISHED).select_related("rating", "claimant")
        .defer("search_vector", "search_text", "analysis")
    )
    if publisher_site:
        site = normalize_domain(publisher_site)
        ours = Q(is_external=False) if site == normalize_domain(our_publisher_site()) else Q(pk__in=[])
        claims = claims.filter(ours | Q(is_external=True, external_publisher_site__iexact=site))
    if language:
        claims = claims.filter(language_code_condition(language))
    if max_age_days:
        claims = claims.filter(max_age_condition(max_age_days))
    if query:
        return claims_matching(claims, query).order_by(F("rank").desc(), "-published_at", "-id")
    return claims.order_by("-published_at", "-id")
