"""JSON request bodies, parsed with orjson, never larger than DATA_UPLOAD_MAX_MEMORY_SIZE and never
nested deeper than FACTCHECK_MAX_JSON_DEPTH.

Django checks the size limit only for ``request.body``/forms; DRF's parsers read the stream
directly, so without this a huge JSON body would be read whole. The depth limit keeps recursive
code further on (validation, error messages) from hitting Python's recursion limit: a deeply
nested value is a 400, not a 500.
"""

from __future__ import annotations

import orjson
from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import BaseParser


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class LimitedJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        data = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(data) > limit:
            raise RequestTooLarge()
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise exceptions.ParseError(f"Malformed JSON: {exc}")
        max_depth = settings.FACTCHECK_MAX_JSON_DEPTH
        if json_depth(value, stop_after=max_depth) > max_depth:
            raise exceptions.ParseError(f"Malformed JSON: nested deeper than {max_depth} levels.")
        return value


def json_depth(value, *, stop_after: int) -> int:
    """Nesting depth of a parsed JSON value (a scalar is 0, ``[]`` is 1), counted without
    recursion; stops once it exceeds ``stop_after``."""
    deepest = 0
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > stop_after:
            break
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest
