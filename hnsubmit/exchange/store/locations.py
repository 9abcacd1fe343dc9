"""Where an exchange keeps its metadata and its blobs, spelled as URLs, and the stores they open.

  --db     sqlite:///PATH/exchange.sqlite3   (the embedded default)  |  postgresql://USER@HOST:PORT/DB
  --blobs  file:///PATH                      (the embedded default)  |  s3://BUCKET/PREFIX?endpoint=URL&region=R

`--data DIR` stays the short spelling of sqlite:///DIR/exchange.sqlite3 + file:///DIR. Secrets never go into
these URLs: PostgreSQL reads its password from PGPASSWORD or ~/.pgpass (libpq), S3 its keys from
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the other places boto3 looks).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from hnsubmit.errors import UsageError
from hnsubmit.i18n import N_

DB_FILE = "exchange.sqlite3"


@dataclass(frozen=True)
class Locations:
    db: str
    blobs: str

    @classmethod
    def of_data_dir(cls, data_dir: Path) -> "Locations":
        root = Path(data_dir).absolute()
        return cls(f"sqlite://{(root / DB_FILE).as_posix()}", f"file://{root.as_posix()}")

    @property
    def db_kind(self) -> str:
        return urlsplit(self.db).scheme.split("+")[0]

    @property
    def blobs_kind(self) -> str:
        return urlsplit(self.blobs).scheme

    @property
    def shared(self) -> bool:
        """Both on servers several instances can share (PostgreSQL and S3)."""
        return self.db_kind in ("postgresql", "postgres") and self.blobs_kind == "s3"

    def shown(self) -> str:
        from hnsubmit.exchange.store.postgres import _redact

        return f"{_redact(self.db)} + {self.blobs}"


def sqlite_path(url: str) -> Path:
    parts = urlsplit(url)
    path = unquote(parts.path)
    if parts.scheme != "sqlite" or parts.netloc or not path:
        raise UsageError("Not a database URL this server knows: {url}", url=url,
                         hint="sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE")
    return Path(path)


def file_path(url: str) -> Path:
    parts = urlsplit(url)
    path = unquote(parts.path)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost") or not path:
        raise UsageError("Not a blob store URL this server knows: {url}", url=url,
                         hint="file:///PATH or s3://BUCKET/PREFIX?endpoint=URL")
    return Path(path)


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str
    endpoint: str | None
    region: str | None


def s3_location(url: str) -> S3Location:
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = set(query) - {"endpoint", "region"}
    if parts.scheme != "s3" or not parts.netloc or unknown or parts.username or parts.password:
        raise UsageError("Not a blob store URL this server knows: {url}", url=url.split("@")[-1],
                         hint="s3://BUCKET/PREFIX?endpoint=URL&region=R (the keys go in AWS_ACCESS_KEY_ID and "
                              "AWS_SECRET_ACCESS_KEY, never in the URL)")
    return S3Location(parts.netloc, parts.path.strip("/"), query.get("endpoint"), query.get("region"))


def check(loc: Locations) -> Locations:
    """Refuse a URL of an unknown kind before anything is opened."""
    if loc.db_kind == "sqlite":
        sqlite_path(loc.db)
    elif loc.db_kind not in ("postgresql", "postgres"):
        raise UsageError("Not a database URL this server knows: {url}", url=loc.db.split("@")[-1],
                         hint="sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE")
    if loc.blobs_kind == "file":
        file_path(loc.blobs)
    else:
        s3_location(loc.blobs)
    return loc


def require_client(modules: tuple[str, ...], what: str) -> None:
    """A store whose client library is not installed: say which extra brings it (exit 2), not an ImportError."""
    import importlib.util

    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise UsageError("{what} needs packages this install of hnsubmit leaves out (missing: {modules}).",
                         hint=N_('Install the province extra: pip install "hnsubmit[server,province]".'),
                         what=what, modules=", ".join(missing))


def open_storage(url: str):
    """The Storage a URL names (a PostgreSQL one checks its schema version and refuses another)."""
    if urlsplit(url).scheme == "sqlite":
        from hnsubmit.exchange.store.sqlite import SqliteStorage

        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteStorage(path)
    require_client(("psycopg", "psycopg_pool"), "PostgreSQL")
    from hnsubmit.exchange.store.postgres import PostgresStorage

    return PostgresStorage(url)


def open_blobs(url: str):
    if urlsplit(url).scheme == "file":
        from hnsubmit.exchange.store.blobs import LocalBlobStore

        return LocalBlobStore(file_path(url))
    require_client(("boto3",), "S3")
    from hnsubmit.exchange.store.s3 import S3BlobStore

    loc = s3_location(url)
    return S3BlobStore(loc.bucket, loc.prefix, loc.endpoint, loc.region)
