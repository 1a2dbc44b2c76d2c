"""Headless Chromium for the browser tests, driven by Playwright with Debian's Chromium.

Never ``playwright install``: ``executable_path`` points at the system browser. Without it the
tests are skipped with the reason — unless FACTCHECK_REQUIRE_BROWSER=1 (CI), where they fail.

The pages run under the site's real Content-Security-Policy: any violation the browser reports (a
``securitypolicyviolation`` event or its console message) fails the test that caused it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def chromium_path() -> str | None:
    """FACTCHECK_CHROMIUM when set (only that one), else ``chromium`` on PATH or a Debian path."""
    chosen = os.environ.get("FACTCHECK_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    found = shutil.which("chromium")
    return found or next((path for path in CHROMIUM_CANDIDATES if Path(path).exists()), None)


def _unavailable(reason: str):
    if os.environ.get("FACTCHECK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (FACTCHECK_REQUIRE_BROWSER=1: browser tests must run)")
    pytest.skip(f"{reason}: install Debian's chromium to run the browser tests")


@pytest.fixture
def browser(monkeypatch):
    """A headless Chromium. Playwright's sync API keeps an event loop in this thread, which trips
    Django's async-safety guard even for harmless ORM calls (the fixtures' flush). Put test data in
    fixtures set up BEFORE this one: ORM calls made inside Playwright's context open a second
    connection that outlives the test database. The live server serves from its own threads."""
    executable = chromium_path()
    if executable is None:
        _unavailable("Chromium not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is pinned in requirements.txt
        _unavailable("the playwright package is not installed")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


# Records every CSP violation of every document the page loads (console messages are a backstop).
CSP_LISTENER = """
window.addEventListener("securitypolicyviolation", (event) => {
  const seen = JSON.parse(sessionStorage.getItem("cspViolations") || "[]");
  seen.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${location.pathname}`);
  sessionStorage.setItem("cspViolations", JSON.stringify(seen));
});
"""


def csp_violations_in(page, console: list[str]) -> list[str]:
    recorded = []
    if not page.is_closed():
        try:
            recorded = page.evaluate("JSON.parse(sessionStorage.getItem('cspViolations') || '[]')")
        except Exception:  # noqa: BLE001 - a page on about:blank or mid-navigation has no storage
            recorded = []
    return [*recorded, *console]


@pytest.fixture
def page(browser):
    yield from _page(browser, "en-US")


@pytest.fixture
def spanish_page(browser):
    """A page in a browser set up for Spanish (its Accept-Language asks for es-ES first)."""
    yield from _page(browser, "es-ES")


def _page(browser, locale: str):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale=locale)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    violations = csp_violations_in(page, console)
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
