"""Reading documents: local files or URLs, format detection, and the HTML/Markdown/text readers.

- ``read_path_or_url`` gives the text of a local file or an http(s) URL (fetched safely by
  ``sources.fetch``); ``manage.py import_article`` and ``manage.py import_claimreview`` use it.
- ``detect_format`` guesses ``html``/``markdown``/``text`` from a content type, a file name or
  the content itself.
- ``parse_document`` turns a document into its normalized snapshot text and metadata: HTML
  through trafilatura (main text; title, byline, date, site name, canonical URL and language from
  the page's metadata; the headline becomes the first paragraph because headlines quote people
  too), Markdown with its markup removed, plain text as is.

Nothing here writes to the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import trafilatura
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from factcheck.errors import InvalidInput
from sources.fetch import ARTICLE_CONTENT_TYPES, fetch_url
from sources.text import normalize_snapshot

FORMATS = ("html", "markdown", "text")
URL_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


@dataclass
class ParsedDocument:
    text: str
    title: str = ""
    byline: str = ""
    published_at: dt.datetime | None = None
    language: str = ""
    site_name: str = ""
    url: str = ""


@dataclass(frozen=True)
class RawDocument:
    """A document as read: its text and what hints at its format."""

    content: str
    content_type: str = ""  # from the HTTP response
    filename: str = ""  # a local file's name
    url: str = ""  # the address fetched, after redirects ("" for a file)

    @property
    def format(self) -> str:
        return detect_format(content=self.content, content_type=self.content_type, filename=self.filename)


# --- Reading ------------------------------------------------------------------------------------


def is_url(path_or_url: str) -> bool:
    return bool(URL_RE.match(path_or_url))


def read_file(path: str, *, fallback_encoding: str | None = "cp1252") -> RawDocument:
    """A local file's text (UTF-8, else ``fallback_encoding``; with None, non-UTF-8 is refused).

    Raises InvalidInput for a missing file or undecodable text."""
    file = Path(path)
    if not file.is_file():
        raise InvalidInput(f"No such file: {path}", fields={"path": ["Not a readable file."]})
    try:
        content = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        if fallback_encoding is None:
            raise InvalidInput(f"{path} is not UTF-8 text.", fields={"path": ["Not UTF-8 text."]}) from None
        content = file.read_text(encoding=fallback_encoding, errors="replace")
    return RawDocument(content=content, filename=file.name)


def read_path_or_url(path_or_url: str, *, allowed_types: frozenset[str] = ARTICLE_CONTENT_TYPES,
                     fallback_encoding: str | None = "cp1252") -> RawDocument:
    """A local file (``read_file``) or an http(s) URL fetched safely (``sources.fetch.fetch_url``,
    whose ``FetchError`` it lets through)."""
    if is_url(path_or_url):
        page = fetch_url(path_or_url, allowed_types=allowed_types)
        return RawDocument(content=page.text, content_type=page.content_type, url=page.url)
    return read_file(path_or_url, fallback_encoding=fallback_encoding)


# --- Formats ------------------------------------------------------------------------------------


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


def check_format(format: str) -> str:  # noqa: A002
    """``format`` if it is one of FORMATS or empty (guess it); else InvalidInput naming it."""
    if format and format not in FORMATS:
        raise InvalidInput(f"Unknown format {format!r}.", fields={"format": [f"Use one of {FORMATS}."]})
    return format


def parse_document(content: str, *, format: str = "", url: str = "") -> ParsedDocument:  # noqa: A002
    """The main text (normalized snapshot) and metadata of a document (see the module docstring).
    ``format`` is guessed from the content when empty."""
    format = check_format(format) or detect_format(content=content)  # noqa: A001
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
        byline=(document.author or "").strip(), published_at=_published_at(html, document.date or ""),
        language=(lang.group(1).split("-")[0].lower() if lang else (document.language or "")),
        site_name=(document.sitename or "").strip(), url=(document.url or "").strip(),
    )


_DECLARED_PUBLISHED = re.compile(
    r"\"datePublished\"\s*:\s*\"([^\"]{10,40})\""
    r"|article:published_time[\"']\s+content=[\"']([^\"']{10,40})", re.I)


def _published_at(html: str, found: str) -> dt.datetime | None:
    """htmldate's date, with the time the page declares (JSON-LD ``datePublished`` or
    ``article:published_time``) when it names the same day: htmldate drops the time of
    ``2025-01-02T12:00Z`` (no seconds) and would store midnight."""
    when = parse_when(found)
    declared = _DECLARED_PUBLISHED.search(html)
    raw = (declared.group(1) or declared.group(2)) if declared else ""
    if ":" not in raw:  # no time declared: nothing to add
        return when
    try:
        exact = parse_when(raw)
    except InvalidInput:
        return when
    if when is None or exact.astimezone(dt.UTC).date() == when.date() or exact.date() == when.date():
        return exact
    return when


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


def parse_when(value: str | dt.datetime | None) -> dt.datetime | None:
    """An aware datetime from ISO 8601 (a date alone is midnight UTC; naive is UTC), or None.
    Raises InvalidInput naming ``published_at``."""
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
