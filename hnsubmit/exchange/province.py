"""The office's operations for a deployment beyond one machine: the schema migration of a PostgreSQL database
(`admin migrate`) and moving a whole exchange between a data folder and PostgreSQL + S3 (`admin export` /
`admin import`), verified by re-hashing every blob at the destination and comparing every table's row count.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from hnsubmit.errors import ConfigError, UsageError
from hnsubmit.exchange.context import default_data_dir, resolve_locations
from hnsubmit.exchange.serverconfig import load_server_config
from hnsubmit.exchange.store.locations import Locations, check, open_blobs, open_storage, require_client
from hnsubmit.exchange.store.transfer import copy_with

Progress = Callable[[int, int, str], None]
_CHUNK = 1 << 20


def _here(data: Path | None, db: str | None = None) -> tuple[Path, Locations]:
    configured = load_server_config(None)
    data_dir = data or (Path(configured["data"]) if "data" in configured else default_data_dir())
    return data_dir, resolve_locations(data_dir, db, None, configured)


def migrate_schema(data: Path | None, db: str | None) -> tuple[int, list[tuple[int, str]]]:
    """Apply the missing schema steps; (version now, steps applied)."""
    _data_dir, loc = _here(data, db)
    if loc.db_kind == "sqlite":
        from hnsubmit.exchange.store.sqlite import SCHEMA_VERSION

        open_storage(loc.db).close()  # a SQLite file takes its steps when opened
        return SCHEMA_VERSION, []
    require_client(("psycopg", "psycopg_pool"), "PostgreSQL")
    from hnsubmit.exchange.store.postgres import SCHEMA_VERSION, migrate

    applied = migrate(loc.db)
    return SCHEMA_VERSION, applied


@dataclass
class TransferReport:
    rows: dict[str, int] = field(default_factory=dict)
    blobs: int = 0
    blob_bytes: int = 0


def _open(loc: Locations):
    if loc.db_kind != "sqlite":
        require_client(("psycopg", "psycopg_pool"), "PostgreSQL")
        from hnsubmit.exchange.store.postgres import migrate

        migrate(loc.db)  # an empty database gets the schema; one of another version is refused
    storage = open_storage(loc.db)
    try:
        return storage, open_blobs(loc.blobs)
    except BaseException:
        storage.close()
        raise


def _empty(storage, blobs, where: str) -> None:
    if storage.list_tokens() or storage.list_units() or next(iter(blobs.digests()), None) is not None:
        raise UsageError("The destination {where} is not empty: export and import fill an empty store only.",
                         where=where)


def _copy_blob(src_blobs, dst_blobs, digest: str) -> int:
    upload_id = "u_" + secrets.token_hex(16)
    dst_blobs.start(upload_id)
    appender = dst_blobs.appender(upload_id, 0)
    try:
        with src_blobs.open(digest) as f:
            while chunk := f.read(_CHUNK):
                appender.write(chunk)
        appender.commit()
    except BaseException:
        appender.abort()
        dst_blobs.discard(upload_id)
        raise
    actual, size = dst_blobs.finish(upload_id, digest)  # the destination checks what it received
    if actual != digest:
        raise ConfigError("The blob {digest} read from the source hashes to {actual}: run `hnsubmit admin fsck` "
                          "on the source first.", digest=digest, actual=actual)
    return size


def _rehash(blobs, digest: str) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    with blobs.open(digest) as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
            n += len(chunk)
    return "sha256:" + h.hexdigest(), n


def transfer(data: Path | None, db: str, blobs: str, outward: bool, progress: Progress | None = None) -> TransferReport:
    """outward: this exchange → (db, blobs); else (db, blobs) → this exchange. The destination must be empty."""
    _data_dir, here = _here(data)
    there = check(Locations(db, blobs))
    src_loc, dst_loc = (here, there) if outward else (there, here)
    if src_loc == dst_loc:
        raise UsageError("The source and the destination are the same store.")
    src_storage, src_blobs = _open(src_loc)
    try:
        dst_storage, dst_blobs = _open(dst_loc)
        try:
            _empty(dst_storage, dst_blobs, dst_loc.shown())
            report = TransferReport()
            refs = {digest: size for _unit, digest, size in src_storage.blob_refs()}
            digests = sorted(set(src_blobs.digests()))
            for i, digest in enumerate(digests):
                report.blob_bytes += _copy_blob(src_blobs, dst_blobs, digest)
                if progress is not None:
                    progress(i + 1, len(digests), digest)
            copied, before, after = copy_with(src_storage, dst_storage)
            mismatched = {t: (before[t], after[t]) for t in copied if before[t] != after[t] or copied[t] != before[t]}
            if mismatched:
                table, (a, b) = next(iter(mismatched.items()))
                raise ConfigError("After the copy, table {table} has {source} rows in the source and {dest} at the "
                                  "destination.", table=table, source=a, dest=b)
            for digest in digests:
                actual, size = _rehash(dst_blobs, digest)
                if actual != digest or (digest in refs and size != refs[digest]):
                    raise ConfigError("After the copy, the blob {digest} at the destination hashes to {actual}.",
                                      digest=digest, actual=actual)
                report.blobs += 1
            report.rows = copied
            return report
        finally:
            dst_storage.close()
    finally:
        src_storage.close()
