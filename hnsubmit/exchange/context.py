"""One exchange data directory opened: its metadata store, its blob store and the office's policy."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hnsubmit.errors import ConfigError
from hnsubmit.i18n import N_
from hnsubmit.exchange.store.blobs import LocalBlobStore
from hnsubmit.exchange.store.locations import Locations, check, open_blobs, open_storage, sqlite_path
from hnsubmit.exchange.seed import apply_seed, load_seed
from hnsubmit.exchange.store.sqlite import SqliteStorage
from hnsubmit.exchange.store.storage import BlobStore, DuplicateKey, Storage
from hnsubmit.policy.model import Policy, default_policy

SESSION_LIFETIME = timedelta(days=7)


def default_data_dir() -> Path:
    """HNSUBMIT_EXCHANGE_DATA, else `exchange/` in the user's data directory."""
    import os

    from hnsubmit.config import data_dir

    return Path(os.environ.get("HNSUBMIT_EXCHANGE_DATA") or data_dir() / "exchange")


DB_VARIABLE = "HNSUBMIT_EXCHANGE_DB"
BLOBS_VARIABLE = "HNSUBMIT_EXCHANGE_BLOBS"


def resolve_locations(data_dir: Path, db: str | None = None, blobs: str | None = None,
                      configured: dict | None = None) -> Locations:
    """Where the metadata and the blobs are: each from the flag, else HNSUBMIT_EXCHANGE_DB / _BLOBS, else the
    server config file, else the data directory (sqlite:///DIR/exchange.sqlite3, file:///DIR)."""
    import os

    default = Locations.of_data_dir(data_dir)
    configured = configured or {}
    return check(Locations(
        db or os.environ.get(DB_VARIABLE) or configured.get("db") or default.db,
        blobs or os.environ.get(BLOBS_VARIABLE) or configured.get("blobs") or default.blobs,
    ))


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Exchange:
    data_dir: Path
    storage: Storage
    blobs: BlobStore
    policy: Policy

    def close(self) -> None:
        self.storage.close()

    def max_blob_bytes(self) -> int:
        # the server cannot know a blob's format before it has the bytes: the largest limit applies
        return max(self.policy.limits.max_bytes.values(), default=0)


def open_exchange(data_dir: Path, policy: Policy | None = None, seed_file: Path | None = None,
                  create: bool = True, locations: Locations | None = None) -> Exchange:
    """Open (creating if needed) a data directory; an empty one gets the seed units and columns.

    With create=False (admin, review, report) a folder holding no exchange is refused: a token issued
    into a fresh empty folder would be unknown to the running server. `locations` (serve --db/--blobs)
    puts the metadata and the blobs elsewhere (PostgreSQL, S3); `data_dir` then holds only local caches."""
    data_dir = Path(data_dir)
    if locations is not None and locations != Locations.of_data_dir(data_dir):
        return _open_located(data_dir, policy, seed_file, create, check(locations))
    if not create and not (data_dir / "exchange.sqlite3").is_file():
        raise ConfigError(
            "The folder {path} holds no exchange data.",
            hint=N_("Point at the server's data folder with --data DIR or the variable HNSUBMIT_EXCHANGE_DATA "
                    "(`hnsubmit serve` prints it when it starts: data: …)."),
            path=str(data_dir),
        )
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        storage = SqliteStorage(data_dir / "exchange.sqlite3")
        blobs = LocalBlobStore(data_dir)
    except (OSError, sqlite3.Error) as exc:
        raise ConfigError("The exchange data directory {path} cannot be used: {problem}", path=str(data_dir),
                          problem=str(exc)) from None
    if not storage.list_units():
        apply_seed(storage, load_seed(seed_file))
    ex = Exchange(data_dir, storage, blobs, policy or default_policy())
    drop_stale_uploads(ex)
    return ex


def _open_located(data_dir: Path, policy: Policy | None, seed_file: Path | None, create: bool,
                  loc: Locations) -> Exchange:
    if loc.db_kind == "sqlite" and not create and not sqlite_path(loc.db).is_file():
        raise ConfigError("The database {path} holds no exchange data.", path=str(sqlite_path(loc.db)))
    storage = None
    try:
        storage = open_storage(loc.db)
        blobs = open_blobs(loc.blobs)
        data_dir.mkdir(parents=True, exist_ok=True)
    except (OSError, sqlite3.Error) as exc:
        if storage is not None:
            storage.close()
        raise ConfigError("The exchange storage {where} cannot be used: {problem}", where=loc.shown(),
                          problem=str(exc)) from None
    except BaseException:
        if storage is not None:
            storage.close()
        raise
    if create and not storage.list_units():
        try:
            apply_seed(storage, load_seed(seed_file))
        except DuplicateKey:
            pass  # another instance seeded the shared database in the meantime
    ex = Exchange(data_dir, storage, blobs, policy or default_policy())
    drop_stale_uploads(ex)
    return ex


def drop_stale_uploads(ex: Exchange, now: datetime | None = None) -> int:
    """Sessions idle longer than SESSION_LIFETIME go, so abandoned uploads cannot fill the disk."""
    stale = ex.storage.stale_uploads((now or utcnow()) - SESSION_LIFETIME)
    for upload in stale:
        ex.blobs.discard(upload.upload_id)
        ex.storage.delete_upload(upload.upload_id)
    return len(stale)
