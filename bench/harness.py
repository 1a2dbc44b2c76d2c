"""Serving and measuring: a real gunicorn on 127.0.0.1, a keep-alive HTTP client, the statistics.

Each scenario is a list of request pairs (the app's URL, its floor's URL). In every round the
pairs are sent alternately — app then floor, floor then app on the next pair — so drift on a
shared machine hits both sides alike. A ratio is the app's median over the floor's median in one
round; the report gives the median ratio and its range over the rounds (docs/benchmarks.md,
"Method").
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from bench.middleware import QUERY_COUNT_HEADER

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class BenchServer:
    """gunicorn serving bench.wsgi (the app and the floors) on 127.0.0.1, one worker, one thread:
    requests are sequential, so a single worker measures latency without queueing."""

    def __init__(self, *, env: dict[str, str], log: Callable[[str], None] = print):
        self.port = free_port()
        self.env = env
        self.log = log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> BenchServer:
        command = [
            sys.executable, "-m", "gunicorn", "bench.wsgi:application",
            "--bind", f"{HOST}:{self.port}", "--workers", "1", "--worker-class", "gthread",
            "--threads", "1", "--keep-alive", "60", "--log-level", "warning", "--chdir", str(BASE_DIR),
        ]
        self.process = subprocess.Popen(command, env=self.env, cwd=BASE_DIR)  # noqa: S603 (our argv)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with socket.create_connection((HOST, self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start listening within 60 s")
        self.log(f"server: gunicorn pid {self.process.pid} on http://{HOST}:{self.port}/")
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Response:
    status: int
    seconds: float
    queries: int | None
    body: bytes


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects if the server closed it."""

    def __init__(self, port: int, *, headers: dict[str, str] | None = None):
        self.port = port
        self.headers = {"Accept": "application/json", **(headers or {})}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)

    def get(self, path: str) -> Response:
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request("GET", path, headers=self.headers)
                response = self.connection.getresponse()
                body = response.read()
            except (http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine):
                self.connection.close()
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
                if attempt == 2:
                    raise
                continue
            seconds = time.perf_counter() - started
            queries = response.getheader(QUERY_COUNT_HEADER)
            return Response(response.status, seconds, int(queries) if queries else None, body)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()


@dataclass
class Scenario:
    name: str
    description: str
    pairs: list[tuple[str, str]]  # (app path, floor path)


@dataclass
class SideStats:
    seconds: list[float] = field(default_factory=list)
    round_medians: list[float] = field(default_factory=list)
    queries: set[int] = field(default_factory=set)
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.seconds, 95) * 1000

    @property
    def all_ok(self) -> bool:
        return all(200 <= status < 300 for status in self.statuses)


@dataclass
class ScenarioResult:
    scenario: Scenario
    app: SideStats = field(default_factory=SideStats)
    floor: SideStats = field(default_factory=SideStats)
    mismatches: list[str] = field(default_factory=list)
    comparisons: int = 0

    @property
    def ratios(self) -> list[float]:
        return [a / f for a, f in zip(self.app.round_medians, self.floor.round_medians, strict=True)]

    @property
    def ratio_median(self) -> float:
        return statistics.median(self.ratios)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def same_json(app_body: bytes, floor_body: bytes) -> str | None:
    """None when both bodies parse to the same JSON value, else a short description."""
    try:
        app, floor = orjson.loads(app_body), orjson.loads(floor_body)
    except orjson.JSONDecodeError as error:
        return f"unparseable body: {error}"
    if app == floor:
        return None
    return first_difference(app, floor) or "bodies differ"


def first_difference(app, floor, path: str = "$") -> str | None:
    if type(app) is not type(floor):
        return (f"{path}: app {type(app).__name__} {str(app)[:80]!r} "
                f"vs floor {type(floor).__name__} {str(floor)[:80]!r}")
    if isinstance(app, dict):
        if app.keys() != floor.keys():
            return (f"{path}: keys differ: app only {sorted(app.keys() - floor.keys())}, "
                    f"floor only {sorted(floor.keys() - app.keys())}")
        for key in app:
            found = first_difference(app[key], floor[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(app, list):
        if len(app) != len(floor):
            return f"{path}: app has {len(app)} items, floor {len(floor)}"
        for i, (a, f) in enumerate(zip(app, floor, strict=True)):
            found = first_difference(a, f, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if app == floor else f"{path}: app {app!r:.80} vs floor {floor!r:.80}"


def measure(
    client: Client, scenarios: list[Scenario], *, rounds: int, requests: int,
    log: Callable[[str], None] = print,
) -> list[ScenarioResult]:
    """Warm every URL up, then run ``rounds`` rounds of ``requests`` request pairs per scenario.

    Every distinct pair is compared (parsed JSON, app against floor) once per round and during
    the warm-up; every response's status and query count is recorded.
    """
    results = [ScenarioResult(scenario) for scenario in scenarios]
    for result in results:
        for app_path, floor_path in result.scenario.pairs:
            for _ in range(2):
                _record_pair(client, result, app_path, floor_path, compare=True, timed=False, app_first=True)
    for round_number in range(rounds):
        for result in results:
            app_round, floor_round = [], []
            pairs = result.scenario.pairs
            compared: set[int] = set()
            for i in range(requests):
                index = i % len(pairs)
                app_path, floor_path = pairs[index]
                app_seconds, floor_seconds = _record_pair(
                    client, result, app_path, floor_path, compare=index not in compared, timed=True,
                    app_first=(i + round_number) % 2 == 0,
                )
                compared.add(index)
                app_round.append(app_seconds)
                floor_round.append(floor_seconds)
            result.app.round_medians.append(statistics.median(app_round))
            result.floor.round_medians.append(statistics.median(floor_round))
            log(
                f"round {round_number + 1}/{rounds} {result.scenario.name:<10} "
                f"app {statistics.median(app_round) * 1000:7.2f} ms  "
                f"floor {statistics.median(floor_round) * 1000:7.2f} ms  "
                f"ratio {statistics.median(app_round) / statistics.median(floor_round):5.2f}"
            )
    return results


def _record_pair(client, result, app_path, floor_path, *, compare, timed, app_first):
    order = [("app", app_path), ("floor", floor_path)]
    if not app_first:
        order.reverse()
    responses = {}
    for side, path in order:
        responses[side] = client.get(path)
    for side in ("app", "floor"):
        response, stats = responses[side], getattr(result, side)
        stats.statuses[response.status] = stats.statuses.get(response.status, 0) + 1
        if timed:
            stats.seconds.append(response.seconds)
            if response.queries is not None:
                stats.queries.add(response.queries)
    if compare:
        result.comparisons += 1
        problem = None
        if not (200 <= responses["app"].status < 300 and 200 <= responses["floor"].status < 300):
            problem = (f"status app {responses['app'].status} floor {responses['floor'].status}: "
                       f"{responses['app'].body[:200]!r} / {responses['floor'].body[:200]!r}")
        else:
            problem = same_json(responses["app"].body, responses["floor"].body)
        if problem and len(result.mismatches) < 20:
            result.mismatches.append(f"{app_path}: {problem}")
    return responses["app"].seconds, responses["floor"].seconds


def server_environment(database_name: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["BENCH_DATABASE_NAME"] = database_name
    env.pop("DJANGO_DEBUG", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BASE_DIR), env.get("PYTHONPATH")]))
    return env
