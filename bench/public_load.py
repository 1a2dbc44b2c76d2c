"""``python -m bench.public_load``: public pages from the page cache under `make serve`'s gunicorn,
side by side with a static file served by the same server (the floor).

Bounded and local only. It prepares the database of ``DATABASE_URL`` (a PostgreSQL server on this
machine; use a database of its own, e.g. ``fc_bench_public``): migrate, cache table, the demo data
when it has no claim, collectstatic. Then it starts gunicorn exactly as ``make serve`` does
(factcheck/gunicorn.conf.py: workers and threads from the CPU count, JSON access log — sent to
/dev/null here), warms the cache, and loads three URLs one after the other for ``--seconds`` each
with ``--connections`` keep-alive connections: a static file, a cached claim page, the cached home
page and an API claim detail (``--replica-url``: the app reads from that streaming standby).
``wrk`` is used when installed (``apt-get install wrk``: it costs far less CPU than a Python
client on the same machine), else a Python client (threads, ``http.client`` keep-alive).

It prints one markdown table: requests/s, latency, and the ratio to the static floor.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.local_server import free_port, local_database_url, wait_ready

BASE_DIR = Path(__file__).resolve().parent.parent
STATIC_PATH = "/static/factcheck/site.css"
MAX_SECONDS = 60
MAX_CONNECTIONS = 64


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def prepare(env: dict) -> None:
    manage("migrate", "--noinput", "-v0", env={**env, "DATABASE_STATEMENT_TIMEOUT": "0"})
    manage("createcachetable", env=env)
    # Django's shell announces its automatic imports on stdout: the answer is the last line (a
    # database of its own with claims — the benchmark's 1,000,000 — must not get the demo too).
    has_claims = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from claims.models import Claim; print(Claim.objects.exists())"],
        cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True).stdout.split()
    if has_claims[-1:] != ["True"]:
        manage("load_demo", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""
    finally:
        connection.close()


def run_wrk(port: int, path: str, seconds: int, connections: int) -> dict:
    output = subprocess.run(  # noqa: S603
        [shutil.which("wrk"), "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
         f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    latency = {p: re.search(rf"^\s+{p}%\s+(\S+)", output, re.M).group(1) for p in ("50", "99")}
    return {"rate": rate, "p50": latency["50"], "p99": latency["99"],
            "errors": int(non_2xx.group(1)) if non_2xx else 0}


def run_python(port: int, path: str, seconds: int, connections: int) -> dict:
    """Each thread sends requests on one keep-alive connection until the time is up."""
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                ok = False
            mine.append(time.perf_counter() - started)
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {"rate": len(latencies) / elapsed,
            "p50": f"{latencies[len(latencies) // 2] * 1000:.1f}ms",
            "p99": f"{latencies[int(0.99 * (len(latencies) - 1))] * 1000:.1f}ms", "errors": errors[0]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.public_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help=f"per URL (<= {MAX_SECONDS})")
    parser.add_argument("--connections", type=int, default=16,
                        help=f"keep-alive connections (<= {MAX_CONNECTIONS})")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--no-prepare", action="store_true", help="skip migrate / demo / collectstatic")
    parser.add_argument("--replica-url", default="",
                        help="DATABASE_REPLICA_URLS for the server (a streaming standby of DATABASE_URL)")
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= MAX_SECONDS or not 1 <= args.connections <= MAX_CONNECTIONS:
        parser.error(f"--seconds must be 1..{MAX_SECONDS} and --connections 1..{MAX_CONNECTIONS}")
    local_database_url()
    client = args.client if args.client != "auto" else ("wrk" if shutil.which("wrk") else "python")
    load = run_wrk if client == "wrk" else run_python

    port = free_port()
    # The API's anonymous throttle keeps counting (its cache read and write are part of the cost)
    # with a rate the load cannot reach, as in `python -m bench`.
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "DJANGO_DEBUG": "0",
           "FACTCHECK_THROTTLE_ANON": "1000000/s",
           "FACTCHECK_SITE_URL": f"http://127.0.0.1:{port}", "DJANGO_LOG_LEVEL": "WARNING"}
    if not args.no_prepare:
        prepare(env)
    if args.replica_url:
        env["DATABASE_REPLICA_URLS"] = args.replica_url
    (BASE_DIR / "var").mkdir(exist_ok=True)
    log = (BASE_DIR / "var" / "public_load.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn and configuration, as `make serve`
        [sys.executable, "-m", "gunicorn", "-c", "factcheck/gunicorn.conf.py", "factcheck.wsgi"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_ready(lambda: get(port, "/readyz")[0] == 200, process, seconds=120,
                   log="var/public_load.log")
        status, home = get(port, "/")
        match = re.search(rb'href="(/claims/[\w-]+/)"', home)
        if status != 200 or not match:
            sys.exit("the home page lists no claim")
        status, body = get(port, "/api/v1/claims/?page_size=1")
        claim_id = re.search(rb'"id"\s*:\s*(\d+)', body)
        if status != 200 or not claim_id:
            sys.exit("the API lists no claim")
        targets = [("static file (floor)", STATIC_PATH), ("cached claim page", match.group(1).decode()),
                   ("cached home page", "/"),
                   ("API claim detail", f"/api/v1/claims/{claim_id.group(1).decode()}/")]
        for _, path in targets:  # warm the page cache (and every worker's imports)
            for _ in range(4):
                assert get(port, path)[0] == 200, path
        results = []
        for name, path in targets:
            print(f"{name}: {path} for {args.seconds}s ...", file=sys.stderr, flush=True)
            results.append((name, path, load(port, path, args.seconds, args.connections)))
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    floor = results[0][2]["rate"]
    from factcheck.serving import thread_count, worker_count

    print(f"\n{client}, {args.connections} keep-alive connections, {args.seconds} s per URL, gunicorn "
          f"{worker_count()} workers × {thread_count()} threads, {os.cpu_count()} CPUs, "
          f"{'reads from the replica, ' if args.replica_url else ''}"
          f"1-minute load average at the end: {os.getloadavg()[0]:.1f}\n")
    print("| URL | requests/s | p50 | p99 | errors | ratio to the static floor |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, path, result in results:
        print(f"| {name} `{path}` | {result['rate']:.0f} | {result['p50']} | {result['p99']} | "
              f"{result['errors']} | {result['rate'] / floor:.2f} |")


if __name__ == "__main__":
    main()
