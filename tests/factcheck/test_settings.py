"""factcheck/settings.py: one env-driven file; `check --deploy` is clean with the production
variables the README lists, and not without them (so the check itself can fail)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRODUCTION = {
    "DATABASE_URL": "postgres://factcheck@127.0.0.1:1/factcheck",  # never connected to here
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "factcheck.example.org",
    "DJANGO_HTTPS": "1",
}


def deploy_check(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "FACTCHECK_VAR_DIR": str(tmp_path / "var"), **environment}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )


def test_deploy_check_passes_without_warnings_with_the_production_variables(tmp_path):
    result = deploy_check(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_when_https_and_the_secret_are_missing(tmp_path):
    result = deploy_check(tmp_path, DATABASE_URL=PRODUCTION["DATABASE_URL"])
    assert result.returncode != 0
    for warning in ("security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_the_database_is_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _site_url(tmp_path: Path, **environment: str) -> str:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "FACTCHECK_VAR_DIR": str(tmp_path / "var"), **environment}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print(settings.SITE_URL, settings.PUBLISHER['url'])"],
        cwd=settings.BASE_DIR, env={**env, "DJANGO_SETTINGS_MODULE": "factcheck.settings",
                                    "DATABASE_URL": PRODUCTION["DATABASE_URL"]},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_absolute_links_follow_the_port_make_run_serves_on(tmp_path):
    """`PORT=9000 make run` serves pages, feeds, sitemap and JSON-LD with links to port 9000."""
    assert _site_url(tmp_path, PORT="9000") == "http://127.0.0.1:9000 http://127.0.0.1:9000"
    assert _site_url(tmp_path) == "http://127.0.0.1:8000 http://127.0.0.1:8000"


def test_a_configured_site_url_wins_over_the_port(tmp_path):
    assert _site_url(tmp_path, PORT="9000", FACTCHECK_SITE_URL="https://factcheck.example.org/") == (
        "https://factcheck.example.org https://factcheck.example.org")
