"""Keyset (cursor) pagination: no COUNT, no OFFSET, stable while rows are inserted.

A list is ordered by one field and the primary key as tie-breaker; a cursor is the position of
the first or last row shown (``base64url(JSON)``), so a page is ``WHERE (field, id) < (…)`` on an
index, whatever the page number. Nullable fields follow PostgreSQL's default placement (NULLS
FIRST when descending, NULLS LAST when ascending) so the indexes stay usable. Orderings that are
not a column (search relevance) page by offset within their capped candidate set.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from rest_framework.utils.urls import remove_query_param, replace_query_param

from factcheck.errors import InvalidInput

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CURSOR_PARAM = "cursor"
PAGE_SIZE_PARAM = "page_size"


@dataclass(frozen=True)
class Ordering:
    """``field`` (a model field name, or None for offset paging) and its direction."""

    field: str | None
    descending: bool


def page_size_from(request) -> int:
    """``?page_size=`` (default 20); values above 100 are capped at 100, non-numbers are a 400."""
    raw = request.query_params.get(PAGE_SIZE_PARAM)
    if raw in (None, ""):
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        raise InvalidInput("page_size must be a whole number.", code="invalid_page_size",
                           fields={PAGE_SIZE_PARAM: ["A whole number from 1 to 100."]})
    if size < 1:
        raise InvalidInput("page_size must be at least 1.", code="invalid_page_size",
                           fields={PAGE_SIZE_PARAM: ["A whole number from 1 to 100."]})
    return min(size, MAX_PAGE_SIZE)


def _bad_cursor() -> InvalidInput:
    return InvalidInput("The cursor is not valid for this list.", code="invalid_cursor",
                        fields={CURSOR_PARAM: ["Use the next/previous links as given."]})


def encode_cursor(payload: list) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(payload)).decode().rstrip("=")


def decode_cursor(raw: str) -> list:
    if len(raw) > 500:
        raise _bad_cursor()
    try:
        payload = orjson.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise _bad_cursor()
    if not isinstance(payload, list):
        raise _bad_cursor()
    return payload


def _json_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


@dataclass
class Page:
    rows: list
    next_url: str | None
    previous_url: str | None


def _after(field: str, descending: bool, value: Any, pk: int) -> Q:
    """Rows strictly after (value, pk) in ORDER BY field [DESC], id [DESC] (PostgreSQL nulls)."""
    cmp = "lt" if descending else "gt"
    nulls_first = descending
    if value is None:
        condition = Q(**{f"{field}__isnull": True, f"pk__{cmp}": pk})
        return condition | Q(**{f"{field}__isnull": False}) if nulls_first else condition
    condition = Q(**{f"{field}__{cmp}": value}) | Q(**{field: value, f"pk__{cmp}": pk})
    return condition if nulls_first else condition | Q(**{f"{field}__isnull": True})


def _order_by(field: str, descending: bool) -> list[str]:
    sign = "-" if descending else ""
    return [f"{sign}{field}", f"{sign}pk"]


def paginate(
    queryset: QuerySet, request, *, ordering_key: str, ordering: Ordering,
    row_value: Callable[[Any, str], Any] = getattr, offset_order_by: Sequence[str] = (),
) -> Page:
    """One page of ``queryset`` (already filtered) for ``request``'s cursor and page size.

    Runs exactly one query. ``row_value(row, name)`` reads a field from a row (``getattr`` for
    model instances; pass ``dict.get``-like for ``values()`` rows). Raises InvalidInput for a
    forged or foreign cursor.
    """
    size = page_size_from(request)
    raw_cursor = request.query_params.get(CURSOR_PARAM)
    payload = decode_cursor(raw_cursor) if raw_cursor else None
    if payload is not None and (len(payload) < 2 or payload[0] != ordering_key
                                or payload[1] not in ("n", "p")):
        raise _bad_cursor()
    if ordering.field is None:
        return _offset_page(queryset, request, size, ordering_key, payload, offset_order_by)

    field, descending = ordering.field, ordering.descending
    backwards = payload is not None and payload[1] == "p"
    if payload is not None:
        if len(payload) != 4 or not isinstance(payload[3], int) or isinstance(payload[3], bool):
            raise _bad_cursor()
        value = payload[2]
        if value is not None:
            if not isinstance(value, str | int) or isinstance(value, bool):
                raise _bad_cursor()
            try:
                value = queryset.model._meta.get_field(field).to_python(value)
            except (DjangoValidationError, ValueError, TypeError):
                raise _bad_cursor()
        queryset = queryset.filter(_after(field, descending != backwards, value, payload[3]))
    rows = list(queryset.order_by(*_order_by(field, descending != backwards))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    has_next = (more and not backwards) or backwards
    has_previous = (more and backwards) or (payload is not None and not backwards)

    def link(row, direction: str) -> str:
        position = [ordering_key, direction, _json_value(row_value(row, field)), row_value(row, "pk")]
        return replace_query_param(request.build_absolute_uri(), CURSOR_PARAM, encode_cursor(position))

    next_url = link(rows[-1], "n") if has_next and rows else None
    previous_url = link(rows[0], "p") if has_previous and rows else None
    if has_previous and not rows:
        previous_url = remove_query_param(request.build_absolute_uri(), CURSOR_PARAM)
    return Page(rows=rows, next_url=next_url, previous_url=previous_url)


def _offset_page(queryset, request, size, ordering_key, payload, order_by) -> Page:
    offset = 0
    if payload is not None:
        if len(payload) != 3 or not isinstance(payload[2], int) or isinstance(payload[2], bool) \
                or not 0 <= payload[2] <= 100_000:
            raise _bad_cursor()
        offset = payload[2]
    rows = list(queryset.order_by(*order_by)[offset: offset + size + 1])
    more = len(rows) > size
    rows = rows[:size]
    url = request.build_absolute_uri()
    next_url = (replace_query_param(url, CURSOR_PARAM, encode_cursor([ordering_key, "n", offset + size]))
                if more else None)
    previous_url = None
    if offset > 0:
        previous_url = replace_query_param(
            url, CURSOR_PARAM, encode_cursor([ordering_key, "p", max(0, offset - size)]))
    return Page(rows=rows, next_url=next_url, previous_url=previous_url)
