"""``manage.py run_dev`` — what ``make run`` starts: the development server and a job worker as one
command, and Ctrl-C stops both (jobs/management/commands/run_dev.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.factcheck.test_serving import database_url, free_port

ROOT = Path(__file__).resolve().parents[2]


def _ignore_sigint() -> None:
    # As a script's background job starts it (`make run &`): SIGINT ignored from the start.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _wait_healthy(port: int, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "run_dev exited before the server answered"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail("the development server never answered /healthz")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ctrl_c_stops_the_server_and_the_worker_even_when_started_with_sigint_ignored():
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_DEBUG": "1",
           "DJANGO_LOG_LEVEL": "ERROR"}
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "run_dev", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_ignore_sigint,  # noqa: PLW1509
        start_new_session=True,
    )
    try:
        _wait_healthy(port, process)
        children = psutil.Process(process.pid).children()
        commands = [" ".join(child.cmdline()) for child in children]
        assert any("runserver" in command for command in commands), commands
        assert any("procrastinate worker" in command for command in commands), commands

        process.send_signal(signal.SIGINT)  # Ctrl-C
        process.wait(30)
        _, alive = psutil.wait_procs(children, timeout=15)
        assert alive == [], f"still running after Ctrl-C: {alive}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
