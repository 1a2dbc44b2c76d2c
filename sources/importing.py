"""Importing an article: read it (file, URL or text), store its snapshot, extract and anchor quotes.

``article_import`` is the one service behind ``manage.py import_article`` and
``POST /api/v1/sources/import/``:

1. the document is read: HTML through trafilatura (main text; title, byline, date, site name,
   canonical URL and language from the page's metadata when not given), Markdown with its
   markup removed, plain text as is;
2. the Source is stored through ``sources.services``: a new URL → ``source_create``; a known URL
   with the same normalized text → nothing changes; with changed text → ``source_update`` stores
   the new snapshot (the old one stays in the audit trail) and re-anchors every quote;
3. quotes are extracted (``sources.extraction``, in the source's language, detected when not
   given); speakers are matched to Person rows by name or alias, by surname only to confirmed
   people, or created as candidate people (as an organisation when the name says so: "the White
   House", "the Ministry of ..."); each new quote is anchored and marked as a candidate until an
   editor confirms it — a quotation without a speaker is kept too, with no speaker; quotes
   already there are left alone;
4. quote variants are linked (``sources.variants``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura
from django.db import connection, transaction
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from factcheck.audit import audit_context
from factcheck.errors import DomainError, InvalidInput
from sources import services
from sources.extraction import ExtractedQuote, KnownPerson, extract_quotes, is_organization
from sources.fetch import FetchError, fetch_url
from sources.language import detect_language, primary_language
from sources.models import Person, Quote, Source
from sources.text import normalize_snapshot
from sources.urls_normalize import normalize_url, url_domain
from sources.variants import link_variants

FORMATS = ("html", "markdown", "text")


class FetchFailed(DomainError):
    """The article's URL could not be fetched (the message is generic): 502, the other side failed."""

    code = "fetch_failed"
    status = 502


class FetchRefused(FetchFailed):
    """The URL or what it returned is not acceptable (private address, type, size): 400."""

    status = 400


REFUSALS = {"fetch_blocked", "fetch_content_type", "fetch_too_large"}


@dataclass
class ParsedDocument:
    text: str
    title: str = ""
    byline: str = ""
    published_at: dt.datetime | None = None
    language: str = ""
    site_name: str = ""
    url: str = ""


@dataclass
class ImportResult:
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


# --- Reading documents ------------------------------------------------------------------------


def detect_format(*, content: str, content_type: str = "", filename: str = "") -> str:
    content_type = content_type.split(";")[0].strip().lower()
    if content_type in ("text/html", "application/xhtml+xml"):
        return "html"
    if content_type == "text/markdown":
        return "markdown"
    if content_type == "text/plain":
        return "text"
    suffix = Path(filename).suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    if suffix == ".txt":
        return "text"
    head = content.lstrip()[:500].lower()
    if head.startswith(("<!doctype html", "<html")) or "<body" in head or "<p>" in head:
        return "html"
    return "text"


def parse_document(content: str, *, format: str, url: str = "") -> ParsedDocument:  # noqa: A002
    """The main text and metadata of a document (see the module docstring)."""
    if format == "html":
        return _parse_html(content, url=url)
    if format == "markdown":
        return _parse_markdown(content)
    return ParsedDocument(text=normalize_snapshot(content))


def _parse_html(html: str, *, url: str = "") -> ParsedDocument:
    document = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False, include_tables=False,
        date_extraction_params={
            "extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z",
        },
    )
    if document is None or not (document.text or "").strip():
        raise InvalidInput("No article text found in the HTML page.", code="no_text",
                           fields={"content": ["No main text could be extracted."]})
    # trafilatura separates paragraphs by one line break; snapshots use a blank line.
    paragraphs = [line.strip() for line in document.text.split("\n") if line.strip()]
    title = (document.title or "").strip()
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)  # the headline is part of what was said (quotes in it)
    lang = re.search(r"<html[^>]*\slang=[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)", html[:5000], re.I)
    return ParsedDocument(
        text=normalize_snapshot("\n\n".join(paragraphs)), title=title,
        byline=(document.author or "").strip(), published_at=_parse_when(document.date or ""),
        language=(lang.group(1).split("-")[0].lower() if lang else (document.language or "")),
        site_name=(document.sitename or "").strip(), url=(document.url or "").strip(),
    )


_MD_RULES = [
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.M), ""),  # headings
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images → alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links → their text
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # block quotes
    (re.compile(r"^\s{0,3}[-*+]\s+", re.M), ""),  # list bullets
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # italics
    (re.compile(r"(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"^\s{0,3}([-*_]\s*){3,}$", re.M), ""),  # rules
]


def _parse_markdown(markdown: str) -> ParsedDocument:
    title_match = re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", markdown, re.M)
    text = markdown
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return ParsedDocument(text=normalize_snapshot(text),
                          title=title_match.group(1).strip() if title_match else "")


def _parse_when(value: str | dt.datetime | None) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        value = value.strip()
        if re.fullmatch(r".*T.*[+-]\d{4}", value):
            value = value[:-2] + ":" + value[-2:]  # htmldate writes +0000
        try:
            parsed = parse_datetime(value)
            day = parse_date(value[:10]) if parsed is None else None
        except ValueError:
            parsed = day = None
        if parsed is None:
            if day is None:
                raise InvalidInput(f"Not a date: {value!r}", fields={"published_at": ["Use ISO 8601."]})
            parsed = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def read_input(path_or_url: str, *, source_url: str = "", actor=None) -> tuple[str, str, str]:
    """``(content, format, url)`` of a local file or an http(s) URL (fetched safely).

    A failed fetch is recorded as ``fetch_page`` does, on the Source of ``source_url`` (the
    article's URL, when it differs from the address fetched) or else of the fetched URL.
    """
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", path_or_url):
        page = fetch_page(path_or_url, source_url=source_url, actor=actor)
        text = page.text
        return text, detect_format(content=text, content_type=page.content_type), page.url
    path = Path(path_or_url)
    if not path.is_file():
        raise InvalidInput(f"No such file: {path_or_url}", fields={"path": ["Not a readable file."]})
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        content = path.read_text(encoding="cp1252", errors="replace")
    return content, detect_format(content=content, filename=path.name), ""


def fetch_page(url: str, *, source_url: str = "", actor=None):
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
def _record_fetch_error(url: str, message: str, *, create: bool, actor=None) -> None:
    try:
        normalized = normalize_url(url)
    except ValueError:
        return
    with connection.cursor() as cursor:  # the same lock as article_import: one row per URL
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [normalized])
    with audit_context(actor, action="article_fetch_failed"):
        source = Source.objects.select_for_update().filter(url=normalized).first()
        if source is None and create:
            source = services.source_create(url=normalized, kind=Source.Kind.ARTICLE)
        if source is not None:
            services.source_set_fetch_error(source=source, message=message)


# --- The service --------------------------------------------------------------------------------


@transaction.atomic
def article_import(
    *, content: str, format: str = "", url: str = "", title: str = "",  # noqa: A002
    outlet_domain: str = "", published_at: str | dt.datetime | None = None, language: str = "",
    byline: str = "", actor=None,
) -> ImportResult:
    """Store an article and its quotes (see the module docstring). Atomic: all or nothing.

    ``content`` is the document (HTML, Markdown or text; ``format`` guessed when empty); ``url``
    the article's address (else the page's canonical URL; one of them is required). The other
    arguments override the page's metadata. Holds a transaction-level advisory lock on the URL
    (concurrent imports of one article run one after the other) and the Source row lock.
    Raises InvalidInput for missing URL, empty text or bad values.
    """
    if format and format not in FORMATS:
        raise InvalidInput(f"Unknown format {format!r}.", fields={"format": [f"Use one of {FORMATS}."]})
    document = parse_document(content, format=format or detect_format(content=content), url=url)
    if not document.text:
        raise InvalidInput("The document has no text.", code="no_text", fields={"content": ["Empty."]})
    url = url or document.url
    if not url:
        raise InvalidInput(
            "Give the article's URL: the document does not name one.",
            fields={"url": ["Required when the page has no canonical URL."]},
        )
    try:
        url = normalize_url(url)
    except ValueError as exc:
        raise InvalidInput(str(exc), fields={"url": [str(exc)]}) from exc

    with connection.cursor() as cursor:
        # Two imports of one new URL at once: a row lock cannot cover a row not yet there, so
        # serialize on the URL itself (released at commit).
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [url])
    with audit_context(actor, action="article_import"):
        source = Source.objects.select_for_update().filter(url=url).first()
        result = ImportResult(source=source)  # type: ignore[arg-type]
        if source is None:
            result.source = _create_source(url, document, title=title, outlet_domain=outlet_domain,
                                           published_at=published_at, language=language, byline=byline)
            result.created = True
        elif source.content != document.text:
            # A Source left by a failed fetch has no text yet: its first snapshot also brings the
            # metadata it could not have then (fields an editor filled in are kept).
            metadata = {} if source.content else _blank_metadata(
                source, document, title=title, published_at=published_at, language=language,
                byline=byline,
            )
            result.first_snapshot = not source.content
            result.source = services.source_update(source=source, content=document.text, **metadata)
            result.content_changed = True
            statuses = Quote.objects.filter(source=result.source).values_list("anchor_status", flat=True)
            for status in statuses:
                result.reanchored[status] = result.reanchored.get(status, 0) + 1
        if result.source.fetch_error:
            services.source_set_fetch_error(source=result.source, message="")
        _store_quotes(result)
    return result


def _blank_metadata(source: Source, document: ParsedDocument, *, title, published_at, language,
                    byline) -> dict:
    found = {
        "title": (title or document.title)[:500], "byline": (byline or document.byline)[:300],
        "published_at": _parse_when(published_at) or document.published_at,
        "language": (language or document.language)[:12],
    }
    return {name: value for name, value in found.items() if value and not getattr(source, name)}


def _create_source(url, document: ParsedDocument, *, title, outlet_domain, published_at, language,
                   byline) -> Source:
    outlet, _ = services.outlet_get_or_create(
        domain=outlet_domain or url_domain(url),
        **({"name": document.site_name} if document.site_name and not outlet_domain else {}),
    )
    return services.source_create(
        url=url, content=document.text, outlet=outlet, kind=Source.Kind.ARTICLE,
        title=(title or document.title)[:500], byline=(byline or document.byline)[:300],
        published_at=_parse_when(published_at) or document.published_at,
        language=(language or document.language)[:12],
    )


def _store_quotes(result: ImportResult) -> None:
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
            speaker = services.person_create(name=found.speaker, kind=kind, is_candidate=True)
            people[speaker.name] = speaker
            result.people_created.append(speaker)
        if speaker is None:
            result.unattributed.append(found.text)
        quote = services.quote_create(
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
