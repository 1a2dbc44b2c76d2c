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
