"""bench.local_server: what the load tools share to serve the app on this machine."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from bench import local_server


def test_local_database_url_is_split(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://bench@127.0.0.1:5433/fc_bench")
    url = local_server.local_database_url()
    assert (url.hostname, url.port, url.path) == ("127.0.0.1", 5433, "/fc_bench")


@pytest.mark.parametrize("value", ["", "postgres://bench@db.example.org:5432/fc_bench"])
def test_local_database_url_refuses_another_machine(monkeypatch, value):
    monkeypatch.setenv("DATABASE_URL", value)
    with pytest.raises(SystemExit, match="on this machine"):
        local_server.local_database_url()


def test_free_port_can_be_bound():
    port = local_server.free_port()
    with socket.socket() as server:
        server.bind(("127.0.0.1", port))


def test_wait_ready_returns_once_ready():
    answers = iter([False, True])
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as process:
        try:
            local_server.wait_ready(lambda: next(answers), process, seconds=10, log="x.log")
        finally:
            process.kill()


def test_wait_ready_exits_when_the_server_exits():
    with subprocess.Popen([sys.executable, "-c", "pass"]) as process:
        process.wait()
        with pytest.raises(SystemExit, match="gunicorn exited; see var/x.log"):
            local_server.wait_ready(lambda: False, process, seconds=10, log="var/x.log")


def test_wait_ready_gives_up_after_its_time():
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as process:
        try:
            with pytest.raises(SystemExit, match="never became ready"):
                local_server.wait_ready(lambda: False, process, seconds=0.2, log="x.log")
        finally:
            process.kill()
