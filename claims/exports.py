"""Exports of claim lists: every claim a filtered list holds, streamed in batches so memory stays
flat whatever the list's size (a million claims included).

Claims are read in id order with keyset batches (``id > last``: no OFFSET, no COUNT) and rendered
by the same SQL as the API (``claim_documents``), so an export row is the API's representation:
NDJSON is one API document per line, JSON an array of them, CSV a flat table of the fields a
spreadsheet needs (UTF-8 with a byte-order mark and a header row; cells that a spreadsheet would
run as a formula are prefixed with an apostrophe).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import orjson
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from claims.models import Claim
from claims.selectors import claim_documents

EXPORT_BATCH_SIZE = 1000
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "ndjson": "application/x-ndjson",
}
CSV_COLUMNS = [
    "id", "public_url", "status", "text", "claimant", "claim_date", "language", "rating",
    "rating_explanation", "topics", "appearances", "evidence_sources", "corrections",
    "published_at", "updated_at", "version", "api_url",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def claim_id_batches(claims: QuerySet[Claim], *, batch_size: int | None = None) -> Iterator[list[int]]:
    """The ids of ``claims`` in ascending order, ``batch_size`` (default EXPORT_BATCH_SIZE) at a
    time: one query a batch."""
    batch_size = batch_size or EXPORT_BATCH_SIZE
    ids = claims.order_by().values_list("pk", flat=True)
    last = 0
    while True:
        batch = list(ids.filter(pk__gt=last).order_by("pk")[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1]


def claim_export_documents(claims: QuerySet[Claim], viewer) -> Iterator[str]:
    """The API documents (JSON text) of ``claims`` as ``viewer`` may see them, in id order."""
    for ids in claim_id_batches(claims):
        yield from claim_documents(ids, viewer)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(document: dict) -> list[str]:
    evidence = document.get("evidence") or []
    appearances = [e["source"]["url"] for e in evidence if e.get("relation") == "appearance"]
    sources = [e["source"]["url"] for e in evidence]
    values = {
        **document,
        "claimant": (document.get("claimant") or {}).get("name"),
        "rating": (document.get("rating") or {}).get("label"),
        "topics": "; ".join(t["name"] for t in document.get("topics") or []),
        "appearances": " ".join(dict.fromkeys(appearances)),
        "evidence_sources": " ".join(dict.fromkeys(sources)),
        "corrections": len(document.get("corrections") or []),
        "api_url": document.get("url"),
    }
    return [_cell(values.get(column)) for column in CSV_COLUMNS]


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def stream_export(claims: QuerySet[Claim], viewer, export_format: str) -> Iterator[bytes]:
    """The export of ``claims`` in ``export_format`` (a key of FORMATS), chunk by chunk."""
    documents = claim_export_documents(claims, viewer)
    if export_format == "ndjson":
        for batch in _batched(documents):
            yield ("\n".join(batch) + "\n").encode()
    elif export_format == "json":
        yield b"["
        first = True
        for batch in _batched(documents):
            yield (("" if first else ",") + ",".join(batch)).encode()
            first = False
        yield b"]\n"
    else:
        yield ("\ufeff" + _csv_text([CSV_COLUMNS])).encode()
        for batch in _batched(documents):
            yield _csv_text([csv_row(orjson.loads(text)) for text in batch]).encode()


def _batched(documents: Iterator[str]) -> Iterator[list[str]]:
    size, batch = EXPORT_BATCH_SIZE, []
    for document in documents:
        batch.append(document)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def export_response(claims: QuerySet[Claim], viewer, export_format: str) -> StreamingHttpResponse:
    """The download of ``claims`` in ``export_format`` (a key of FORMATS) as ``viewer`` sees them:
    streamed, named ``claims-<UTC time>.<format>``, never cached. The API and the admin send this."""
    response = StreamingHttpResponse(stream_export(claims, viewer, export_format),
                                     content_type=FORMATS[export_format])
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="claims-{stamp}.{export_format}"'
    response["Cache-Control"] = "private, no-store"
    return response
