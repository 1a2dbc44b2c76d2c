"""JSON request bodies, parsed with orjson and never larger than DATA_UPLOAD_MAX_MEMORY_SIZE.

Django checks that limit only for ``request.body``/forms; DRF's parsers read the stream directly,
so without this a huge JSON body would be read whole.
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
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise exceptions.ParseError(f"Malformed JSON: {exc}")
