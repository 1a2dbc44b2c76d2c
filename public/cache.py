"""HTTP caching for the public site and the public API: ETag, Last-Modified, Cache-Control, 304.

A view wrapped in ``conditional(fingerprint)`` first runs ONE cheap query (the fingerprint) and
answers a matching conditional request with 304 before rendering anything.

Fingerprints move at once with every change a page can show, because the database moves them:
``Claim.version``/``updated_at`` are bumped by triggers on every claim update, and evidence,
corrections, quote and claimant edits touch their claims (claims/models.py, migration 0004). A
publication or retraction updates the claim, and a public claim can never be deleted, so the
newest ``updated_at`` among public claims changes whenever any public list changes.

``Cache-Control`` lets browsers keep nothing stale (``max-age=0``: they revalidate, a 304 is
cheap) and shared caches hold a page briefly (``s-maxage``); both are settings.

``cached_page(fingerprint)`` adds the server-side page cache: the rendered bytes of a 200 are kept
in the shared cache (``caches["default"]``: the database cache, or Redis) under a key made of the
representation revision, the site URL, the scheme, host, path and query, the interface language
and the fingerprint's version. ETags name the language too, and pages say
``Vary: Accept-Language, Cookie`` (the language comes from the switch's cookie or the browser), so
no cache hands a Spanish reader the English page or the reverse. A hit costs the fingerprint
query and one cache get, and renders nothing. Nothing is ever deleted: a change moves the
fingerprint, so the changed page has a new key and the old entry simply expires
(``FACTCHECK_PAGE_CACHE_SECONDS``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from claims.models import PUBLIC_STATUSES, Claim, ClaimRelation, Evidence
from factcheck.db_routers import read_cursor

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _rendering_sources() -> list[Path]:
    """The files a public response's bytes depend on besides the data: the templates, the compiled
    translations, this app's code and the ClaimReview builder."""
    base = Path(settings.BASE_DIR)
    files = [path for path in (base / "templates").rglob("*") if path.is_file()]
    files += (base / "locale").rglob("*.mo")
    files += Path(__file__).parent.rglob("*.py")
    files.append(base / "claims" / "claimreview.py")
    return sorted(files)


@functools.cache
def representation_revision() -> str:
    """A digest of ``_rendering_sources()``, read once per process: a deploy that changes how
    anything public is rendered changes every ETag, so no cache keeps the old rendering (this
    replaces a revision number bumped by hand)."""
    digest = hashlib.sha256()
    for path in _rendering_sources():
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def max_age() -> int:
    return int(getattr(settings, "FACTCHECK_CACHE_MAX_AGE", 0))


def shared_max_age() -> int:
    return int(getattr(settings, "FACTCHECK_CACHE_S_MAXAGE", 60))


@dataclass(frozen=True)
class Fingerprint:
    """What a response depends on: a version string and the time of its latest change."""

    version: str
    last_modified: dt.datetime

    def etag(self, request) -> str:
        digest = hashlib.sha256(
            "|".join([representation_revision(), settings.SITE_URL, request.get_full_path(),
                      translation.get_language() or "", self.version]).encode()
        ).hexdigest()[:32]
        return f'W/"{digest}"'

    def page_key(self, request) -> str:
        """The page cache's key: like the ETag (which names the interface language too), plus the
        scheme and host the request came by (feeds build absolute links on them)."""
        digest = hashlib.sha256(
            "|".join([representation_revision(), settings.SITE_URL, request.scheme,
                      request.get_host(), request.get_full_path(), translation.get_language() or "",
                      self.version]).encode()
        ).hexdigest()
        return f"factcheck:page:{digest}"


# The rating scale is a handful of rows that every page shows: hash them whole.
RATINGS_DIGEST_SQL = """(SELECT md5(string_agg(concat_ws('|', id, label, slug, value, description, "order"),
                                    ';' ORDER BY id)) FROM claims_rating)"""
# Built from constants only: no input reaches this SQL.
SITE_FINGERPRINT_SQL = f"""
SELECT (SELECT max(updated_at) FROM claims_claim WHERE status IN ('published', 'retracted')),
       (SELECT max(pgh_id) FROM claims_claimevent),
       (SELECT max(pgh_id) FROM claims_claimrelationevent),
       (SELECT max(pgh_id) FROM sources_sourceevent),
       (SELECT max(pgh_id) FROM sources_quoteevent),
       (SELECT max(pgh_id) FROM sources_personevent),
       {RATINGS_DIGEST_SQL}
"""  # noqa: S608


def fingerprint_cursor():
    """A cursor for the fingerprint queries, on the database the page's reads go to (a replica
    for anonymous readers: a fingerprint from the primary could key a page rendered from a replica
    that lags behind it). A fingerprint is a cached page's whole database cost, and planning its
    subqueries costs several times running them, so the statement is prepared once per
    connection."""
    return read_cursor(Claim, prepared=True)


def site_fingerprint(request=None, *args, **kwargs) -> Fingerprint:
    """Everything public at once, for lists, feeds and the sitemap (1 query, index lookups only).

    ``Last-Modified`` is the newest change among public claims. The version adds the newest
    audit-trail event id of claims, relations, sources, quotes and people (django-pghistory triggers
    write one for every change, whatever the door): ``updated_at`` is the writing transaction's
    start time, so a transaction that began earlier but committed later would not move its max.
    People (names, titles): their newest audit event too (``max(updated_at)`` over people had no
    index and read every person: 6 ms at 20,000 people); the rating scale: a digest. (Renaming a person,
    an outlet, a rating or a topic also touches the claims showing it — claims migrations 0009–0011
    — so claim pages move with their version.)
    """
    with fingerprint_cursor() as cursor:
        cursor.execute(SITE_FINGERPRINT_SQL)
        latest, *event_ids = cursor.fetchone()
    latest = latest or EPOCH
    return Fingerprint(version=f"{latest.isoformat()}:{event_ids}", last_modified=latest)


_SLUG = "\x00slug\x00"  # stands for the slug in the compiled query's parameters


@functools.cache
def _claim_fingerprint_sql() -> tuple[str, tuple]:
    """The claim fingerprint's SQL, built by the ORM once per process: compiling its four
    subqueries costs more than running them, and a cached page's whole cost is this query."""
    sources_changed = Evidence.objects.filter(claim=OuterRef("pk")).order_by().values("claim").annotate(
        latest=Max("source__updated_at")).values("latest")
    related_out = ClaimRelation.objects.filter(
        from_claim=OuterRef("pk"), to_claim__status__in=PUBLIC_STATUSES
    ).order_by().values("from_claim").annotate(latest=Max("to_claim__updated_at")).values("latest")
    related_in = ClaimRelation.objects.filter(
        to_claim=OuterRef("pk"), from_claim__status__in=PUBLIC_STATUSES
    ).order_by().values("to_claim").annotate(latest=Max("from_claim__updated_at")).values("latest")
    speakers_changed = Evidence.objects.filter(claim=OuterRef("pk")).order_by().values("claim").annotate(
        latest=Max("quote__speaker__updated_at")).values("latest")
    query = (
        Claim.objects.public().filter(slug=_SLUG)
        .annotate(sources_changed=Subquery(sources_changed), related_out=Subquery(related_out),
                  related_in=Subquery(related_in), speakers_changed=Subquery(speakers_changed),
                  claimant_changed=F("claimant__updated_at"), ratings=RawSQL(RATINGS_DIGEST_SQL, []))  # noqa: S611
        .values("version", "updated_at", "sources_changed", "related_out", "related_in",
                "speakers_changed", "claimant_changed", "ratings").order_by()[:1]
    ).query
    return query.sql_with_params()


def claim_fingerprint(request, slug: str, *args, **kwargs) -> Fingerprint:
    """One public claim page: its version, the last changes of its sources, related public
    claims, claimant and quoted speakers, and the rating scale (1 query). Raises Http404 for a
    claim the public may not see."""
    sql, params = _claim_fingerprint_sql()
    with fingerprint_cursor() as cursor:
        cursor.execute(sql, [slug if param == _SLUG else param for param in params])
        found = cursor.fetchone()
        row = dict(zip([column.name for column in cursor.description], found, strict=True)) if found else None
    if row is None:
        raise Http404("No such claim.")
    stamps = [row["updated_at"], row["sources_changed"], row["related_out"], row["related_in"],
              row["speakers_changed"], row["claimant_changed"]]
    return Fingerprint(
        version=f'{row["version"]}:{row["ratings"]}:' + ":".join(s.isoformat() if s else "-" for s in stamps),
        last_modified=max(s for s in stamps if s),
    )


def claim_pk_fingerprint(request, pk: int, *args, **kwargs) -> Fingerprint:
    """Like ``claim_fingerprint`` for API routes that name a claim by id."""
    slug = Claim.objects.public().filter(pk=pk).values_list("slug", flat=True).first()
    if slug is None:
        raise Http404("No such claim.")
    return claim_fingerprint(request, slug)


def page_cache_seconds() -> int:
    return int(getattr(settings, "FACTCHECK_PAGE_CACHE_SECONDS", 300))


# Headers set by the view that a cached copy keeps (the validators and Cache-Control are set
# afresh on every answer; middleware adds the rest).
_KEPT_HEADERS = {"content-type", "content-language", "x-robots-tag", "link"}


def _cacheable(request, response) -> bool:
    """Only a plain, finished 200 that is the same for every reader: no cookie set, no ``Vary``,
    and no CSP nonce used (a nonce must be new on every response)."""
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and not response.has_header("Vary")
            and not getattr(request, "_csp_nonce", None))


# A per-process layer in front of the shared cache. Safe because a page's key contains its
# fingerprint: a change gives the page a new key, so this layer can never answer with an old page,
# it only saves the shared cache's round trip (a query with the database cache) on a hit.
LOCAL_PAGES = LocMemCache("factcheck-pages", {"OPTIONS": {"MAX_ENTRIES": 1000, "CULL_FREQUENCY": 4}})


@receiver(setting_changed)
def _forget_local_pages(*, setting, **kwargs) -> None:
    """Another shared cache (tests swap it): this process's copies were of the old one."""
    if setting == "CACHES":
        LOCAL_PAGES.clear()


def page_entry_get(key: str):
    """The stored ``(content, headers)`` of a page: this process's copy, else the shared cache's
    (then kept here too)."""
    entry = LOCAL_PAGES.get(key)
    if entry is None:
        entry = caches["default"].get(key)
        if entry is not None:
            LOCAL_PAGES.set(key, entry, page_cache_seconds())
    return entry


def page_entry_set(key: str, entry) -> None:
    caches["default"].set(key, entry, page_cache_seconds())
    LOCAL_PAGES.set(key, entry, page_cache_seconds())


def _from_cache(request, stamp: Fingerprint) -> HttpResponse | None:
    entry = page_entry_get(stamp.page_key(request))
    if entry is None:
        return None
    content, headers = entry
    return HttpResponse(content, headers=headers)


def _store(request, stamp: Fingerprint, response) -> None:
    if (isinstance(response, SimpleTemplateResponse) and not response.is_rendered
            and not hasattr(response, "accepted_renderer")):  # DRF renders later: not stored
        response.render()  # a TemplateResponse (the sitemaps): render it now, once
    if not getattr(response, "is_rendered", True) or not _cacheable(request, response):
        return
    headers = {name: value for name, value in response.items() if name.lower() in _KEPT_HEADERS}
    page_entry_set(stamp.page_key(request), (response.content, headers))


def answer_without_view(request, stamp: Fingerprint, *, use_cache: bool) -> HttpResponse | None:
    """The answer that needs no rendering: a 304 for a matching conditional request, else the
    stored page (``use_cache``); None when the view must run."""
    response = get_conditional_response(
        request, etag=stamp.etag(request), last_modified=int(stamp.last_modified.timestamp()))
    if response is None and use_cache:
        response = _from_cache(request, stamp)
    return response


def with_validators(request, stamp: Fingerprint, response, *, page: bool = True):
    """ETag, Last-Modified and Cache-Control on a 200 or 304; a ``page`` (HTML of the public site,
    not the API) also varies by the reader's language: the switch's cookie, else Accept-Language."""
    if response.status_code in {200, 304}:
        response.headers["ETag"] = stamp.etag(request)
        response.headers["Last-Modified"] = http_date(int(stamp.last_modified.timestamp()))
        patch_cache_control(response, public=True, max_age=max_age(),
                            s_maxage=shared_max_age(), must_revalidate=True)
        if page:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def conditional(fingerprint: Callable[..., Fingerprint], *, store_pages: bool = False):
    """Decorate a GET view (function, or an APIView method with ``method_decorator``) with
    ETag/Last-Modified/Cache-Control and 304 answers to If-None-Match/If-Modified-Since.
    ``store_pages``: also serve the rendered bytes from the shared cache (``cached_page``); the
    view is then marked (``page_fingerprint``) for ``public.middleware.EarlyPageCacheMiddleware``,
    whose fingerprint, computed before the rest of the middleware, is reused here on a miss."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in {"GET", "HEAD"}:
                return view(request, *args, **kwargs)
            # Computed early by EarlyPageCacheMiddleware on a miss, else here; the view may key its
            # own memos on it (what its data is as of).
            stamp = getattr(request, "page_stamp", None) or fingerprint(request, *args, **kwargs)
            request.page_stamp = stamp
            use_cache = store_pages and page_cache_seconds() > 0
            response = answer_without_view(request, stamp, use_cache=use_cache)
            if response is None:
                response = view(request, *args, **kwargs)
                if use_cache:
                    _store(request, stamp, response)
            return with_validators(request, stamp, response, page=store_pages)

        if store_pages:
            wrapped.page_fingerprint = fingerprint
        return wrapped

    return decorator


def cached_page(fingerprint: Callable[..., Fingerprint]):
    """``conditional(fingerprint)`` plus the shared page cache, for the public site's pages, feeds
    and sitemaps (not for the API: its answers are negotiated and rendered later by DRF)."""
    return conditional(fingerprint, store_pages=True)
