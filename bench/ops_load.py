"""``python -m bench.ops_load``: what clients see while the database goes away and comes back.

Bounded and local only: it serves the app with gunicorn (factcheck/gunicorn.conf.py, 2 workers ×
2 threads) on 127.0.0.1, puts a small TCP relay between the app and the PostgreSQL server of
``DATABASE_URL`` (which must be on this machine and migrated: ``make migrate``), and sends at most
``--requests`` requests per phase from at most 8 client threads, alternating an API list and the
public home page. Phases:

1. ``healthy`` — the relay forwards;
2. ``stalled`` — the relay keeps the open connections but forwards nothing more, and new ones are
   accepted and never answered (a hung server): requests end at ``DATABASE_REQUEST_DEADLINE``;
3. ``down`` — the relay drops every open connection and refuses new ones (server stopped);
4. ``silent`` — the relay accepts connections and never answers (a black hole);
5. ``recovered`` — the relay forwards again; nothing is restarted.

It prints one markdown table: statuses, Retry-After, median / p95 / max latency per phase.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.local_server import free_port, local_database_url, wait_ready

BASE_DIR = Path(__file__).resolve().parent.parent
PATHS = ["/api/v1/claims/?page_size=5", "/"]
MAX_CLIENTS = 8
MAX_REQUESTS = 2000


class Relay:
    """A TCP relay 127.0.0.1:port → upstream whose mode can be switched: forward, stalled, down,
    silent."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.mode = "forward"
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def set_mode(self, mode: str) -> None:
        with self.lock:
            self.mode = mode
            if mode in {"down", "silent"}:  # the server went away: every open connection breaks
                for sock in self.open:
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
                self.open.clear()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            with self.lock:
                mode = self.mode
                if mode == "down":
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    client.close()  # linger 0: a reset, as from a stopped server
                    continue
                self.open.append(client)
            if mode == "forward":
                threading.Thread(target=self._forward, args=(client,), daemon=True).start()

    def _forward(self, client: socket.socket) -> None:
        try:
            server = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            client.close()
            return
        server.settimeout(None)
        with self.lock:
            self.open.append(server)
        threading.Thread(target=self._pump, args=(server, client), daemon=True).start()
        self._pump(client, server)

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if self.mode == "forward":  # stalled: swallowed, never answered
                    target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.close()


def request(base: str, path: str) -> tuple[int, float, str | None]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base + path, timeout=40) as response:  # noqa: S310 - 127.0.0.1
            response.read()
            status, retry = response.status, response.headers.get("Retry-After")
    except urllib.error.HTTPError as error:
        error.read()
        status, retry = error.code, error.headers.get("Retry-After")
    except OSError:
        status, retry = 0, None  # no answer at all (connection reset or client time-out)
    return status, time.monotonic() - started, retry


def run_phase(base: str, requests: int, clients: int) -> dict:
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(lambda n: request(base, PATHS[n % len(PATHS)]), range(requests)))
    latencies = sorted(latency for _, latency, _ in results)
    return {
        "statuses": Counter(status for status, _, _ in results),
        "retry_after": sorted({retry for _, _, retry in results if retry}),
        "median": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "max": latencies[-1],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ops_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help=f"requests per phase (<= {MAX_REQUESTS})")
    parser.add_argument("--clients", type=int, default=8, help=f"client threads (<= {MAX_CLIENTS})")
    parser.add_argument("--connect-timeout", type=int, default=2, help="DATABASE_CONNECT_TIMEOUT (s)")
    parser.add_argument("--deadline", type=int, default=5, help="DATABASE_REQUEST_DEADLINE (s)")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= MAX_REQUESTS or not 1 <= args.clients <= MAX_CLIENTS:
        parser.error(f"--requests must be 1..{MAX_REQUESTS} and --clients 1..{MAX_CLIENTS}")
    url = local_database_url()

    relay = Relay((url.hostname, url.port or 5432))
    relayed = url._replace(netloc=url.netloc.rsplit("@", 1)[0] + f"@127.0.0.1:{relay.port}").geturl()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": relayed, "PORT": str(port), "HOST": "127.0.0.1",
           "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "2", "DJANGO_DEBUG": "0",
           "DATABASE_CONNECT_TIMEOUT": str(args.connect_timeout),
           "DATABASE_REQUEST_DEADLINE": str(args.deadline),
           "FACTCHECK_THROTTLE_ANON": "1000000/min", "DJANGO_LOG_LEVEL": "CRITICAL"}
    log = (BASE_DIR / "var" / "ops_load.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn and configuration
        [sys.executable, "-m", "gunicorn", "-c", "factcheck/gunicorn.conf.py",
         "--access-logfile", "/dev/null", "factcheck.wsgi"], cwd=BASE_DIR, env=env, stdout=log, stderr=log)
    rows = []
    try:
        wait_ready(lambda: request(base, "/readyz")[0] == 200, process, seconds=90,
                   log="var/ops_load.log")
        for name, mode in (("healthy", "forward"), ("stalled", "stalled"), ("down", "down"),
                           ("silent", "silent"), ("recovered", "forward")):
            relay.set_mode(mode)
            if name == "recovered":
                time.sleep(1)
            # A silent or stalled server costs each request a time-out: fewer requests keep it short.
            count = min(args.requests, 40) if mode in {"silent", "stalled"} else args.requests
            print(f"phase {name}: {count} requests ...", file=sys.stderr, flush=True)
            rows.append((name, count, run_phase(base, count, args.clients)))
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()

    print(f"{args.clients} clients, 2 gunicorn workers × 2 threads, DATABASE_CONNECT_TIMEOUT="
          f"{args.connect_timeout}, DATABASE_REQUEST_DEADLINE={args.deadline} (log: var/ops_load.log)\n")
    print("| phase | requests | statuses | Retry-After | median | p95 | max |")
    print("|---|---|---|---|---|---|---|")
    for name, count, result in rows:
        statuses = ", ".join(f"{count} × {status or 'no answer'}"
                             for status, count in sorted(result["statuses"].items()))
        timings = " | ".join(f"{result[key] * 1000:.0f} ms" for key in ("median", "p95", "max"))
        print(f"| {name} | {count} | {statuses} | {', '.join(result['retry_after']) or '—'} | {timings} |")


if __name__ == "__main__":
    main()
