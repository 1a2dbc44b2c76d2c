"""Fetching a web page for import without letting the URL reach inside our network (SSRF).

Every hop (the URL and each redirect, at most ``MAX_REDIRECTS``):

- only ``http``/``https``, no user name or password in the URL, no cookies or credentials sent;
- the host is resolved once, here, and *every* address it resolves to must be public: loopback,
  private, link-local, shared, multicast, reserved and unspecified addresses are refused, for
  IPv4 and IPv6, including IPv4-mapped/NAT64/6to4/Teredo IPv6 and the decimal, octal and hex
  spellings of IPv4 (``2130706433``, ``0177.0.0.1``, ``0x7f.1``);
- the connection goes to that vetted address (the ``Host`` header and TLS SNI/certificate check
  use the name), so a second DNS answer cannot swap the target between check and connect;
- connect, read and total time limits, a size cap on the (decoded) body, and an allow-list of
  content types.

Trusted internal addresses: ``settings.FACTCHECK_OUTBOUND_ALLOW`` (from the environment variable
of that name: comma-separated host names, IP addresses, CIDR networks, each optionally with
``:port``; empty by default) lets an operator allow exactly those — a newsroom's CMS on a private
address, say. A host name entry allows whatever that name resolves to; an address or network
entry allows those addresses whatever the name. Everything else private stays refused. Every
outbound request of the application (imports, feeds, later webhooks) goes through this module.

Failures raise ``FetchError`` whose ``message`` is generic (safe to store on ``Source.fetch_error``
and show to editors); ``detail`` says what exactly happened, for logs.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import ipaddress
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ARTICLE_CONTENT_TYPES = frozenset({
    "text/html", "text/plain", "text/markdown", "application/xhtml+xml", "application/ld+json",
})
JSON_CONTENT_TYPES = frozenset({"application/json", "application/ld+json", "text/html"})
MAX_REDIRECTS = 5
MAX_BYTES = 5 * 1024 * 1024
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
TOTAL_TIMEOUT = 20.0
USER_AGENT = "factcheck-importer/1.0 (+https://github.com/; fact-checking newsroom tool)"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}

GENERIC_MESSAGE = "The page could not be fetched."

_loopback_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "fetch_loopback_allowed", default=False
)


class FetchError(Exception):
    """A fetch was refused or failed. ``message`` is generic; ``detail`` is for logs."""

    def __init__(self, detail: str, *, message: str = GENERIC_MESSAGE, code: str = "fetch_failed"):
        super().__init__(detail)
        self.detail = detail
        self.message = message
        self.code = code


PRIVATE_MESSAGE = (
    "The page's address is a private or local address, which the importer does not reach. An "
    "administrator can allow a trusted internal address (FACTCHECK_OUTBOUND_ALLOW)."
)
SCHEME_MESSAGE = "Only http:// and https:// addresses can be fetched."
CREDENTIALS_MESSAGE = "Addresses with a user name or password are not fetched."


class BlockedAddress(FetchError):
    """A refused address; ``message`` says why in words (private or local, scheme, credentials)."""

    def __init__(self, detail: str, *, message: str = PRIVATE_MESSAGE):
        super().__init__(detail, message=message, code="fetch_blocked")


@dataclass(frozen=True)
class FetchedPage:
    url: str  # the final URL, after redirects
    content_type: str
    body: bytes
    charset: str | None

    @property
    def text(self) -> str:
        for encoding in filter(None, [self.charset, "utf-8"]):
            try:
                return self.body.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
        return self.body.decode("cp1252", errors="replace")


@contextlib.contextmanager
def allow_loopback_for_tests() -> Iterator[None]:
    """TESTS ONLY: let fetches reach 127.0.0.1/::1 (local test servers). Nothing else is
    loosened (private ranges stay refused), and nothing in the application calls this."""
    token = _loopback_allowed.set(True)
    try:
        yield
    finally:
        _loopback_allowed.reset(token)


# --- Addresses --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllowRule:
    """One FACTCHECK_OUTBOUND_ALLOW entry: a host name or a network, and maybe a port."""

    host: str = ""
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None
    port: int | None = None

    def allows(self, host: str, address, port: int) -> bool:
        if self.port is not None and self.port != port:
            return False
        if self.network is not None:
            return address.version == self.network.version and address in self.network
        return self.host == host


def parse_allow_entry(entry: str) -> AllowRule:
    """``cms.internal``, ``cms.internal:8080``, ``10.0.0.0/8``, ``10.1.2.3:8080``, ``[fd00::1]:443``,
    ``fd00::/8``. Raises ValueError for anything else."""
    entry = entry.strip().lower()
    host, port = entry, None
    if entry.startswith("["):  # [IPv6] or [IPv6]:port
        inside, bracket, rest = entry[1:].partition("]")
        if not bracket:
            raise ValueError(entry)
        host = inside
        if rest:
            if not rest.startswith(":"):
                raise ValueError(entry)
            port = int(rest[1:])
    elif entry.count(":") == 1:  # name:port or IPv4:port (a bare IPv6 has several colons)
        host, _, port_text = entry.partition(":")
        port = int(port_text)
    if port is not None and not 0 < port < 65536:
        raise ValueError(entry)
    if not host:
        raise ValueError(entry)
    try:
        return AllowRule(network=ipaddress.ip_network(host, strict=False), port=port)
    except ValueError:
        pass
    if "/" in host or not all(label and len(label) < 64 for label in host.rstrip(".").split(".")):
        raise ValueError(entry)
    return AllowRule(host=host.rstrip("."), port=port)


@functools.lru_cache(maxsize=8)
def _parse_allow_list(entries: tuple[str, ...]) -> tuple[AllowRule, ...]:
    rules = []
    for entry in entries:
        try:
            rules.append(parse_allow_entry(entry))
        except ValueError:
            raise ImproperlyConfigured(
                f"FACTCHECK_OUTBOUND_ALLOW: {entry!r} is not a host name, an IP address or a CIDR "
                "network (each optionally followed by :port)."
            ) from None
    return tuple(rules)


def outbound_allow_rules() -> tuple[AllowRule, ...]:
    return _parse_allow_list(tuple(getattr(settings, "FACTCHECK_OUTBOUND_ALLOW", ()) or ()))


def _allowed(host: str, address, port: int | None) -> bool:
    if port is None:
        return False
    return any(rule.allows(host, address, port) for rule in outbound_allow_rules())


def _numeric_ipv4(host: str) -> str | None:
    """The dotted-quad of an IPv4 host written in any inet_aton spelling, else None."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(parts):
        return None
    values = []
    for part in parts:
        lowered = part.lower()
        try:
            if lowered.startswith("0x"):
                values.append(int(lowered[2:] or "0", 16))
            elif len(lowered) > 1 and lowered.startswith("0"):
                values.append(int(lowered, 8))
            else:
                values.append(int(lowered, 10))
        except ValueError:
            return None
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (5 - len(values)):
        raise BlockedAddress(f"Malformed numeric IPv4 host {host!r}")
    number = 0
    for v in head:
        number = number * 256 + v
    number = number * 256 ** (5 - len(values)) + last
    return str(ipaddress.IPv4Address(number))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in ipaddress.IPv6Network("64:ff9b::/96") or ip in ipaddress.IPv6Network("::/96"):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def check_address(address: str, *, host: str = "", port: int | None = None,
                  ) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """Refuse any address that is not a public unicast one, unless FACTCHECK_OUTBOUND_ALLOW allows
    it for ``host``/``port``. Returns the parsed address."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if _allowed(host.lower(), ip, port):
        return ip
    candidates = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            candidates.append(embedded)
    for candidate in candidates:
        if candidate.is_loopback and _loopback_allowed.get() and candidate is ip:
            continue
        if (
            not candidate.is_global or candidate.is_multicast or candidate.is_reserved
            or candidate.is_private or candidate.is_link_local or candidate.is_loopback
            or candidate.is_unspecified
        ):
            raise BlockedAddress(f"Refused non-public address {candidate} for {address}")
    return ip


def resolve_public(host: str, port: int) -> str:
    """Resolve ``host`` and return one vetted address; refuse if ANY answer is not public."""
    host = host.strip("[]").rstrip(".")
    numeric = _numeric_ipv4(host)
    if numeric is not None:
        check_address(numeric, host=numeric, port=port)
        return numeric
    try:
        return str(check_address(host, host=host, port=port))
    except ValueError:
        pass  # a name, not an address literal
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"Cannot resolve {host!r}: {exc}") from exc
    addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
    if not addresses:
        raise FetchError(f"No address for {host!r}")
    for address in addresses:
        check_address(address, host=host, port=port)
    return addresses[0]


def check_url(url: str) -> None:
    """What can be refused without the network: the scheme, credentials, and a host written as an
    address (a host name is resolved and checked when fetched). Raises BlockedAddress."""
    parts = urlsplit(url)
    _check_scheme_and_credentials(parts)
    host = (parts.hostname or "").strip("[]").rstrip(".")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return  # the fetch reports a bad port
    numeric = _numeric_ipv4(host)
    if numeric is not None:
        check_address(numeric, host=numeric, port=port)
        return
    with contextlib.suppress(ValueError):
        check_address(host, host=host, port=port)


def _check_scheme_and_credentials(parts) -> None:
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BlockedAddress(f"Scheme {scheme or 'missing'!r} refused", message=SCHEME_MESSAGE)
    if parts.username is not None or parts.password is not None:
        raise BlockedAddress("Credentials in the URL refused", message=CREDENTIALS_MESSAGE)


# --- Fetching ---------------------------------------------------------------------------------


def fetch_url(
    url: str, *, allowed_types: frozenset[str] = ARTICLE_CONTENT_TYPES, max_bytes: int = MAX_BYTES,
    connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT,
    total_timeout: float = TOTAL_TIMEOUT, max_redirects: int = MAX_REDIRECTS,
) -> FetchedPage:
    """GET ``url`` safely (see the module docstring). Raises FetchError / BlockedAddress."""
    deadline = time.monotonic() + total_timeout
    for _hop in range(max_redirects + 1):
        response, scheme_host = _request(url, connect_timeout, read_timeout, deadline)
        try:
            if response.status in REDIRECT_STATUSES:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"Redirect without Location from {url}")
                url = urljoin(url, location.strip())
                continue
            if response.status != 200:
                raise FetchError(f"HTTP {response.status} from {url}")
            content_type, charset = _content_type(response.headers.get("Content-Type", ""))
            if content_type not in allowed_types:
                raise FetchError(
                    f"Content type {content_type or 'missing'} from {url}",
                    message="The page is not a document that can be imported.",
                    code="fetch_content_type",
                )
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url)
            body = _read_capped(response, max_bytes, deadline, url)
            return FetchedPage(url=url, content_type=content_type, body=body, charset=charset)
        finally:
            response.release_conn()
            scheme_host.close()
    raise FetchError(f"More than {max_redirects} redirects from {url}",
                     message="The page redirects too many times.", code="fetch_redirects")


def _too_large(url: str) -> FetchError:
    return FetchError(f"Body over the size cap from {url}", message="The page is too large.",
                      code="fetch_too_large")


def _content_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip().strip('"')
    return media.strip().lower(), charset


def _request(url: str, connect_timeout: float, read_timeout: float, deadline: float):
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    _check_scheme_and_credentials(parts)
    host = parts.hostname
    if not host:
        raise FetchError(f"No host in {url!r}")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(f"Bad port in {url!r}") from exc
    address = resolve_public(host, port)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"Total time limit reached for {url}", code="fetch_timeout")
    timeout = urllib3.Timeout(connect=min(connect_timeout, remaining), read=min(read_timeout, remaining))
    host_header = host if ":" not in host else f"[{host}]"
    if parts.port:
        host_header = f"{host_header}:{parts.port}"
    if scheme == "https":
        # Connect to the vetted address; SNI and certificate check use the name.
        pool = urllib3.HTTPSConnectionPool(
            address, port, timeout=timeout, retries=False, maxsize=1,
            server_hostname=host, assert_hostname=host, cert_reqs="CERT_REQUIRED",
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        "Host": host_header, "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/ld+json,application/json,"
                  "text/plain;q=0.9,*/*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
    }
    try:
        response = pool.urlopen(
            "GET", path, headers=headers, redirect=False, retries=False, preload_content=False,
            assert_same_host=False, timeout=timeout,
        )
    except urllib3.exceptions.TimeoutError as exc:  # connect or first-byte time limit
        pool.close()
        raise FetchError(f"Request to {url} timed out: {exc}", code="fetch_timeout") from exc
    except urllib3.exceptions.HTTPError as exc:
        pool.close()
        raise FetchError(f"Request to {url} failed: {exc}") from exc
    return response, pool


def _read_capped(response, max_bytes: int, deadline: float, url: str) -> bytes:
    chunks, size = [], 0
    try:
        while True:
            if time.monotonic() > deadline:
                raise FetchError(f"Total time limit reached reading {url}", code="fetch_timeout")
            # read1 returns what has arrived (a trickling server cannot hold one call for long);
            # small reads bound what one compressed chunk can inflate to before the cap applies.
            chunk = response.read1(16 * 1024)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(url)
            chunks.append(chunk)
    except urllib3.exceptions.TimeoutError as exc:
        raise FetchError(f"Reading {url} timed out: {exc}", code="fetch_timeout") from exc
    except urllib3.exceptions.HTTPError as exc:
        raise FetchError(f"Reading {url} failed: {exc}") from exc
    return b"".join(chunks)
