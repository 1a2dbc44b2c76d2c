"""CI: wait for `make serve` to be ready, then check a claim page and an API call over HTTP.

Usage: python .ci/serve_check.py http://127.0.0.1:8765 [seconds to wait]. Exits non-zero with the
reason on the first failed check.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit


def get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http://127.0.0.1 only
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - local URL
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def main() -> None:
    base = sys.argv[1].rstrip("/")
    deadline = time.monotonic() + float(sys.argv[2] if len(sys.argv) > 2 else 120)
    while True:
        try:
            status, _headers, body = get(f"{base}/readyz")
            if status == 200:
                break
            reason = body[:200]
        except OSError as error:
            reason = error
        if time.monotonic() > deadline:
            sys.exit(f"/readyz never became ready: {reason}")
        time.sleep(1)
    print("readyz:", json.loads(body))

    status, headers, body = get(f"{base}/api/v1/claims/?page_size=1")
    assert status == 200, (status, body[:300])
    assert headers.get("X-Request-ID"), headers
    claims = json.loads(body)["results"]
    assert claims, "the API lists no published claim"
    print("api:", status, claims[0]["url"])

    status, headers, body = get(base + urlsplit(claims[0]["public_url"]).path)
    assert status == 200, (status, body[:300])
    assert b"<h1" in body and "Content-Security-Policy" in headers, headers
    print("claim page:", status, claims[0]["public_url"])

    status, headers, body = get(f"{base}/api/v1/claims/", Authorization="Bearer not-a-token")
    assert status == 401 and json.loads(body)["error"]["code"] == "authentication_failed", (status, body)
    print("bad token:", status)


if __name__ == "__main__":
    main()
