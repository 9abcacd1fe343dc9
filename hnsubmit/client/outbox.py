"""The outbox: a durable SQLite queue (WAL) of packages not yet acknowledged by the exchange.

Every package `push` sends is first copied here and recorded, so nothing is lost when the network,
the laptop or the process dies: `hnsubmit outbox retry` (or the next `push`) picks it up again and,
because the upload session ids are stored per blob, continues each upload from the server's offset.
One row per (endpoint, unit, package digest): the same package queued twice is one item.

A pushing process holds an OS file lock on the item (filelock); the OS releases it when the process
dies, so an item left in state "uploading" by a killed process is taken over on the next run while an
item another live process is sending is left alone.  Nothing in here ever holds a token.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from hnsubmit.errors import ConfigError, UsageError

STATES = ("queued", "uploading", "sent", "failed")
PENDING = ("queued", "uploading", "failed")
COPY_CHUNK = 1 << 20
MAX_ERROR_LENGTH = 2000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    source          TEXT NOT NULL,
    package         TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    size            INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL,
    endpoint        TEXT NOT NULL,
    unit            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'uploading', 'sent', 'failed')),
    manifest        TEXT,
    uploads         TEXT NOT NULL DEFAULT '{}',
    receipt         TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    bytes_sent      INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (endpoint, unit, sha256)
);
CREATE INDEX IF NOT EXISTS items_by_sha256 ON items (sha256);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_root() -> Path:
    """<user data dir>/outbox; the `outbox` setting (profile or HNSUBMIT_OUTBOX) overrides it in the command layer."""
    from hnsubmit.config import data_dir

    return data_dir() / "outbox"


def idempotency_key(package_sha256: str) -> str:
    """Derived from the package digest only: the same package always carries the same key, in any process."""
    return "hnsubmit-pkg-" + package_sha256


@dataclass(frozen=True)
class Item:
    id: int
    source: str
    package: Path
    sha256: str
    size: int
    idempotency_key: str
    endpoint: str
    unit: str
    state: str
    manifest: dict[str, Any] | None = None  # what will be posted, read from the package once
    uploads: dict[str, str] = field(default_factory=dict)  # blob digest -> upload session id
    receipt: dict[str, Any] | None = None
    attempts: int = 0
    last_error: str = ""
    bytes_sent: int = 0
    created_at: str = ""
    updated_at: str = ""

    @property
    def name(self) -> str:
        return Path(self.source).name or self.source

    def error_text(self, translate=lambda s: s) -> str:
        """The stored error in the reader's language (an error_record), or as stored (plain text)."""
        return describe_error(self.last_error, translate)


def error_record(exc: Any) -> str:
    """An error as stored in the outbox: its message id and arguments (JSON), so `outbox list` can show
    it in the reader's language; `text` is the English rendering, for anything that reads the column raw."""
    template = getattr(exc, "template", None)
    if not template:
        return str(exc)
    args = {k: v if isinstance(v, (int, float)) else str(v) for k, v in getattr(exc, "args_map", {}).items()}
    return json.dumps({"msgid": template, "args": args, "text": exc.render()}, ensure_ascii=False)


def describe_error(stored: str, translate=lambda s: s) -> str:
    from hnsubmit.i18n import fill

    if not stored.startswith("{"):
        return stored
    try:
        data = json.loads(stored)
        # an argument may itself be a msgid (a reason); any other text is left as it is by gettext
        args = {k: translate(v) if isinstance(v, str) and v else v for k, v in (data.get("args") or {}).items()}
        return fill(translate(data["msgid"]), args)
    except (ValueError, KeyError, TypeError, AttributeError):
        return stored


def _item(row: sqlite3.Row) -> Item:
    return Item(
        id=row["id"], source=row["source"], package=Path(row["package"]), sha256=row["sha256"], size=row["size"],
        idempotency_key=row["idempotency_key"], endpoint=row["endpoint"], unit=row["unit"], state=row["state"],
        manifest=json.loads(row["manifest"]) if row["manifest"] else None,
        uploads=json.loads(row["uploads"] or "{}"), receipt=json.loads(row["receipt"]) if row["receipt"] else None,
        attempts=row["attempts"], last_error=row["last_error"], bytes_sent=row["bytes_sent"],
        created_at=row["created_at"], updated_at=row["updated_at"],
    )


class ItemBusy(Exception):
    """Another live process is sending this item right now."""


class Outbox:
    """The queue in one folder: outbox.sqlite3, packages/<sha256>.zip, locks/<id>.lock."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()
        self.db_path = self.root / "outbox.sqlite3"
        self._local = threading.local()
        try:
            (self.root / "packages").mkdir(parents=True, exist_ok=True)
            (self.root / "locks").mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(_SCHEMA)
            self._sweep_sent_copies()
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError("The outbox at {path} cannot be opened: {problem}", path=str(self.root), problem=str(exc)) from None

    def _sweep_sent_copies(self) -> None:
        """Free the package copies of acknowledged items.

        mark_sent records the receipt first and deletes the copy after; a process killed between the
        two (found by the client-crash test) left a delivered item's copy on disk for good.
        """
        with self._connect() as db:
            rows = db.execute(
                "SELECT DISTINCT package FROM items WHERE state = 'sent' AND sha256 NOT IN"
                " (SELECT sha256 FROM items WHERE state != 'sent')"
            ).fetchall()
        for row in rows:
            Path(row["package"]).unlink(missing_ok=True)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # One connection per thread (sqlite3 objects stay in their thread), kept open: a 500-item batch
        # makes thousands of small writes.  Autocommit; the busy timeout waits for another process.
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across a process kill
            self._local.db = db
        yield db

    def close(self) -> None:
        """Close this thread's connection (other threads' close when their thread ends)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- adding -------------------------------------------------------------------------------------

    def _copy_in(self, package: Path) -> tuple[str, int, Path]:
        """Stream the package into packages/ while hashing it; content-addressed, so a re-add is free."""
        tmp = self.root / "packages" / f".incoming-{os.getpid()}-{time.monotonic_ns()}"
        digest = hashlib.sha256()
        size = 0
        try:
            with open(package, "rb") as src, open(tmp, "wb") as dst:
                while chunk := src.read(COPY_CHUNK):
                    digest.update(chunk)
                    dst.write(chunk)
                    size += len(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            final = self.root / "packages" / f"{digest.hexdigest()}.zip"
            os.replace(tmp, final)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise UsageError("The package {path} cannot be read: {problem}", path=str(package), problem=exc.strerror or str(exc)) from None
        return digest.hexdigest(), size, final

    def add(self, package: Path, endpoint: str, unit: str, source: str | None = None) -> tuple[Item, bool]:
        """Queue a package for (endpoint, unit); returns (item, created).  A known package keeps its row.

        One entry per package digest and unit: a package still waiting for another endpoint (pushed
        to a wrong address first) moves to this one instead of staying stuck there as a second entry.
        """
        sha, size, stored = self._copy_in(Path(package))
        now = _now()
        with self._connect() as db:
            waiting = db.execute(
                "SELECT id FROM items WHERE sha256 = ? AND unit = ? AND endpoint != ? AND state != 'sent'"
                " AND NOT EXISTS (SELECT 1 FROM items WHERE sha256 = ? AND unit = ? AND endpoint = ?) ORDER BY id LIMIT 1",
                (sha, unit, endpoint, sha, unit, endpoint),
            ).fetchone()
        if waiting is not None:
            self.retarget(waiting["id"], endpoint)
        with self._connect() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO items (source, package, sha256, size, idempotency_key, endpoint, unit, state,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)",
                (source or str(package), str(stored), sha, size, idempotency_key(sha), endpoint, unit, now, now),
            )
            created = cur.rowcount == 1
            row = db.execute(
                "SELECT * FROM items WHERE endpoint = ? AND unit = ? AND sha256 = ?", (endpoint, unit, sha)
            ).fetchone()
            if not created and row["package"] != str(stored):
                db.execute("UPDATE items SET package = ? WHERE id = ?", (str(stored), row["id"]))
                row = db.execute("SELECT * FROM items WHERE id = ?", (row["id"],)).fetchone()
        return _item(row), created

    # -- reading ------------------------------------------------------------------------------------

    def get(self, item_id: int) -> Item:
        with self._connect() as db:
            row = db.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise UsageError("No item {id} in the outbox.", id=item_id)
        return _item(row)

    def list(self, states: tuple[str, ...] | None = None) -> list[Item]:
        with self._connect() as db:
            if states:
                marks = ",".join("?" for _ in states)
                rows = db.execute(f"SELECT * FROM items WHERE state IN ({marks}) ORDER BY id", states).fetchall()
            else:
                rows = db.execute("SELECT * FROM items ORDER BY id").fetchall()
        return [_item(r) for r in rows]

    def pending(self, endpoint: str | None = None, unit: str | None = None) -> list[Item]:
        return [
            i for i in self.list(PENDING)
            if (endpoint is None or i.endpoint == endpoint) and (unit is None or i.unit == unit)
        ]

    # -- changing -----------------------------------------------------------------------------------

    def _update(self, item_id: int, **values: Any) -> Item:
        values["updated_at"] = _now()
        cols = ", ".join(f"{k} = ?" for k in values)
        with self._connect() as db:
            db.execute(f"UPDATE items SET {cols} WHERE id = ?", (*values.values(), item_id))
        return self.get(item_id)

    def start_attempt(self, item_id: int) -> Item:
        with self._connect() as db:
            db.execute(
                "UPDATE items SET state = 'uploading', attempts = attempts + 1, updated_at = ? WHERE id = ?",
                (_now(), item_id),
            )
        return self.get(item_id)

    def record_upload(self, item_id: int, blob_digest: str, upload_id: str | None) -> None:
        """Remember (or forget, with None) the upload session of one blob: a killed process resumes it."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")  # read-modify-write of the JSON column, atomic across processes
            try:
                row = db.execute("SELECT uploads FROM items WHERE id = ?", (item_id,)).fetchone()
                uploads = json.loads(row["uploads"] or "{}") if row else {}
                if upload_id is None:
                    uploads.pop(blob_digest, None)
                else:
                    uploads[blob_digest] = upload_id
                db.execute("UPDATE items SET uploads = ?, updated_at = ? WHERE id = ?", (json.dumps(uploads), _now(), item_id))
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def set_manifest(self, item_id: int, manifest: dict[str, Any]) -> Item:
        return self._update(item_id, manifest=json.dumps(manifest, ensure_ascii=False, sort_keys=True))

    def add_bytes_sent(self, item_id: int, count: int) -> None:
        with self._connect() as db:
            db.execute("UPDATE items SET bytes_sent = bytes_sent + ? WHERE id = ?", (count, item_id))

    def mark_sent(self, item_id: int, receipt: dict[str, Any]) -> Item:
        """Acknowledged: keep the receipt, forget the sessions, and free the package copy."""
        item = self._update(item_id, state="sent", receipt=json.dumps(receipt, ensure_ascii=False), uploads="{}", last_error="")
        self._free_package(item)
        return item

    def mark_failed(self, item_id: int, error: str) -> Item:
        """Keep why (plain text, or `error_record`'s JSON so it can be shown in the reader's language)."""
        return self._update(item_id, state="failed", last_error=error[:MAX_ERROR_LENGTH])

    def retarget(self, item_id: int, endpoint: str) -> Item:
        """Send an unsent item to another endpoint (`outbox retry --endpoint`).  Upload sessions belong to
        the old server and are forgotten; when the new endpoint already has this package, that entry is kept."""
        item = self.get(item_id)
        if item.endpoint == endpoint:
            return item
        if item.state == "sent":
            raise UsageError("Outbox item {id} was already delivered to {endpoint}; push the folder again to send it elsewhere.",
                             id=item_id, endpoint=item.endpoint)
        with self._connect() as db:
            twin = db.execute("SELECT id FROM items WHERE endpoint = ? AND unit = ? AND sha256 = ?",
                              (endpoint, item.unit, item.sha256)).fetchone()
        if twin is not None:
            with self._connect() as db:
                db.execute("DELETE FROM items WHERE id = ?", (item_id,))
            return self.get(twin["id"])
        return self._update(item_id, endpoint=endpoint, uploads="{}", state="queued", last_error="")

    def requeue(self, item_id: int) -> Item:
        item = self.get(item_id)
        if not item.package.exists():
            raise UsageError("The package of outbox item {id} is gone; push the folder or zip again.", id=item_id)
        return self._update(item_id, state="queued")

    def drop(self, item_id: int) -> Item:
        item = self.get(item_id)
        with self.lock(item):
            with self._connect() as db:
                db.execute("DELETE FROM items WHERE id = ?", (item_id,))
            self._free_package(item)
        (self.root / "locks" / f"{item_id}.lock").unlink(missing_ok=True)
        return item

    def _free_package(self, item: Item) -> None:
        with self._connect() as db:
            others = db.execute(  # the copy is content-addressed: shared by every row of the same digest
                "SELECT COUNT(*) FROM items WHERE sha256 = ? AND state != 'sent' AND id != ?", (item.sha256, item.id)
            ).fetchone()[0]
        if not others:
            item.package.unlink(missing_ok=True)

    # -- one process at a time per item --------------------------------------------------------------

    @contextmanager
    def lock(self, item: Item) -> Iterator[None]:
        """Hold the item's OS lock while sending it; ItemBusy when another live process holds it."""
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.root / "locks" / f"{item.id}.lock"), thread_local=False, is_singleton=False)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise ItemBusy(item.id) from None
        try:
            yield
        finally:
            lock.release()
