"""Machine-readable fact checks: ClaimReview JSON-LD, the ClaimReview DataFeed, and a
``claims:search`` compatible with Google's Fact Check Tools API.

- ``GET /api/v1/claims/{id}/claimreview/`` — the claim's ClaimReview (``application/ld+json``),
  the same object the claim page embeds. Published claims only (a retracted one has none).
- ``GET /api/v1/claimreview/feed/`` — a schema.org ``DataFeed`` of every published ClaimReview,
  streamed in keyset batches so memory stays flat at any number of claims.
- ``GET /api/v1/claims:search`` — Google's request parameters (``query``, ``languageCode``,
  ``maxAgeDays``, ``pageSize``, ``pageToken``, ``offset``, ``reviewPublisherSiteFilter``) and
  response shape; ``nextPageToken`` is signed, so it cannot be forged or reused for another query.

All three are public, read-only and answer conditional requests (public/cache.py). Their reads
are selectors: ``claims.selectors.claim_review_claims``/``claim_review_batches`` (also used by
``manage.py validate_claimreview``) and ``public.selectors.fact_check_search``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator

import orjson
from django.conf import settings
from django.core import signing
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.claimreview import claim_review, our_publisher_site, rating_scale
from claims.models import Claim
from claims.selectors import claim_review_batches, claim_review_claims
from factcheck.api.renderers import ORJSONRenderer
from factcheck.errors import InvalidInput
from public import selectors
from public.cache import claim_pk_fingerprint, conditional, site_fingerprint
from public.feeds import entry_updated

FEED_BATCH_SIZE = 500
SEARCH_DEFAULT_PAGE_SIZE = 10
SEARCH_MAX_PAGE_SIZE = 100
SEARCH_MAX_OFFSET = 5000
PAGE_TOKEN_SALT = "factcheck.claims-search.page-token"  # noqa: S105 - a signing salt, not a secret
LANGUAGE_CODE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

ERROR_RESPONSES = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid parameter (error shape)."),
    404: OpenApiResponse(OpenApiTypes.OBJECT, description="Not found (error shape)."),
}


class JsonLdRenderer(ORJSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


@method_decorator(conditional(claim_pk_fingerprint), name="get")
class ClaimReviewApi(APIView):
    """The ClaimReview JSON-LD of one published claim."""

    permission_classes = [AllowAny]
    renderer_classes = [JsonLdRenderer, ORJSONRenderer]

    @extend_schema(
        operation_id="claims_claimreview", responses={200: OpenApiTypes.OBJECT, 404: ERROR_RESPONSES[404]},
        description="schema.org ClaimReview (JSON-LD) of a published claim; 404 for any other.",
    )
    def get(self, request, pk: int):
        claim = claim_review_claims().filter(pk=pk).first()
        if claim is None:
            raise Http404("This claim has no published ClaimReview.")
        return Response(claim_review(claim))


def _feed_items(scale) -> Iterator[dict]:
    for batch in claim_review_batches(batch_size=FEED_BATCH_SIZE):
        for claim in batch:
            yield {
                "@type": "DataFeedItem",
                "dateCreated": claim_review_date(claim.published_at),
                # Never before dateCreated (see public.feeds.entry_updated).
                "dateModified": claim_review_date(entry_updated(claim.published_at, claim.updated_at)),
                "item": [claim_review(claim, scale=scale, with_context=False)],
            }


def claim_review_date(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def stream_data_feed() -> Iterator[bytes]:
    """The DataFeed as JSON, one item at a time."""
    header = {
        "@context": "https://schema.org", "@type": "DataFeed",
        "name": f"{settings.PUBLISHER['name']} fact checks",
        "url": f"{settings.SITE_URL}/api/v1/claimreview/feed/",
        "dateModified": claim_review_date(timezone.now()),
    }
    yield orjson.dumps(header)[:-1] + b',"dataFeedElement":['
    scale = rating_scale()
    for index, item in enumerate(_feed_items(scale)):
        yield (b"," if index else b"") + orjson.dumps(item)
    yield b"]}"


@method_decorator(conditional(site_fingerprint), name="get")
class ClaimReviewFeedApi(APIView):
    """Every published ClaimReview as one schema.org DataFeed (streamed)."""

    permission_classes = [AllowAny]
    renderer_classes = [JsonLdRenderer, ORJSONRenderer]

    @extend_schema(
        operation_id="claimreview_feed", responses={200: OpenApiTypes.OBJECT},
        description="schema.org DataFeed of every published ClaimReview, streamed.",
    )
    def get(self, request):
        return StreamingHttpResponse(stream_data_feed(), content_type="application/ld+json")


# --- claims:search --------------------------------------------------------------------------


def int_param(params, name: str, *, default: int | None, low: int, high: int) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(f"{name} must be an integer.", fields={name: ["Must be an integer."]})
    if not low <= value <= high:
        raise InvalidInput(f"{name} must be between {low} and {high}.",
                           fields={name: [f"Between {low} and {high}."]})
    return value


def _search_result(claim: Claim) -> dict:
    if claim.is_external:
        publisher = {"name": claim.external_publisher_name, "site": claim.external_publisher_site}
        url = claim.external_review_url
    else:
        publisher = {"name": settings.PUBLISHER["name"], "site": our_publisher_site()}
        url = claim.canonical_url
    review = {
        "publisher": {k: v for k, v in publisher.items() if v},
        "url": url,
        "title": claim.text,
        "reviewDate": claim_review_date(claim.reviewed_at or claim.published_at),
        "textualRating": claim.rating.label if claim.rating else None,
        "languageCode": claim.language,
    }
    result = {
        "text": claim.text,
        "claimant": claim.claimant.name if claim.claimant else None,
        "claimDate": f"{claim.claim_date.isoformat()}T00:00:00Z" if claim.claim_date else None,
        "claimReview": [{k: v for k, v in review.items() if v}],
    }
    return {k: v for k, v in result.items() if v}


def page_offset(params, *, digest: str, salt: str, max_offset: int) -> int:
    """Where a Google-style page starts: the offset inside a signed ``pageToken`` (which must
    belong to the same other parameters, ``digest``), else the ``offset`` parameter."""
    token = params.get("pageToken", "")
    if not token:
        return int_param(params, "offset", default=0, low=0, high=max_offset)
    try:
        payload = signing.loads(token, salt=salt)
        offset, token_digest = int(payload["o"]), payload["d"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidInput("pageToken is not valid.", code="invalid_page_token",
                           fields={"pageToken": ["Not a token this server issued."]})
    if token_digest != digest:
        raise InvalidInput("pageToken belongs to another search.", code="invalid_page_token",
                           fields={"pageToken": ["Repeat the other parameters unchanged."]})
    return offset


def next_page_token(offset: int, *, digest: str, salt: str) -> str:
    return signing.dumps({"o": offset, "d": digest}, salt=salt)


def params_digest(params: dict) -> str:
    return hashlib.sha256(orjson.dumps(params, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


SEARCH_PARAMETERS = [
    OpenApiParameter("query", str, description="Words to search for (required unless "
                     "reviewPublisherSiteFilter is given)."),
    OpenApiParameter("languageCode", str, description="BCP-47 language code, e.g. en-US."),
    OpenApiParameter("maxAgeDays", int, description="Only reviews or claims newer than this."),
    OpenApiParameter("pageSize", int, description=f"1–{SEARCH_MAX_PAGE_SIZE}, default "
                     f"{SEARCH_DEFAULT_PAGE_SIZE}."),
    OpenApiParameter("pageToken", str, description="nextPageToken of the previous response."),
    OpenApiParameter("offset", int, description="Start offset; ignored when pageToken is given."),
    OpenApiParameter("reviewPublisherSiteFilter", str, description="Only reviews by this site."),
]


@method_decorator(conditional(site_fingerprint), name="get")
class ClaimsSearchApi(APIView):
    """Google Fact Check Tools ``claims:search``, served from our published claims."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="claims_search_google_compatible", parameters=SEARCH_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, 400: ERROR_RESPONSES[400]},
        description="Request parameters and response shape of Google's Fact Check Tools "
        "claims:search: {claims: [{text, claimant, claimDate, claimReview: [{publisher: {name, "
        "site}, url, title, reviewDate, textualRating, languageCode}]}], nextPageToken}.",
    )
    def get(self, request):
        params = request.query_params
        for name, value in params.items():
            if "\x00" in value or len(value) > 2000:
                raise InvalidInput(f"{name} is not acceptable.",
                                   fields={name: ["Invalid characters or too long."]})
        query = params.get("query", "").strip()
        publisher_site = params.get("reviewPublisherSiteFilter", "").strip()
        language = params.get("languageCode", "").strip()
        if not query and not publisher_site:
            raise InvalidInput("Give a query (or reviewPublisherSiteFilter).",
                               fields={"query": ["Required."]})
        if language and not LANGUAGE_CODE_RE.match(language):
            raise InvalidInput("languageCode must be a BCP-47 code such as en or en-US.",
                               fields={"languageCode": ["Not a BCP-47 language code."]})
        max_age_days = int_param(params, "maxAgeDays", default=None, low=1, high=100_000)
        page_size = int_param(params, "pageSize", default=SEARCH_DEFAULT_PAGE_SIZE, low=1,
                               high=SEARCH_MAX_PAGE_SIZE)
        digest = params_digest({"query": query, "languageCode": language, "maxAgeDays": max_age_days,
                                 "pageSize": page_size, "site": publisher_site})
        offset = page_offset(params, digest=digest, salt=PAGE_TOKEN_SALT, max_offset=SEARCH_MAX_OFFSET)
        try:
            claims = selectors.fact_check_search(query=query, language=language,
                                                 max_age_days=max_age_days, publisher_site=publisher_site)
        except InvalidInput as error:
            # claims_matching names the parameter "q"; ours is "query".
            raise InvalidInput(error.message, code=error.code, fields={"query": error.fields.get("q", [])})
        rows = list(claims[offset:offset + page_size + 1])
        body: dict = {"claims": [_search_result(claim) for claim in rows[:page_size]]}
        next_offset = offset + page_size
        if len(rows) > page_size and next_offset < SEARCH_MAX_OFFSET:
            body["nextPageToken"] = next_page_token(next_offset, digest=digest, salt=PAGE_TOKEN_SALT)
        return Response(body)
