"""A Content-Security-Policy on every page (django-csp, settings.CONTENT_SECURITY_POLICY): public
pages, the admin, the API docs and errors. Inline styles and scripts carry the request's nonce.

Found by the attack run: no Content-Security-Policy on any page. The browser tests
(tests/browser/conftest.py) fail on any violation the policy reports."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in header.split("; ")}


def nonce_of(response) -> str:
    return re.search(r"'nonce-([^']+)'", policy(response)["script-src"]).group(1)


@pytest.mark.parametrize("path", ["/", "/ratings/", "/admin/login/", "/api/docs/", "/api/v1/topics/",
                                  "/no-such-page/", "/robots.txt"])
def test_every_response_carries_the_policy(path):
    response = Client().get(path)
    rules = policy(response)
    assert rules["default-src"] == "'self'"
    assert rules["object-src"] == "'none'"
    assert rules["frame-ancestors"] == "'none'"
    assert rules["script-src"].startswith("'self'") and "unsafe-inline" not in rules["script-src"]
    assert "unsafe-inline" not in rules["style-src"]


def test_admin_inline_styles_carry_the_nonce(admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert f'<style nonce="{nonce_of(response)}">' in response.content.decode()


def test_swagger_ui_inline_style_and_script_carry_the_nonce():
    response = Client().get("/api/docs/")
    html = response.content.decode()
    nonce = nonce_of(response)
    assert f'<style nonce="{nonce}">' in html and f'<script nonce="{nonce}">' in html
    inline = re.findall(r"<(script|style)(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attributes for _, attributes in inline), inline


def test_each_response_gets_its_own_nonce():
    assert nonce_of(Client().get("/api/docs/")) != nonce_of(Client().get("/api/docs/"))


@pytest.mark.parametrize("path", ["/", "/static/factcheck/site.css", "/api/v1/topics/", "/no-such-page/"])
def test_a_response_without_a_nonce_gets_the_policy_django_csp_builds(path, rf):
    """factcheck.middleware.CSPMiddleware builds that policy once; django-csp's own middleware, run
    on the same response, writes the same headers."""
    from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
    from django.http import HttpResponse

    from factcheck.middleware import CSPMiddleware

    headers = []
    for middleware in (CSPMiddleware, DjangoCSPMiddleware):
        request = rf.get(path)
        response = middleware(lambda request: HttpResponse("ok"))(request)
        headers.append({k: v for k, v in response.headers.items() if "Security-Policy" in k})
    assert headers[0] == headers[1] and "Content-Security-Policy" in headers[0]
    assert "nonce" not in headers[0]["Content-Security-Policy"]


def test_a_changed_policy_setting_is_read_again(settings):
    assert "frame-ancestors 'none'" in Client().get("/ratings/")["Content-Security-Policy"]
    directives = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "frame-ancestors": ["'self'"]}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    assert "frame-ancestors 'self'" in Client().get("/ratings/")["Content-Security-Policy"]
