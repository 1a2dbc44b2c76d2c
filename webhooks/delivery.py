"""Posting one signed webhook: the same outbound rules as article fetching (sources.fetch): only
http(s), no credentials in the URL, every resolved address public unless FACTCHECK_OUTBOUND_ALLOW
allows it, the connection made to the vetted address, no redirects followed, short time limits."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3

from sources.fetch import FetchError, check_url, resolve_public

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
USER_AGENT = "factcheck-webhooks/1.0"


@dataclass(frozen=True)
class PostResult:
    status: int
    elapsed_ms: int


def post_signed(url: str, body: bytes, headers: dict[str, str]) -> PostResult:
    """POST ``body`` to ``url``; raises FetchError (refused address, time-out, connection failure)."""
    check_url(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    port = parts.port or (443 if scheme == "https" else 80)
    address = resolve_public(host, port)
    timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1,
                                           server_hostname=host, assert_hostname=host,
                                           cert_reqs="CERT_REQUIRED")
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)
    host_header = host if ":" not in host else f"[{host}]"
    if parts.port:
        host_header = f"{host_header}:{parts.port}"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.monotonic()
    try:
        response = pool.urlopen("POST", path, body=body, redirect=False, retries=False,
                                assert_same_host=False, timeout=timeout, preload_content=False,
                                headers={"Host": host_header, "User-Agent": USER_AGENT,
                                         "Content-Type": "application/json", **headers})
        response.read(64 * 1024)  # the receiver's answer is not needed beyond its status
        response.release_conn()
    except urllib3.exceptions.TimeoutError as exc:
        raise FetchError(f"Timed out: {exc}", message="The endpoint did not answer in time.",
                         code="fetch_timeout") from exc
    except urllib3.exceptions.HTTPError as exc:
        raise FetchError(f"Failed: {exc}", message="The endpoint could not be reached.") from exc
    finally:
        pool.close()
    return PostResult(status=response.status, elapsed_ms=int((time.monotonic() - started) * 1000))
