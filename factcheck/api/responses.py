"""Responses whose JSON body is already bytes (SQL-rendered documents, orjson pages)."""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from django.http import HttpResponse

from factcheck.api.conditional import content_etag, if_none_match_hits, not_modified
from factcheck.api.pagination import Page

JSON = "application/json"


def json_bytes_response(body: bytes, *, status: int = 200, etag: str | None = None,
                        headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=JSON)
    if etag:
        response["ETag"] = etag
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def page_body(page: Page, documents: Iterable[str | bytes]) -> bytes:
    """``{"next", "previous", "results"}`` with each document spliced in as it is."""
    results = b",".join(d.encode() if isinstance(d, str) else d for d in documents)
    return (b'{"next":' + orjson.dumps(page.next_url) + b',"previous":' + orjson.dumps(page.previous_url)
            + b',"results":[' + results + b"]}")


def conditional_json(request, body: bytes, *, etag: str | None = None) -> HttpResponse:
    """200 with an ETag (the body's hash unless given), or 304 when If-None-Match matches."""
    etag = etag or content_etag(body)
    if if_none_match_hits(request, etag):
        return not_modified(etag)
    return json_bytes_response(body, etag=etag)
