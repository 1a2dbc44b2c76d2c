"""Canonical URLs: the one spelling of a document's address that Source.url stores."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref_src"}
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters
    (``utm_*``, ``fbclid``…), an empty path becomes ``/``. Raises ValueError for non-http(s)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"Not an http(s) URL: {url!r}")
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if parts.port and parts.port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{parts.port}"
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS
        ]
    )
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def normalize_domain(domain: str) -> str:
    """How outlets are keyed: lower case, no surrounding blanks, no leading ``www.``."""
    return (domain or "").strip().lower().removeprefix("www.")


def url_domain(url: str) -> str:
    """The outlet domain of a URL: its host, normalized (``normalize_domain``)."""
    return normalize_domain(urlsplit(url).hostname or "")
