"""Cached public pages answered before the rest of the middleware.

``EarlyPageCacheMiddleware`` sits near the top of ``MIDDLEWARE`` (after the request id, the
health checks, the request-shape limits, SecurityMiddleware's HTTPS redirect and the CSP header).
For an anonymous GET/HEAD — no session cookie, no ``Authorization``, no replica pin — of a URL
whose view is a ``cached_page`` (public/cache.py), it runs the view's fingerprint query (on a
replica when there is one, as the view would) and answers a 304 or the stored page at once,
without sessions, CSRF, authentication, messages, the audit context or the URL's view. The key is
the view's own (``Fingerprint.page_key``), so the page is exactly what the view would serve and
moves the moment what it shows changes. On a miss the request goes down the stack as usual, and
the view reuses the fingerprint already computed.

What the skipped middleware would have added to such a response is added here:
``X-Frame-Options``, ``Content-Length`` and ``Vary: Cookie``
(tests/public/test_early_page_cache.py compares an early answer's headers with the full stack's).

With a LocaleMiddleware (Django's, or a subclass) in ``MIDDLEWARE``, its ``process_request``
chooses and activates the reader's language first, so a language-aware page key finds the
reader's page, and its ``process_response`` adds ``Content-Language`` and ``Vary``.

*Express pages*: an early answer is also kept in the process (``ExpressPages``) with the
generation of the public data it was answered in (public/changes.py, read before the
fingerprint). The same request — scheme, host, path, query, language cookie and Accept-Language,
no conditional header — is answered again from that copy, headers included, without any query,
until PostgreSQL notifies a change; then the next request goes through the fingerprint again.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, get_resolver
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string

from factcheck.db_routers import PIN_COOKIE, replica_reads
from public import changes
from public.cache import answer_without_view, page_cache_seconds, with_validators


def _early_candidate(request) -> bool:
    return (request.method in {"GET", "HEAD"} and page_cache_seconds() > 0
            and not request.path_info.startswith(settings.STATIC_URL)
            and "HTTP_AUTHORIZATION" not in request.META
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and PIN_COOKIE not in request.COOKIES)


def _locale_middleware(get_response):
    """An instance of the stack's LocaleMiddleware (Django's or a subclass), or None."""
    for path in settings.MIDDLEWARE:
        middleware = import_string(path)
        if isinstance(middleware, type) and issubclass(middleware, LocaleMiddleware):
            return middleware(get_response)
    return None


@dataclass(frozen=True)
class _ExpressPage:
    generation: int
    expires: float
    content: bytes
    headers: tuple[tuple[str, str], ...]


class ExpressPages:
    """Early answers kept in this process, each with the generation it was answered in; at most
    ``MAX_BYTES`` of pages (the oldest kept goes first). Not ``public.cache.LOCAL_PAGES``: that
    per-process cache pickles each entry on every read, which is what a hit here must not pay, and
    its keys carry the fingerprint this shortcut exists to skip."""

    MAX_BYTES = 64 * 1024 * 1024

    def __init__(self) -> None:
        self._pages: dict[tuple, _ExpressPage] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(request) -> tuple | None:
        """What the answer depends on; None for a conditional request (it may get a 304)."""
        meta = request.META
        if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
            return None
        return (request.scheme, meta.get("HTTP_HOST", ""), request.path_info, meta.get("QUERY_STRING", ""),
                request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME), meta.get("HTTP_ACCEPT_LANGUAGE"))

    def answer(self, key: tuple, generation: int) -> HttpResponse | None:
        page = self._pages.get(key)
        if page is None or page.generation != generation or page.expires < time.monotonic():
            return None
        response = HttpResponse(page.content)
        for name, value in page.headers:
            response.headers[name] = value
        return response

    def keep(self, key: tuple, generation: int, response) -> None:
        if response.status_code != 200 or response.streaming or response.cookies:
            return
        page = _ExpressPage(generation, time.monotonic() + page_cache_seconds(), response.content,
                            tuple(response.headers.items()))
        with self._lock:
            old = self._pages.pop(key, None)
            self._bytes += len(page.content) - (len(old.content) if old else 0)
            self._pages[key] = page
            while self._bytes > self.MAX_BYTES and self._pages:
                self._bytes -= len(self._pages.pop(next(iter(self._pages))).content)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0


EXPRESS_PAGES = ExpressPages()


class EarlyPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.frame_options = XFrameOptionsMiddleware(get_response)
        self.locale = _locale_middleware(get_response)

    def __call__(self, request):
        if not _early_candidate(request):
            return self.get_response(request)
        key = ExpressPages.key(request)
        generation = changes.generation() if key is not None else None  # before the fingerprint
        if generation is not None:
            response = EXPRESS_PAGES.answer(key, generation)
            if response is not None:
                return response
        response = self.early_answer(request)
        if response is None:
            return self.get_response(request)
        if generation is not None:
            EXPRESS_PAGES.keep(key, generation, response)
        return response

    def early_answer(self, request):
        if self.locale is not None:  # the reader's language, exactly as the stack would choose it
            self.locale.process_request(request)
        try:
            match = get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
        except Resolver404:
            return None
        fingerprint = getattr(match.func, "page_fingerprint", None)
        if fingerprint is None:
            return None
        with replica_reads(request):
            try:
                stamp = fingerprint(request, *match.args, **match.kwargs)
            except Http404:  # a claim the public may not see: the view answers it, as always
                return None
            response = answer_without_view(request, stamp, use_cache=True)
        if response is None:
            request.page_stamp = stamp  # the view reuses it (public.cache.conditional)
            return None
        response = with_validators(request, stamp, response)
        if not response.has_header("Content-Length") and response.status_code == 200:
            response.headers["Content-Length"] = str(len(response.content))
        if self.locale is not None:  # Content-Language, Vary: Accept-Language
            response = self.locale.process_response(request, response)
        # The full stack says the page varies by cookie (a reader with a session goes the long way).
        patch_vary_headers(response, ("Cookie",))
        return self.frame_options.process_response(request, response)
