"""Real database and object-store servers for the tests: a private PostgreSQL cluster (initdb + pg_ctl from the
binaries Debian's `postgresql` package installs, which .ci/run installs) and moto's S3 server (PyPI `moto[server]`,
in the test extra) on 127.0.0.1, each on a free port, each gone when the test session ends.

PostgreSQL refuses to run as root, and CI runs as root: the cluster then runs as the `postgres` user Debian's
package creates (or `nobody`), in a folder that user owns. When the binaries or moto are missing, `skip_reason()`
says which, and the engine tests skip with that one reason.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

MOTO_KEY = "testing-key"
MOTO_SECRET = "testing-secret"  # moto accepts any credentials; these are not secrets
REGION = "us-east-1"


def pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def skip_reason() -> str | None:
    """None when both engines can be started here, else the one reason the engine tests skip."""
    if pg_bindir() is None:
        return "PostgreSQL binaries absent (apt-get install postgresql, as .ci/run does)"
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed (the province and test extras): pip install -e '.[server,test,province]'"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_user() -> tuple[list[str], str | None]:
    """The command prefix that runs PostgreSQL's tools as a non-root user, and that user (None: ourselves)."""
    if os.geteuid() != 0:
        return [], None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"], name
    raise RuntimeError("running as root and no postgres or nobody user to run PostgreSQL as")


@dataclass
class Postgres:
    root: Path
    port: int
    prefix: list[str] = field(default_factory=list)
    _made: int = 0

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://hnsubmit@127.0.0.1:{self.port}/{dbname}"

    def psql(self, sql: str, dbname: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(dbname), autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, migrated: bool = True) -> str:
        """A fresh database's URL: a copy of the migrated template (fast), or empty (schema version 0)."""
        name = f"t_{os.getpid()}_{secrets.token_hex(4)}"
        template = "hn_template" if migrated else "template0"
        self.psql(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.url(name)

    def stop(self) -> None:
        subprocess.run([*self.prefix, str(pg_bindir() / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate",
                        "stop"], capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


def start_postgres() -> Postgres:
    bindir = pg_bindir()
    prefix, user = _as_user()
    root = Path(tempfile.mkdtemp(prefix="hnsubmit-pg-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    data = root / "data"
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "hnsubmit", "--auth=trust", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True)
    port = free_port()
    # fsync off: a test cluster dies with the session; the durability the store relies on is PostgreSQL's own
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " \
           "-c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB"
    done = subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-o", opts,
                           "-w", "-t", "60", "start"], capture_output=True, text=True)
    if done.returncode != 0:
        log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {done.stdout}{done.stderr}{log}")
    pg = Postgres(root, port, prefix)
    pg.psql("CREATE DATABASE hn_template")
    from hnsubmit.exchange.store.postgres import migrate

    migrate(pg.url("hn_template"))
    return pg


@dataclass
class S3Server:
    proc: subprocess.Popen
    port: int
    _n: int = 0

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {"AWS_ACCESS_KEY_ID": MOTO_KEY, "AWS_SECRET_ACCESS_KEY": MOTO_SECRET, "AWS_DEFAULT_REGION": REGION}

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=MOTO_KEY,
                            aws_secret_access_key=MOTO_SECRET, region_name=REGION)

    def new_bucket(self) -> str:
        name = f"hn-{os.getpid()}-{secrets.token_hex(4)}"
        self.client().create_bucket(Bucket=name)
        return name

    def url(self, bucket: str, prefix: str = "exchange") -> str:
        return f"s3://{bucket}/{prefix}?endpoint={self.endpoint}&region={REGION}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def start_s3() -> S3Server:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("moto's S3 server did not start")
            time.sleep(0.1)
    return S3Server(proc, port)


class _Shared:
    """The engines of this test process, started on first use and stopped when it exits (HNSUBMIT_TEST_STORE)."""

    def __init__(self) -> None:
        import atexit

        reason = skip_reason()
        if reason:
            raise RuntimeError(f"HNSUBMIT_TEST_STORE=province, but: {reason}")
        self.pg = start_postgres()
        self.s3 = start_s3()
        atexit.register(self.s3.stop)
        atexit.register(self.pg.stop)

    def fresh_store(self) -> dict:
        return store_of(self.pg, self.s3)


def store_of(pg: Postgres, s3: S3Server) -> dict:
    """A fresh database and bucket, as start_server's `store`."""
    return {"db": pg.new_database(), "blobs": s3.url(s3.new_bucket()), "env": s3.env()}


_SHARED: _Shared | None = None


def shared() -> _Shared:
    global _SHARED
    if _SHARED is None:
        _SHARED = _Shared()
    return _SHARED
