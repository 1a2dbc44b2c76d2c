"""Importing an article: fetch or take its document, store its snapshot, extract and anchor quotes.

``article_import(url=… | content=…)`` is the one service behind ``manage.py import_article`` and
``POST /api/v1/sources/import/`` (and, later, a background job: its arguments are plain strings
and its result serialises to JSON):

1. without ``content`` the article's URL is fetched safely (``sources.fetch``); a failed fetch is
   recorded on the article's Source in its own transaction (see ``fetch_page``);
2. the document is read (``sources.parsing``: HTML, Markdown or text, format guessed when not
   given);
3. the Source is stored through ``sources.services``: a new URL → ``source_create``; a known URL
   with the same normalized text → nothing changes; with changed text → ``source_update`` stores
   the new snapshot (the old one stays in the audit trail) and re-anchors every quote;
4. quotes are extracted (``sources.extraction``, in the source's language, detected when not
   given); speakers are matched to Person rows by name or alias, by surname only to confirmed
   people, or created as candidate people (as an organisation when the name says so: "the White
   House", "the Ministry of ..."); each new quote is anchored and marked as a candidate until an
   editor confirms it — a quotation without a speaker is kept too, with no speaker; quotes
   already there are left alone;
5. quote variants are linked (``sources.variants``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Lower

from factcheck.actors import require_permission
from factcheck.audit import audit_context
from factcheck.errors import DomainError, InvalidInput
from sources import services
from sources.extraction import ExtractedQuote, KnownPerson, extract_quotes, is_organization
from sources.fetch import FetchError, fetch_url
from sources.language import GIVEN, detect_language, primary_language
from sources.models import Person, Quote, Source
from sources.parsing import FORMATS, ParsedDocument, check_format, detect_format, parse_document, parse_when
from sources.urls_normalize import url_domain
from sources.variants import link_variants

__all__ = ["FORMATS", "ArticleImportResult", "FetchFailed", "FetchRefused", "article_import", "fetch_page"]


class FetchFailed(DomainError, code="fetch_failed", status=502):
    """The article's URL could not be fetched (the message is generic): 502, the other side failed."""


class FetchRefused(FetchFailed):
    """The URL or what it returned is not acceptable (private address, type, size): 400."""

    status = 400


REFUSALS = {"fetch_blocked", "fetch_content_type", "fetch_too_large"}


@dataclass(frozen=True)
class ImportedSource:
    id: int
    url: str
    title: str
    content_sha256: str


@dataclass(frozen=True)
class ArticleImportResult:
    """What an import did; plain data (``as_json()`` is the API's response body)."""

    source: ImportedSource
    created: bool
    content_changed: bool
    quotes_created: list[int]  # ids of the new candidate quotes
    quotes_kept: int
    people_created: list[int]  # ids of the people created for unknown speakers
    reanchored: dict[str, int]  # anchor status → quotes, after a changed snapshot
    summary: list[str]  # one line per fact, as the command prints it

    def as_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ArticleImportResult:
        return cls(**{**data, "source": ImportedSource(**data["source"])})


@dataclass
class _Import:
    """What the import is doing, while it runs (model instances; see ``result()``)."""

    source: Source
    created: bool = False
    content_changed: bool = False
    first_snapshot: bool = False  # the Source existed without text (e.g. left by a failed fetch)
    quotes_created: list[Quote] = field(default_factory=list)
    quotes_kept: int = 0
    people_created: list[Person] = field(default_factory=list)
    unattributed: list[str] = field(default_factory=list)
    reanchored: dict[str, int] = field(default_factory=dict)
    variants_linked: int = 0

    def result(self) -> ArticleImportResult:
        source = self.source
        return ArticleImportResult(
            source=ImportedSource(id=source.pk, url=source.url, title=source.title,
                                  content_sha256=source.content_sha256),
            created=self.created, content_changed=self.content_changed,
            quotes_created=[quote.pk for quote in self.quotes_created], quotes_kept=self.quotes_kept,
            people_created=[person.pk for person in self.people_created],
            reanchored=dict(self.reanchored), summary=self.summary(),
        )

    def summary(self) -> list[str]:
        """What the import did, one line per fact (printed by the command, sent by the API)."""
        source = self.source
        if self.created:
            lines = [f"Created source {source.pk}: {source.url}"]
        elif self.content_changed:
            lines = [f"Stored the first text of source {source.pk}: {source.url}" if self.first_snapshot else
                     f"Updated the text of source {source.pk}: {source.url} (new snapshot)"]
            lines.append("Re-anchored quotes: " + (", ".join(
                f"{count} {status}" for status, count in sorted(self.reanchored.items())
            ) or "none"))
        else:
            lines = [f"Source {source.pk} unchanged (same text): {source.url}"]
        lines.append(f"Quotes: {len(self.quotes_created)} new candidates, {self.quotes_kept} already there")
        for person in self.people_created:
            lines.append(f"Created person (candidate): {person.name}")
        for text in self.unattributed:
            lines.append(f"Kept without a speaker (needs a speaker): “{text[:80]}”")
        if self.variants_linked:
            lines.append(f"Quotes with variants linked: {self.variants_linked}")
        return lines


# --- Fetching --------------------------------------------------------------------------------


def fetch_page(url: str, *, source_url: str = "", actor):
    """Fetch an article URL safely. Raises FetchRefused (400) or FetchFailed (502).

    Every failure is recorded with its generic message on the article's Source (``source_url``,
    else ``url``), so editors see which articles could not be read and retry them:

    - an address refused as non-public or a scheme that is not http(s) (``fetch_blocked``) is
      recorded only on a Source that already exists: a refused address creates nothing;
    - any other failure (unreachable host, HTTP error, time limit, size cap, content type, too
      many redirects) creates the Source when it is new, with an empty text snapshot. Importing
      the article later fills it in and clears the error.

    The record is committed even though the fetch raises (it is written in its own transaction).
    """
    try:
        page = fetch_url(url)
    except FetchError as exc:
        _record_fetch_error(source_url or url, exc.message, create=exc.code != "fetch_blocked",
                            actor=actor)
        error = FetchRefused if exc.code in REFUSALS else FetchFailed
        raise error(exc.message, code=exc.code) from exc
    return page


@transaction.atomic
def _record_fetch_error(url: str, message: str, *, create: bool, actor) -> None:
    try:
        normalized = services.prepare_url(url)
    except InvalidInput:
        return
    _lock_url(normalized)
    with audit_context(actor, action="article_fetch_failed"):
        source = Source.objects.select_for_update().filter(url=normalized).first()
        if source is None and create:
            source = services.source_create(actor=actor, url=normalized, kind=Source.Kind.ARTICLE)
        if source is not None:
            services.source_set_fetch_error(source=source, actor=actor, message=message)


def _lock_url(url: str) -> None:
    """Serialize everything written for one article URL until the transaction ends: two imports of
    one new URL at once cannot be covered by a row lock (the row is not there yet)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [url])


# --- The service --------------------------------------------------------------------------------


def article_import(
    *, url: str = "", content: str | None = None, format: str = "",  # noqa: A002
    fetch_from: str = "", title: str = "", outlet_domain: str = "",
    published_at: str | dt.datetime | None = None, language: str = "", byline: str = "", actor,
) -> ArticleImportResult:
    """Import the article at ``url``: fetch it, or take ``content`` (see the module docstring).

    ``content`` is the document (HTML, Markdown or text; ``format`` guessed when empty — from the
    response's content type when fetched). Without it the page is fetched from ``fetch_from`` (a
    copy somewhere else) or else ``url``. ``url`` is the article's address; for ``content`` it may
    be left out when the page names its canonical URL. ``outlet_domain``, ``title``,
    ``published_at`` (ISO 8601 or a datetime), ``language`` and ``byline`` override the page's
    metadata. Every argument is a plain value, so a queued job can pass the same ones. ``actor``
    needs ``sources.add_source`` (and what the writes need); a command passes
    ``factcheck.actors.SYSTEM``, a job the user who queued it.

    The store is atomic (all or nothing), holds a transaction-level advisory lock on the URL
    (concurrent imports of one article run one after the other) and the Source row lock; a failed
    fetch is recorded on the Source before the error is raised.
    Raises InvalidInput (missing URL, empty text, bad values), FetchRefused (400), FetchFailed (502).
    """
    require_permission(actor, "sources.add_source", "Your role does not allow you to import articles.")
    check_format(format)
    if content is None:
        if not (url or fetch_from):
            raise InvalidInput("Send a url to fetch, or the content.",
                               fields={"url": ["Send a url to fetch, or the content."]})
        page = fetch_page(fetch_from or url, source_url=url, actor=actor)
        content, url = page.text, url or page.url
        format = format or detect_format(content=content, content_type=page.content_type)  # noqa: A001
    return _store(content=content, format=format, url=url, title=title, outlet_domain=outlet_domain,
                  published_at=published_at, language=language, byline=byline, actor=actor)


@transaction.atomic
def _store(*, content: str, format: str, url: str, title: str, outlet_domain: str,  # noqa: A002
           published_at, language: str, byline: str, actor) -> ArticleImportResult:
    document = parse_document(content, format=format, url=url)
    if not document.text:
        raise InvalidInput("The document has no text.", code="no_text", fields={"content": ["Empty."]})
    url = url or document.url
    if not url:
        raise InvalidInput(
            "Give the article's URL: the document does not name one.",
            fields={"url": ["Required when the page has no canonical URL."]},
        )
    url = services.prepare_url(url)
    _lock_url(url)
    with audit_context(actor, action="article_import"):
        source = Source.objects.select_for_update().filter(url=url).first()
        state = _Import(source=source)  # type: ignore[arg-type]
        if source is None:
            state.source = _create_source(
                url, document, actor=actor, title=title, outlet_domain=outlet_domain,
                published_at=published_at, language=language, byline=byline,
            )
            state.created = True
        elif source.content != document.text:
            # A Source left by a failed fetch has no text yet: its first snapshot also brings the
            # metadata it could not have then (fields an editor filled in are kept).
            metadata = {} if source.content else _blank_metadata(
                source, document, title=title, published_at=published_at, byline=byline,
            )
            # A language named for this import is given, unless an editor's is already there.
            if language and source.language_source != GIVEN:
                metadata["language"] = language
            state.first_snapshot = not source.content
            state.source = services.source_update(source=source, actor=actor, content=document.text,
                                                  declared_language=document.language, **metadata)
            state.content_changed = True
            statuses = Quote.objects.filter(source=state.source).values_list("anchor_status", flat=True)
            for status in statuses:
                state.reanchored[status] = state.reanchored.get(status, 0) + 1
        if state.source.fetch_error:
            services.source_set_fetch_error(source=state.source, actor=actor, message="")
        _store_quotes(state, actor=actor)
    return state.result()


def _blank_metadata(source: Source, document: ParsedDocument, *, title, published_at,
                    byline) -> dict:
    found = {
        "title": (title or document.title)[:500], "byline": (byline or document.byline)[:300],
        "published_at": parse_when(published_at) or document.published_at,
    }
    return {name: value for name, value in found.items() if value and not getattr(source, name)}


def _create_source(url, document: ParsedDocument, *, actor, title, outlet_domain, published_at, language,
                   byline) -> Source:
    outlet, _ = services.outlet_get_or_create(
        actor=actor,
        domain=outlet_domain or url_domain(url),
        **({"name": document.site_name} if document.site_name and not outlet_domain else {}),
    )
    return services.source_create(
        actor=actor,
        url=url, content=document.text, outlet=outlet, kind=Source.Kind.ARTICLE,
        title=(title or document.title)[:500], byline=(byline or document.byline)[:300],
        published_at=parse_when(published_at) or document.published_at,
        # Given, else the page's own, else detected from the text (sources.language).
        language=language or None, declared_language=document.language,
    )


def _store_quotes(result: _Import, *, actor) -> None:
    """Every extracted quotation becomes a candidate quote, with or without a speaker.

    Speakers are matched to people already in the database by full name or alias; by surname
    alone only to confirmed people (``Person.is_candidate`` false) — the extractor enforces it
    through ``KnownPerson.confirmed``. Anybody else is created as a candidate person. A quotation
    nobody could be found for is kept with no speaker: editors find it in "needs a speaker".
    """
    source = result.source
    known = _known_people(source.content)
    language = primary_language(source.language) or detect_language(source.content)
    extracted = extract_quotes(source.content, language=language, known=[
        KnownPerson(name=p.name, aliases=tuple(p.aliases), title=p.title, confirmed=not p.is_candidate)
        for p in known
    ])
    people = {p.name: p for p in known}
    existing = list(Quote.objects.filter(source=source))
    for found in extracted:
        if _already_there(found, existing):
            result.quotes_kept += 1
            continue
        speaker = people.get(found.speaker) if found.speaker else None
        if found.speaker and speaker is None:
            kind = Person.Kind.ORGANIZATION if is_organization(found.speaker) else Person.Kind.PERSON
            speaker = services.person_create(actor=actor, name=found.speaker, kind=kind, is_candidate=True)
            people[speaker.name] = speaker
            result.people_created.append(speaker)
        if speaker is None:
            result.unattributed.append(found.text)
        quote = services.quote_create(
            actor=actor,
            source=source, speaker=speaker, text=found.text, is_candidate=True, near=found.start,
            attribution=found.method, attribution_confidence=found.confidence,
        )
        existing.append(quote)
        result.quotes_created.append(quote)
    for quote in result.quotes_created:
        if link_variants(quote=quote):
            result.variants_linked += 1


def _already_there(found: ExtractedQuote, existing: list[Quote]) -> bool:
    for quote in existing:
        if quote.start == found.start and quote.end == found.end:
            return True
        if quote.anchor_status != Quote.AnchorStatus.ANCHORED and quote.text == found.text:
            return True  # drifted or orphaned: the editor decides, do not duplicate it
    return False


def _known_people(content: str) -> list[Person]:
    """People whose name, surname or alias appears in the text (one query)."""
    runs = set(re.findall(r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}", content))
    words = {w.lower() for run in runs for w in run.split()}
    if not words:
        return []
    people = Person.objects.annotate(
        surname=Lower(Func(F("name"), Value(r"^.*\s"), Value(""), function="regexp_replace"))
    )
    return list(
        people.filter(Q(surname__in=sorted(words)) | Q(aliases__overlap=sorted(runs))).order_by("pk")[:500]
    )
