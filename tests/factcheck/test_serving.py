"""`make serve`'s pieces: the production check, and the app under real gunicorn with
factcheck/gunicorn.conf.py (JSON access log with the request id, the app's 431 and 411 answers
rather than gunicorn's, /readyz, and the refusal to start several workers on a per-process cache)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from factcheck.serving import production_problems

BASE_DIR = Path(settings.BASE_DIR)
COMPLETE = {
    "DATABASE_URL": "postgres://factcheck@db:5432/factcheck",
    "DJANGO_SECRET_KEY": "s" * 60,
    "DJANGO_ALLOWED_HOSTS": "factcheck.example.org",
    "DJANGO_HTTPS": "1",
    "FACTCHECK_SITE_URL": "https://factcheck.example.org",
}


class FakeSettings:
    DEBUG = False
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache"}}


def test_production_check_names_every_missing_variable():
    problems = production_problems({"DATABASE_URL": "postgres://x@y/z"}, FakeSettings, workers=4)
    assert [p.split(" ", 1)[0] for p in problems] == [
        "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_HTTPS", "FACTCHECK_SITE_URL"]
    assert problems[0] == ("DJANGO_SECRET_KEY is not set: a long random secret (at least 50 "
                           "characters), the same on every app server.")


def test_production_check_passes_with_the_variables_and_a_shared_cache():
    assert production_problems(COMPLETE, FakeSettings, workers=4) == []


def test_production_check_refuses_debug_a_short_secret_and_a_per_process_cache_with_workers():
    class Unfit(FakeSettings):
        DEBUG = True
        CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    problems = production_problems({**COMPLETE, "DJANGO_SECRET_KEY": "short"}, Unfit, workers=4)
    assert problems == [
        "DJANGO_SECRET_KEY is too short: use at least 50 random characters.",
        "DJANGO_DEBUG is on: unset it (tracebacks would be shown to anyone).",
        "The cache (django.core.cache.backends.locmem.LocMemCache) is per process but 4 workers "
        "would start: rate limits and lock-outs would count per process. Unset FACTCHECK_CACHE "
        "(the database cache) or set REDIS_URL.",
    ]
    assert len(production_problems(COMPLETE, Unfit, workers=1)) == 1  # one process: only DEBUG


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
            "FACTCHECK_VAR_DIR": str(tmp_path / "var"), **extra}


def test_check_production_command_fails_naming_what_is_missing(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check_production", "--workers", "2"], cwd=BASE_DIR,
        env=clean_env(tmp_path, DATABASE_URL=COMPLETE["DATABASE_URL"], FACTCHECK_CACHE="locmem"),
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_HTTPS", "FACTCHECK_SITE_URL",
                 "LocMemCache) is per process but 2 workers"):
        assert name in result.stderr, result.stderr
    ok = subprocess.run([sys.executable, "manage.py", "check_production"], cwd=BASE_DIR,
                        env=clean_env(tmp_path, **COMPLETE), capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "Production settings are complete."


def test_gunicorn_refuses_several_workers_on_a_per_process_cache(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "factcheck/gunicorn.conf.py", "factcheck.wsgi"],
        cwd=BASE_DIR, capture_output=True, text=True, timeout=60,
        env=clean_env(tmp_path, DATABASE_URL=COMPLETE["DATABASE_URL"], FACTCHECK_CACHE="locmem",
                      GUNICORN_WORKERS="2", PORT=str(free_port()), HOST="127.0.0.1"))
    assert result.returncode != 0
    assert ("refusing to start 2 workers on a per-process cache "
            "(django.core.cache.backends.locmem.LocMemCache)") in result.stdout + result.stderr


# --- the app under gunicorn -------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The test database as a DATABASE_URL (a TCP server, or the embedded one's socket dir)."""
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = urllib.parse.quote(db["HOST"] or "", safe="")
    return f"postgres://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def raw_request(port: int, head: str, body: bytes = b"") -> tuple[int, dict, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    header_block, _, payload = data.partition(b"\r\n\r\n")
    lines = header_block.decode("latin-1").split("\r\n")
    headers = {k.lower(): v for k, v in (line.split(": ", 1) for line in lines[1:] if ": " in line)}
    if headers.get("transfer-encoding") == "chunked":
        payload = dechunk(payload)
    return int(lines[0].split()[1]), headers, payload


def dechunk(data: bytes) -> bytes:
    body = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            break
        body, data = body + data[:size], data[size + 2:]
    return body


@pytest.fixture
def gunicorn_server(tmp_path, transactional_db):
    port = free_port()
    log = tmp_path / "serve.log"
    env = clean_env(tmp_path, DATABASE_URL=database_url(), PORT=str(port), HOST="127.0.0.1",
                    GUNICORN_WORKERS="1", GUNICORN_THREADS="2", DJANGO_ALLOWED_HOSTS="127.0.0.1")
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "factcheck/gunicorn.conf.py", "factcheck.wsgi"],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if raw_request(port, "GET /healthz HTTP/1.0\nHost: 127.0.0.1\n")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        yield port, log
    finally:
        process.terminate()
        process.wait(timeout=30)
        from django.db import connections
        connections.close_all()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_under_gunicorn(gunicorn_server):
    port, log = gunicorn_server
    host = "Host: 127.0.0.1\nConnection: close\n"

    status, headers, body = raw_request(port, f"GET /readyz HTTP/1.1\n{host}")
    assert (status, json.loads(body)) == (200, {"status": "ready",
                                                "checks": {"database": "ok", "cache": "ok",
                                                           "queue": "ok"}})

    # A header over the app's 8 KiB limit but under gunicorn's: the app's JSON 431.
    status, _, body = raw_request(port, f"GET /api/v1/claims/ HTTP/1.1\n{host}X-Padding: {'x' * 10000}\n")
    assert status == 431
    assert json.loads(body)["error"]["code"] == "request_header_too_large"
    # Over gunicorn's own limit (16 KiB): gunicorn answers 431 itself, before the app, in HTML.
    status, headers, _ = raw_request(port, f"GET /api/v1/claims/ HTTP/1.1\n{host}X-Padding: {'x' * 20000}\n")
    assert (status, headers["content-type"]) == (431, "text/html")

    # gunicorn decodes a chunked body but passes no Content-Length: the app refuses it.
    chunked = b"1b\r\n" + b'{"analysis": "Sent chunked"}'[:27] + b"\r\n0\r\n\r\n"
    status, _, body = raw_request(
        port, f"PATCH /api/v1/claims/1/ HTTP/1.1\n{host}Content-Type: application/json\n"
              "Transfer-Encoding: chunked\n", chunked)
    assert status == 411
    assert json.loads(body)["error"]["code"] == "length_required"

    # The request id: kept when sane, in the response and in the JSON access log line.
    status, headers, _ = raw_request(
        port, f"GET /api/v1/topics/ HTTP/1.1\n{host}X-Request-ID: trace-0123456789\n")
    assert (status, headers["x-request-id"]) == (200, "trace-0123456789")
    time.sleep(0.5)
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [e for e in entries if e.get("logger") == "gunicorn.access" and e["path"] == "/api/v1/topics/"]
    assert access and access[-1]["request_id"] == "trace-0123456789"
    assert {"time", "level", "remote_addr", "method", "status", "duration_ms", "bytes"} <= set(access[-1])
    assert access[-1]["status"] == 200


def test_the_environment_check_runs_before_django_and_names_what_is_missing(tmp_path):
    """`make serve`'s first step: no Django, so no development database is started either."""
    result = subprocess.run([sys.executable, "-m", "factcheck.serving"], cwd=BASE_DIR,
                            env=clean_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "Not ready for production:"
    assert len(result.stderr.splitlines()) == 6  # all five variables
    assert "  - DATABASE_URL is not set: the PostgreSQL server" in result.stderr
    assert not (tmp_path / "var").exists()
    assert subprocess.run([sys.executable, "-m", "factcheck.serving"], cwd=BASE_DIR,
                          env=clean_env(tmp_path, **COMPLETE), timeout=60).returncode == 0


def test_the_wsgi_entry_point_freezes_the_start_up_heap():
    """factcheck.serving.freeze_startup_heap: the objects alive once the app (URLs and views
    included) is loaded leave the collector's generations, so a full collection does not walk
    them in the middle of a request."""
    import gc
    import importlib

    import factcheck.wsgi

    gc.unfreeze()
    try:
        importlib.reload(factcheck.wsgi)
        assert gc.get_freeze_count() > 50_000
    finally:
        gc.unfreeze()
