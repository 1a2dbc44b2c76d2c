"""The embedded PostgreSQL used when DATABASE_URL is unset: it starts, serves the factcheck
database, and stops when the last process using it exits on Ctrl-C (SIGINT) or SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
START = (
    "import sys, time, pathlib\n"
    "from factcheck.embedded_db import embedded_database_settings\n"
    "db = embedded_database_settings(pathlib.Path(sys.argv[1]))\n"
    "print(db['HOST'], db['PORT'], flush=True)\n"
    "time.sleep(120)\n"
)


def postmaster_pid(pgdata: Path) -> int | None:
    pid_file = pgdata / "postmaster.pid"
    return int(pid_file.read_text().split()[0]) if pid_file.exists() else None


def start(var_dir: Path) -> tuple[subprocess.Popen, str, str]:
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", START, str(var_dir)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
        # A shell's background job would ignore SIGINT; a terminal's foreground job does not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    host, port = process.stdout.readline().split()
    return process, host, port


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_embedded_server_starts_and_stops_with_its_last_process(tmp_path, stop_signal):
    var_dir = tmp_path / "var"
    process, host, port = start(var_dir)
    try:
        with psycopg.connect(host=host, port=port, user="postgres", dbname="factcheck") as conn:
            assert conn.execute("SHOW server_version_num").fetchone()[0] >= "180000"
        server_pid = postmaster_pid(var_dir / "pgdata")
        assert server_pid and psutil.pid_exists(server_pid)
    finally:
        process.send_signal(stop_signal)
        process.wait(timeout=30)
    deadline = time.monotonic() + 15
    while psutil.pid_exists(server_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not psutil.pid_exists(server_pid), "the embedded server outlived its last process"


def test_handles_of_dead_processes_do_not_keep_the_server_running(tmp_path):
    """A process killed with -9 never unregisters; the next start forgets it, so the server still
    stops when the last live process exits."""
    var_dir = tmp_path / "var"
    first, _, _ = start(var_dir)
    first.kill()
    first.wait(timeout=10)
    handles = var_dir / "pgdata" / ".handle_pids.json"
    assert json.loads(handles.read_text()) == [first.pid]

    a_second_start_registers_alone_and_stops_the_server(var_dir, handles)


@pytest.mark.parametrize("left", ["", "[12", "{}"])
def test_a_handle_list_left_unreadable_does_not_stop_the_next_start(tmp_path, left):
    """A process killed while the wheel rewrote its handle list leaves the file empty or cut;
    the next start begins a fresh list (the wheel alone fails with a JSONDecodeError), and the
    server still stops with its last process."""
    var_dir = tmp_path / "var"
    first, _, _ = start(var_dir)
    first.send_signal(signal.SIGINT)
    first.wait(timeout=30)
    handles = var_dir / "pgdata" / ".handle_pids.json"
    handles.write_text(left)

    a_second_start_registers_alone_and_stops_the_server(var_dir, handles)


def a_second_start_registers_alone_and_stops_the_server(var_dir: Path, handles: Path) -> None:
    second, _, _ = start(var_dir)
    server_pid = postmaster_pid(var_dir / "pgdata")
    assert json.loads(handles.read_text()) == [second.pid]
    second.send_signal(signal.SIGINT)
    second.wait(timeout=30)
    deadline = time.monotonic() + 15
    while psutil.pid_exists(server_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not psutil.pid_exists(server_pid)
