"""SSRF-safe fetching (sources/fetch.py), against a local test server."""

from __future__ import annotations

import gzip
import ipaddress
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from sources.fetch import (
    ARTICLE_CONTENT_TYPES,
    AllowRule,
    BlockedAddress,
    FetchError,
    allow_loopback_for_tests,
    check_url,
    fetch_url,
    parse_allow_entry,
)

PAGE = b"<html><head><title>Hi</title></head><body><p>Hello world.</p></body></html>"


class Handler(BaseHTTPRequestHandler):
    seen_headers: list[dict[str, str]] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status=200, body=PAGE, content_type="text/html; charset=utf-8", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        Handler.seen_headers.append(dict(self.headers))
        port = self.server.server_address[1]
        routes = {
            "/page": lambda: self._send(),
            "/redirect-home": lambda: self._send(
                302, b"", headers={"Location": "/page", "Set-Cookie": "session=secret"}
            ),
            "/redirect-private": lambda: self._send(302, b"", headers={"Location": "http://10.1.2.3/x"}),
            "/redirect-metadata": lambda: self._send(
                301, b"", headers={"Location": "http://169.254.169.254/latest/meta-data/"}
            ),
            "/redirect-file": lambda: self._send(302, b"", headers={"Location": "file:///etc/passwd"}),
            "/loop": lambda: self._send(302, b"", headers={"Location": f"http://127.0.0.1:{port}/loop"}),
            "/image": lambda: self._send(body=b"\x89PNG", content_type="image/png"),
            "/big": lambda: self._send(body=b"x" * 5000, content_type="text/plain"),
        }
        if self.path == "/gzip-bomb":
            body = gzip.compress(b"0" * 2_000_000)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path == "/big-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()  # no Content-Length: the cap must apply while reading
            for _ in range(50):
                self.wfile.write(b"y" * 1000)
            return
        if self.path == "/silent":  # accepts the request, answers nothing for a while
            time.sleep(1.0)
            self._send()
            return
        if self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"z")
                    self.wfile.flush()
                    time.sleep(0.02)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        routes.get(self.path, lambda: self._send(404, b"missing"))()


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def loopback_allowed():
    with allow_loopback_for_tests():
        yield


def test_local_page_is_fetched_when_loopback_is_allowed_for_tests(server, loopback_allowed):
    page = fetch_url(f"{server}/page")
    assert page.content_type == "text/html"
    assert "Hello world." in page.text


def test_loopback_is_refused_by_default(server):
    with pytest.raises(BlockedAddress):
        fetch_url(f"{server}/page")


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost/", "http://10.0.0.1/", "http://172.16.5.4/",
    "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/",
    "http://0.0.0.0/", "http://224.0.0.1/", "http://240.0.0.1/", "http://[::1]/", "http://[::]/",
    "http://[fe80::1]/", "http://[fc00::1]/", "http://[ff02::1]/", "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:10.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::a00:1]/",
    "http://[2002:7f00:1::]/", "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/",
    "http://0x7f000001/", "http://127.1/", "http://017700000001/", "http://0xa9.0xfe.0xa9.0xfe/",
])
def test_non_public_addresses_are_refused_in_every_spelling(url):
    with pytest.raises(BlockedAddress):
        fetch_url(url)


def test_loopback_override_does_not_open_private_ranges(loopback_allowed):
    with pytest.raises(BlockedAddress):
        fetch_url("http://10.0.0.1/")
    with pytest.raises(BlockedAddress):
        fetch_url("http://[::ffff:127.0.0.1]/")


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/", "data:text/plain,hi",
    "javascript:alert(1)", "//example.com/", "http://user:pw@example.com/",
])
def test_other_schemes_and_credentials_are_refused(url):
    with pytest.raises(FetchError):
        fetch_url(url)


def test_redirect_is_followed_and_no_cookie_is_sent_back(server, loopback_allowed):
    Handler.seen_headers.clear()
    page = fetch_url(f"{server}/redirect-home")
    assert page.url == f"{server}/page"
    assert len(Handler.seen_headers) == 2
    assert all("Cookie" not in h and "Authorization" not in h for h in Handler.seen_headers)


@pytest.mark.parametrize("path", ["/redirect-private", "/redirect-metadata", "/redirect-file"])
def test_redirect_to_a_private_address_or_other_scheme_is_refused(server, loopback_allowed, path):
    with pytest.raises(BlockedAddress):
        fetch_url(f"{server}{path}")


def test_redirect_loops_stop_after_five(server, loopback_allowed):
    Handler.seen_headers.clear()
    with pytest.raises(FetchError) as error:
        fetch_url(f"{server}/loop")
    assert error.value.code == "fetch_redirects"
    assert len(Handler.seen_headers) == 6


def test_disallowed_content_type_is_refused(server, loopback_allowed):
    with pytest.raises(FetchError) as error:
        fetch_url(f"{server}/image")
    assert error.value.code == "fetch_content_type"
    assert {"text/html", "text/plain", "text/markdown"} <= ARTICLE_CONTENT_TYPES


@pytest.mark.parametrize("path", ["/big", "/big-chunked", "/gzip-bomb"])
def test_oversized_body_is_refused(server, loopback_allowed, path):
    with pytest.raises(FetchError) as error:
        fetch_url(f"{server}{path}", max_bytes=1000)
    assert error.value.code == "fetch_too_large"
    assert error.value.message == "The page is too large."


def test_trickling_body_is_cut_at_the_total_time_limit(server, loopback_allowed):
    started = time.monotonic()
    with pytest.raises(FetchError) as error:
        fetch_url(f"{server}/trickle", total_timeout=0.5, read_timeout=0.3)
    assert error.value.code == "fetch_timeout"
    assert time.monotonic() - started < 1.5


def test_silent_server_is_cut_at_the_read_time_limit(server, loopback_allowed):
    started = time.monotonic()
    with pytest.raises(FetchError) as error:
        fetch_url(f"{server}/silent", read_timeout=0.2)
    assert error.value.code == "fetch_timeout"
    assert error.value.message == "The page could not be fetched."
    assert time.monotonic() - started < 0.9


def test_error_messages_are_generic():
    with pytest.raises(FetchError) as error:
        fetch_url("http://10.0.0.1/")
    assert "10.0.0.1" not in error.value.message
    assert "10.0.0.1" in error.value.detail


# --- FACTCHECK_OUTBOUND_ALLOW: trusted internal addresses ---------------------------------------


def _port(server: str) -> int:
    return int(server.rsplit(":", 1)[1])


def refused_because(call, url: str) -> str:
    """The words a refusal of ``url`` gives editors."""
    with pytest.raises(BlockedAddress) as error:
        call(url)
    assert error.value.code == "fetch_blocked"
    return error.value.message


def test_loopback_refusal_says_private_or_local_address_in_words(server):
    with pytest.raises(BlockedAddress) as error:
        fetch_url(f"{server}/page")
    assert error.value.code == "fetch_blocked"
    assert "private or local address" in error.value.message


@pytest.mark.parametrize("entry", ["127.0.0.1", "127.0.0.0/8", "127.0.0.1:{port}", "localhost",
                                   "localhost:{port}"])
def test_an_allowed_entry_lets_exactly_that_address_through(server, settings, entry):
    settings.FACTCHECK_OUTBOUND_ALLOW = [entry.format(port=_port(server))]
    host = "localhost" if entry.startswith("localhost") else "127.0.0.1"
    page = fetch_url(f"http://{host}:{_port(server)}/page")
    assert "Hello world." in page.text


def test_an_allowed_port_does_not_open_the_others(server, settings):
    settings.FACTCHECK_OUTBOUND_ALLOW = [f"127.0.0.1:{_port(server) + 1}"]
    assert "private or local address" in refused_because(fetch_url, f"{server}/page")


def test_an_allowed_name_does_not_allow_its_address_under_another_name(server, settings):
    settings.FACTCHECK_OUTBOUND_ALLOW = ["cms.internal"]
    with pytest.raises(BlockedAddress):
        fetch_url(f"{server}/page")  # 127.0.0.1 is not cms.internal


def test_allowed_network_leaves_other_private_addresses_refused(server, settings):
    settings.FACTCHECK_OUTBOUND_ALLOW = ["127.0.0.0/8", "10.20.0.0/16"]
    fetch_url(f"{server}/page")
    for url in ("http://10.1.2.3/", "http://192.168.1.1/", "http://169.254.169.254/", "http://[::1]/"):
        assert "private or local address" in refused_because(fetch_url, url)


def test_redirect_from_an_allowed_host_to_a_private_one_is_refused(server, settings):
    settings.FACTCHECK_OUTBOUND_ALLOW = ["127.0.0.1"]
    assert "private or local address" in refused_because(fetch_url, f"{server}/redirect-private")


@pytest.mark.parametrize(("entry", "expected"), [
    ("cms.internal", AllowRule(host="cms.internal")),
    ("CMS.Internal:8080", AllowRule(host="cms.internal", port=8080)),
    ("10.0.0.0/8", AllowRule(network=ipaddress.ip_network("10.0.0.0/8"))),
    ("10.1.2.3:443", AllowRule(network=ipaddress.ip_network("10.1.2.3/32"), port=443)),
    ("fd00::/8", AllowRule(network=ipaddress.ip_network("fd00::/8"))),
    ("[fd00::1]:8443", AllowRule(network=ipaddress.ip_network("fd00::1/128"), port=8443)),
])
def test_allow_entries_are_parsed(entry, expected):
    assert parse_allow_entry(entry) == expected


@pytest.mark.parametrize("entry", ["cms.internal:0", "cms.internal:99999", "10.0.0.0/33", "a..b",
                                   "[fd00::1", "host:port"])
def test_a_bad_allow_entry_is_a_configuration_error_naming_it(server, settings, entry):
    settings.FACTCHECK_OUTBOUND_ALLOW = [entry]
    with pytest.raises(ImproperlyConfigured, match="FACTCHECK_OUTBOUND_ALLOW"):
        fetch_url(f"{server}/page")


def test_scheme_and_credentials_are_refused_in_words():
    assert refused_because(check_url, "file:///etc/passwd") == (
        "Only http:// and https:// addresses can be fetched.")
    assert refused_because(check_url, "http://user:pw@example.org/") == (
        "Addresses with a user name or password are not fetched.")
    assert "private or local address" in refused_because(check_url, "http://0x7f.1/")
    check_url("http://example.org/")  # a name: checked when fetched (no DNS here)
