"""The default metadata store: one SQLite file in WAL mode, a connection per thread.

WAL lets the office's `hnsubmit admin`/`review` commands work on the data directory while the
server runs; `synchronous=FULL` because an upload offset or a receipt, once answered, must
survive a power cut at the county's server room.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from hnsubmit.exchange.store.storage import (
    Approval,
    Approver,
    Column,
    DuplicateKey,
    Submission,
    SubmissionFilter,
    SubmissionFindings,
    Token,
    Transition,
    Unit,
    Upload,
    WeeklyCount,
)

SCHEMA_VERSION = 6
_SCHEMA = """
CREATE TABLE IF NOT EXISTS columns (
  id TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL DEFAULT 'other', max_days INTEGER NOT NULL DEFAULT 365);
CREATE TABLE IF NOT EXISTS units (
  code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS unit_columns (
  unit TEXT NOT NULL, column_id TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (unit, column_id));
CREATE TABLE IF NOT EXISTS tokens (
  token_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, unit TEXT,
  label TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, last_used_at TEXT, revoked_at TEXT,
  expires_at TEXT, rotated_from TEXT);
CREATE TABLE IF NOT EXISTS uploads (
  upload_id TEXT PRIMARY KEY, unit TEXT NOT NULL, digest TEXT NOT NULL, size INTEGER NOT NULL,
  offset INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blob_refs (
  unit TEXT NOT NULL, digest TEXT NOT NULL, size INTEGER NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (unit, digest));
CREATE TABLE IF NOT EXISTS submissions (
  submission_id TEXT PRIMARY KEY, unit TEXT NOT NULL, idempotency_key TEXT NOT NULL,
  manifest_digest TEXT NOT NULL, manifest_json TEXT NOT NULL, title TEXT NOT NULL,
  column_id TEXT NOT NULL, category TEXT NOT NULL, state TEXT NOT NULL, reason TEXT,
  received_at TEXT NOT NULL, updated_at TEXT NOT NULL, expires TEXT, UNIQUE (unit, idempotency_key));
CREATE TABLE IF NOT EXISTS transitions (
  id INTEGER PRIMARY KEY AUTOINCREMENT, submission_id TEXT NOT NULL, from_state TEXT,
  to_state TEXT NOT NULL, at TEXT NOT NULL, by TEXT NOT NULL, reason TEXT);
CREATE INDEX IF NOT EXISTS transitions_submission ON transitions (submission_id);
CREATE TABLE IF NOT EXISTS approvers (
  token_id TEXT PRIMARY KEY, unit TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS approvals (
  submission_id TEXT PRIMARY KEY, token_id TEXT NOT NULL, name TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submission_findings (
  submission_id TEXT PRIMARY KEY, state TEXT NOT NULL, origin TEXT NOT NULL, updated_at TEXT NOT NULL,
  result_json TEXT NOT NULL DEFAULT '{}', lists TEXT NOT NULL DEFAULT '', error TEXT);
CREATE TABLE IF NOT EXISTS finished_uploads (
  upload_id TEXT PRIMARY KEY, unit TEXT NOT NULL, digest TEXT NOT NULL, size INTEGER NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
"""
# Every query's plan is a search of one of these in the order it asks for: no temp B-tree sort and no
# full scan of a table that grows (tests/test_exchange_query_plans.py runs EXPLAIN QUERY PLAN over
# them). The listings order by `received_at DESC, submission_id`, so the indexes say DESC too.
_INDEXES = """
CREATE INDEX IF NOT EXISTS submissions_unit_received ON submissions (unit, received_at DESC, submission_id);
CREATE INDEX IF NOT EXISTS submissions_unit_state_received ON submissions (unit, state, received_at DESC, submission_id);
CREATE INDEX IF NOT EXISTS submissions_state_received ON submissions (state, received_at DESC, submission_id);
CREATE INDEX IF NOT EXISTS submissions_received_id ON submissions (received_at DESC, submission_id);
CREATE INDEX IF NOT EXISTS blob_refs_digest ON blob_refs (digest, unit);
CREATE INDEX IF NOT EXISTS uploads_unit_digest_created ON uploads (unit, digest, created_at);
CREATE INDEX IF NOT EXISTS uploads_updated ON uploads (updated_at);
CREATE INDEX IF NOT EXISTS finished_uploads_updated ON finished_uploads (updated_at);
CREATE INDEX IF NOT EXISTS tokens_rotated_from_created ON tokens (rotated_from, created_at);
CREATE INDEX IF NOT EXISTS submission_findings_state_updated ON submission_findings (state, updated_at);
CREATE INDEX IF NOT EXISTS approvers_unit_name ON approvers (unit, name);
"""
# The status list's total without counting a unit's rows for every page: how many submissions each
# (unit, state) has, kept by triggers in the same transaction as the change.
_COUNTS = """
CREATE TABLE IF NOT EXISTS submission_counts (
  unit TEXT NOT NULL, state TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (unit, state)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS submission_counts_insert AFTER INSERT ON submissions BEGIN
  INSERT INTO submission_counts VALUES (NEW.unit, NEW.state, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS submission_counts_update AFTER UPDATE OF unit, state ON submissions
WHEN OLD.state IS NOT NEW.state OR OLD.unit IS NOT NEW.unit BEGIN
  UPDATE submission_counts SET n = n - 1 WHERE unit = OLD.unit AND state = OLD.state;
  INSERT INTO submission_counts VALUES (NEW.unit, NEW.state, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS submission_counts_delete AFTER DELETE ON submissions BEGIN
  UPDATE submission_counts SET n = n - 1 WHERE unit = OLD.unit AND state = OLD.state;
END;
"""
# (version, statements): what a database of an earlier version needs beyond _SCHEMA and _INDEXES,
# applied once, in order, in one write transaction each, upgrading the file in place
_STEPS: tuple[tuple[int, tuple[str, ...]], ...] = (
    # version 2: the indexes above replace these, which each left a sort (or the whole table) to do
    (2, ("DROP INDEX IF EXISTS submissions_received", "DROP INDEX IF EXISTS uploads_unit_digest",
         "DROP INDEX IF EXISTS tokens_rotated_from")),
    # version 3: the counts start from the rows there are (a fresh database: none)
    (3, ("DELETE FROM submission_counts",
         "INSERT INTO submission_counts SELECT unit, state, COUNT(*) FROM submissions GROUP BY unit, state")),
    # version 4 (issue 15 §2): the approver step's tables, `approvers` (an approver token's registered
    # name and unit) and `approvals` (who accepted an item and when), are new in _SCHEMA and start empty
    (4, ()),
    # version 5 (issue 15): each column's type and freshness threshold (栏目更新), a submission's 失效日期
    # (its manifest's `expires`, backfilled); the indexes of the column report and the expired list. The
    # ALTERs are skipped where _SCHEMA already made the column (a new file); the seed's defaults by id.
    (5, ("ALTER TABLE columns ADD COLUMN kind TEXT NOT NULL DEFAULT 'other'",
         "ALTER TABLE columns ADD COLUMN max_days INTEGER NOT NULL DEFAULT 365",
         "ALTER TABLE submissions ADD COLUMN expires TEXT",
         "UPDATE columns SET kind = 'news', max_days = 14 WHERE id IN "
         "('prefecture-news', 'county-news', 'department-news', 'leaders', 'photos')",
         "UPDATE columns SET kind = 'notice', max_days = 180 WHERE id IN ('notices', 'policy-documents')",
         "UPDATE submissions SET expires = json_extract(manifest_json, '$.expires') WHERE json_valid(manifest_json) "
         "AND json_type(manifest_json, '$.expires') = 'text'",
         "CREATE INDEX IF NOT EXISTS submissions_state_column_updated ON submissions (state, column_id, updated_at DESC)",
         "CREATE INDEX IF NOT EXISTS submissions_state_expires ON submissions (state, expires)",
         "CREATE INDEX IF NOT EXISTS transitions_to_at ON transitions (to_state, at)")),
    # version 6 (issue 14): `submission_findings` (the server's own check of each item, in _SCHEMA) starts
    # empty: an item received before has no record and is checked when it is first opened
    (6, ()),
)
_ADD_COLUMN = re.compile(r"^ALTER TABLE (\w+) ADD COLUMN (\w+) ")

_FMT = "%Y-%m-%dT%H:%M:%S.%fZ"  # fixed width, so text order is time order


def _t(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(timezone.utc).strftime(_FMT)


def _d(value: str | None) -> datetime | None:
    if value is None:
        return None
    # what _t wrote (…T08:00:00.000000Z); fromisoformat is ~5× strptime, which a page of 50 rows felt
    return datetime.fromisoformat(value[:-1]).replace(tzinfo=timezone.utc)


class _Connection(sqlite3.Connection):
    """A connection that carries its storage's in-process write lock (see SqliteStorage._write_lock)."""

    write_lock: "threading.Lock | None" = None


def _newer(path: Path, found: int):
    from hnsubmit.errors import ConfigError
    from hnsubmit.i18n import N_

    return ConfigError(
        "The database {url} has schema version {found}, newer than this hnsubmit knows ({known}).",
        hint=N_("A newer hnsubmit has used this data folder: run that version (or a newer one) here."),
        url=str(path), found=found, known=SCHEMA_VERSION,
    )


class SqliteStorage:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        # one writer at a time in this process, queued on a Python lock that wakes the next at once: left to
        # SQLite, BEGIN IMMEDIATE's busy handler sleeps 1, 2, 5 … 100 ms between tries, so 16 or 64
        # concurrent writers mostly slept and throughput fell as clients grew (issue 19, P6); another
        # process on the same file (serve --workers) still waits through busy_timeout
        self._write_lock = threading.Lock()
        conn = self._conn()
        found = conn.execute("PRAGMA user_version").fetchone()[0]
        if found > SCHEMA_VERSION:  # written by a newer hnsubmit: this one would write rows it cannot read back
            self.close()
            raise _newer(self.path, found)
        conn.executescript(_SCHEMA + _INDEXES + _COUNTS)  # idempotent (IF NOT EXISTS); commits on its own
        self._upgrade(conn)
        self._private_files()

    @staticmethod
    def _upgrade(conn: sqlite3.Connection) -> None:
        for version, statements in _STEPS:
            conn.execute("BEGIN IMMEDIATE")
            try:
                # read inside the write lock: another process opening the same file upgrades only once
                if conn.execute("PRAGMA user_version").fetchone()[0] >= version:
                    conn.execute("COMMIT")
                    continue
                for statement in statements:
                    added = _ADD_COLUMN.match(statement)
                    if added and added.group(2) in {r[1] for r in conn.execute(f"PRAGMA table_info({added.group(1)})")}:
                        continue  # a new file: _SCHEMA made it already
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _private_files(self) -> None:
        # token hashes and manifests are the office's alone: 0600 whatever the umask was
        for suffix in ("", "-wal", "-shm"):
            try:
                os.chmod(f"{self.path}{suffix}", 0o600)
            except FileNotFoundError:
                pass

    # -- connections -------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False,
                                   factory=_Connection)
            conn.write_lock = self._write_lock
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 30000")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    class _write:
        """BEGIN IMMEDIATE … COMMIT: writers queue on the database lock instead of failing midway."""

        # a test seam (exchange/faults.py): called before every write, it may raise as a broken disk would
        guard: "Callable[[], None] | None" = None

        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def __enter__(self) -> sqlite3.Connection:
            if self.guard is not None:
                self.guard()
            lock = getattr(self.conn, "write_lock", None)
            if lock is not None:
                lock.acquire()
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except BaseException:
                if lock is not None:
                    lock.release()
                raise
            return self.conn

        def __exit__(self, exc_type, exc, tb) -> None:
            try:
                self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
            finally:
                lock = getattr(self.conn, "write_lock", None)
                if lock is not None:
                    lock.release()

    def _one(self, sql: str, args: tuple = ()) -> sqlite3.Row | None:
        return self._conn().execute(sql, args).fetchone()

    def _all_rows(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        return self._conn().execute(sql, args).fetchall()

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._all.clear()
        self._local = threading.local()

    # -- columns and units ---------------------------------------------------------------------
    def list_columns(self) -> list[Column]:
        rows = self._all_rows("SELECT * FROM columns ORDER BY rowid")
        return [Column(r["id"], r["name_zh"], r["name_en"], r["description"], r["kind"], r["max_days"]) for r in rows]

    def put_column(self, column: Column) -> None:
        with self._write(self._conn()) as c:
            c.execute(
                "INSERT INTO columns (id, name_zh, name_en, description, kind, max_days) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, "
                "description = excluded.description, kind = excluded.kind, max_days = excluded.max_days",
                (column.id, column.name_zh, column.name_en, column.description, column.kind, column.max_days),
            )

    def set_column_freshness(self, column_id: str, kind: str, max_days: int) -> Column | None:
        with self._write(self._conn()) as c:
            c.execute("UPDATE columns SET kind = ?, max_days = ? WHERE id = ?", (kind, max_days, column_id))
        return next((col for col in self.list_columns() if col.id == column_id), None)

    def _unit(self, row: sqlite3.Row) -> Unit:
        cols = self._all_rows("SELECT column_id FROM unit_columns WHERE unit = ? ORDER BY position", (row["code"],))
        return Unit(row["code"], row["name"], row["kind"], bool(row["active"]), tuple(r[0] for r in cols))

    def list_units(self) -> list[Unit]:
        return [self._unit(r) for r in self._all_rows("SELECT * FROM units ORDER BY rowid")]

    def get_unit(self, code: str) -> Unit | None:
        row = self._one("SELECT * FROM units WHERE code = ?", (code,))
        return self._unit(row) if row else None

    def add_unit(self, unit: Unit) -> None:
        try:
            with self._write(self._conn()) as c:
                c.execute(
                    "INSERT INTO units (code, name, kind, active) VALUES (?, ?, ?, ?)",
                    (unit.code, unit.name, unit.kind, int(unit.active)),
                )
                c.executemany(
                    "INSERT INTO unit_columns (unit, column_id, position) VALUES (?, ?, ?)",
                    [(unit.code, col, i) for i, col in enumerate(unit.columns)],
                )
        except sqlite3.IntegrityError:
            raise DuplicateKey(unit.code) from None

    def set_unit_active(self, code: str, active: bool) -> Unit | None:
        with self._write(self._conn()) as c:
            c.execute("UPDATE units SET active = ? WHERE code = ?", (int(active), code))
        return self.get_unit(code)

    def set_unit_columns(self, code: str, columns: tuple[str, ...]) -> Unit | None:
        with self._write(self._conn()) as c:
            c.execute("DELETE FROM unit_columns WHERE unit = ?", (code,))
            c.executemany(
                "INSERT INTO unit_columns (unit, column_id, position) VALUES (?, ?, ?)",
                [(code, col, i) for i, col in enumerate(columns)],
            )
        return self.get_unit(code)

    # -- tokens --------------------------------------------------------------------------------
    @staticmethod
    def _token(r: sqlite3.Row) -> Token:
        return Token(
            r["token_id"], r["secret_hash"], r["role"], r["unit"], r["label"], _d(r["created_at"]),
            _d(r["last_used_at"]), _d(r["revoked_at"]), _d(r["expires_at"]), r["rotated_from"],
        )

    def add_token(self, token: Token) -> None:
        try:
            with self._write(self._conn()) as c:
                c.execute(
                    "INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (token.token_id, token.secret_hash, token.role, token.unit, token.label, _t(token.created_at),
                     _t(token.last_used_at), _t(token.revoked_at), _t(token.expires_at), token.rotated_from),
                )
        except sqlite3.IntegrityError:
            raise DuplicateKey(token.token_id) from None

    def token_by_hash(self, secret_hash: str) -> Token | None:
        row = self._one("SELECT * FROM tokens WHERE secret_hash = ?", (secret_hash,))
        return self._token(row) if row else None

    def get_token(self, token_id: str) -> Token | None:
        row = self._one("SELECT * FROM tokens WHERE token_id = ?", (token_id,))
        return self._token(row) if row else None

    def successors(self, token_id: str) -> list[Token]:
        rows = self._all_rows("SELECT * FROM tokens WHERE rotated_from = ? ORDER BY created_at", (token_id,))
        return [self._token(r) for r in rows]

    def list_tokens(self) -> list[Token]:
        return [self._token(r) for r in self._all_rows("SELECT * FROM tokens ORDER BY created_at")]

    def update_token(self, token_id: str, **changes) -> Token | None:
        allowed = {"last_used_at", "revoked_at", "expires_at"}
        if not changes or set(changes) - allowed:
            raise ValueError(f"cannot update {sorted(set(changes) - allowed)}")
        sets = ", ".join(f"{k} = ?" for k in changes)
        with self._write(self._conn()) as c:
            c.execute(f"UPDATE tokens SET {sets} WHERE token_id = ?", (*(_t(v) for v in changes.values()), token_id))
        return self.get_token(token_id)

    # -- approvers -----------------------------------------------------------------------------
    def add_approver(self, approver: Approver) -> None:
        with self._write(self._conn()) as c:
            c.execute("INSERT OR REPLACE INTO approvers (token_id, unit, name) VALUES (?, ?, ?)",
                      (approver.token_id, approver.unit, approver.name))

    def get_approver(self, token_id: str) -> Approver | None:
        row = self._one("SELECT token_id, unit, name FROM approvers WHERE token_id = ?", (token_id,))
        return Approver(row[0], row[1], row[2]) if row else None

    def approvers(self, unit: str | None = None) -> list[Approver]:
        if unit is None:
            rows = self._all_rows("SELECT token_id, unit, name FROM approvers ORDER BY unit, name")
        else:
            rows = self._all_rows("SELECT token_id, unit, name FROM approvers WHERE unit = ? ORDER BY name", (unit,))
        return [Approver(r[0], r[1], r[2]) for r in rows]

    # -- uploads and blob references -----------------------------------------------------------
    @staticmethod
    def _upload(r: sqlite3.Row) -> Upload:
        return Upload(r["upload_id"], r["unit"], r["digest"], r["size"], r["offset"], _d(r["created_at"]), _d(r["updated_at"]))

    def add_upload(self, upload: Upload) -> None:
        with self._write(self._conn()) as c:
            c.execute(
                "INSERT INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?)",
                (upload.upload_id, upload.unit, upload.digest, upload.size, upload.offset,
                 _t(upload.created_at), _t(upload.updated_at)),
            )

    def get_upload(self, upload_id: str) -> Upload | None:
        row = self._one("SELECT * FROM uploads WHERE upload_id = ?", (upload_id,))
        if row:
            return self._upload(row)
        row = self._one("SELECT * FROM finished_uploads WHERE upload_id = ?", (upload_id,))
        if row:
            return Upload(row["upload_id"], row["unit"], row["digest"], row["size"], row["size"], _d(row["created_at"]),
                          _d(row["updated_at"]), finished=True)
        return None

    def finish_upload(self, upload_id: str, at: datetime, forget_before: datetime) -> None:
        with self._write(self._conn()) as c:
            c.execute("DELETE FROM finished_uploads WHERE updated_at < ?", (_t(forget_before),))
            c.execute("INSERT OR REPLACE INTO finished_uploads SELECT upload_id, unit, digest, size, created_at, ? "
                      "FROM uploads WHERE upload_id = ?", (_t(at), upload_id))
            c.execute("DELETE FROM uploads WHERE upload_id = ?", (upload_id,))

    def open_upload_for(self, unit: str, digest: str) -> Upload | None:
        row = self._one("SELECT * FROM uploads WHERE unit = ? AND digest = ? ORDER BY created_at LIMIT 1", (unit, digest))
        return self._upload(row) if row else None

    def count_uploads(self, unit: str) -> int:
        return self._one("SELECT COUNT(*) FROM uploads WHERE unit = ?", (unit,))[0]

    def set_upload_offset(self, upload_id: str, offset: int, at: datetime) -> None:
        with self._write(self._conn()) as c:
            c.execute("UPDATE uploads SET offset = ?, updated_at = ? WHERE upload_id = ?", (offset, _t(at), upload_id))

    def delete_upload(self, upload_id: str) -> None:
        with self._write(self._conn()) as c:
            c.execute("DELETE FROM uploads WHERE upload_id = ?", (upload_id,))

    def stale_uploads(self, before: datetime) -> list[Upload]:
        return [self._upload(r) for r in self._all_rows("SELECT * FROM uploads WHERE updated_at < ?", (_t(before),))]

    def add_blob_ref(self, unit: str, digest: str, size: int, at: datetime) -> None:
        with self._write(self._conn()) as c:
            c.execute("INSERT OR IGNORE INTO blob_refs VALUES (?, ?, ?, ?)", (unit, digest, size, _t(at)))

    def blob_size_for(self, unit: str, digest: str) -> int | None:
        row = self._one("SELECT size FROM blob_refs WHERE unit = ? AND digest = ?", (unit, digest))
        return row[0] if row else None

    def held_digests(self, unit: str, digests: list[str]) -> set[str]:
        return set(self.held_sizes(unit, digests))

    def held_sizes(self, unit: str, digests: list[str]) -> dict[str, int]:
        held: dict[str, int] = {}
        for i in range(0, len(digests), 500):  # stay under SQLite's bound-parameter limit
            part = digests[i : i + 500]
            marks = ",".join("?" * len(part))
            rows = self._all_rows(f"SELECT digest, size FROM blob_refs WHERE unit = ? AND digest IN ({marks})", (unit, *part))
            held.update((r[0], r[1]) for r in rows)
        return held

    def blob_known(self, digest: str) -> bool:
        return self._one("SELECT 1 FROM blob_refs WHERE digest = ? LIMIT 1", (digest,)) is not None

    def known_size(self, digest: str) -> int | None:
        row = self._one("SELECT size FROM blob_refs WHERE digest = ? LIMIT 1", (digest,))
        return row[0] if row else None

    def blob_refs(self) -> list[tuple[str, str, int]]:
        return [(r[0], r[1], r[2]) for r in self._all_rows("SELECT unit, digest, size FROM blob_refs ORDER BY digest, unit")]

    # -- submissions ---------------------------------------------------------------------------
    @staticmethod
    def _submission(r: sqlite3.Row) -> Submission:
        return Submission(
            r["submission_id"], r["unit"], r["idempotency_key"], r["manifest_digest"], r["manifest_json"], r["title"],
            r["column_id"], r["category"], r["state"], r["reason"], _d(r["received_at"]), _d(r["updated_at"]),
            r["expires"],
        )

    def add_submission(self, submission: Submission, first: Transition, findings: SubmissionFindings | None = None) -> None:
        s = submission
        try:
            with self._write(self._conn()) as c:
                c.execute(
                    "INSERT INTO submissions (submission_id, unit, idempotency_key, manifest_digest, manifest_json, "
                    "title, column_id, category, state, reason, received_at, updated_at, expires) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (s.submission_id, s.unit, s.idempotency_key, s.manifest_digest, s.manifest_json, s.title, s.column,
                     s.category, s.state, s.reason, _t(s.received_at), _t(s.updated_at), s.expires),
                )
                self._add_transition(c, s.submission_id, first)
                if findings is not None:
                    self._put_findings(c, findings)
        except sqlite3.IntegrityError:
            raise DuplicateKey(s.idempotency_key) from None

    @staticmethod
    def _add_transition(c: sqlite3.Connection, submission_id: str, t: Transition) -> None:
        c.execute(
            "INSERT INTO transitions (submission_id, from_state, to_state, at, by, reason) VALUES (?, ?, ?, ?, ?, ?)",
            (submission_id, t.from_state, t.to_state, _t(t.at), t.by, t.reason),
        )

    def submission_by_key(self, unit: str, key: str) -> Submission | None:
        row = self._one("SELECT * FROM submissions WHERE unit = ? AND idempotency_key = ?", (unit, key))
        return self._submission(row) if row else None

    def get_submission(self, submission_id: str) -> Submission | None:
        row = self._one("SELECT * FROM submissions WHERE submission_id = ?", (submission_id,))
        return self._submission(row) if row else None

    def list_submissions(self, flt: SubmissionFilter) -> tuple[list[Submission], int]:
        where, args = [], []
        for clause, value in (
            ("unit = ?", flt.unit),
            ("state = ?", flt.state),
            ("received_at >= ?", _t(flt.received_from)),
            ("received_at < ?", _t(flt.received_to)),
        ):
            if value is not None:
                where.append(clause)
                args.append(value)
        cond = (" WHERE " + " AND ".join(where)) if where else ""
        if flt.received_from is None and flt.received_to is None:
            # by unit and/or state: the kept counts, not a count of the rows (the status list's every page)
            total = self._one(f"SELECT COALESCE(SUM(n), 0) FROM submission_counts{cond}", tuple(args))[0]
        else:
            total = self._one(f"SELECT COUNT(*) FROM submissions{cond}", tuple(args))[0]
        rows = self._all_rows(
            f"SELECT * FROM submissions{cond} ORDER BY received_at DESC, submission_id LIMIT ? OFFSET ?",
            (*args, flt.limit, flt.offset),
        )
        return [self._submission(r) for r in rows], total

    def transition(self, submission_id: str, from_states: tuple[str, ...], transition: Transition,
                   approval: Approval | None = None) -> Submission | None:
        with self._write(self._conn()) as c:
            row = c.execute("SELECT state FROM submissions WHERE submission_id = ?", (submission_id,)).fetchone()
            if row is None or row[0] not in from_states:
                return None
            # `reason` is the latest rejection's, withdrawal's or approver's return; a review note does not replace it
            c.execute(
                "UPDATE submissions SET state = ?, reason = CASE WHEN ? IN ('rejected', 'withdrawn', 'returned') THEN ? "
                "ELSE reason END, updated_at = ? WHERE submission_id = ?",
                (transition.to_state, transition.to_state, transition.reason, _t(transition.at), submission_id),
            )
            # the state read inside this transaction is the true "from", whatever the caller saw
            self._add_transition(c, submission_id, replace(transition, from_state=row[0]))
            if approval is not None:
                c.execute("INSERT OR REPLACE INTO approvals (submission_id, token_id, name, at) VALUES (?, ?, ?, ?)",
                          (submission_id, approval.token_id, approval.name, _t(approval.at)))
        return self.get_submission(submission_id)

    def get_approval(self, submission_id: str) -> Approval | None:
        row = self._one("SELECT * FROM approvals WHERE submission_id = ?", (submission_id,))
        return Approval(row["submission_id"], row["token_id"], row["name"], _d(row["at"])) if row else None

    def history(self, submission_id: str) -> list[Transition]:
        rows = self._all_rows("SELECT * FROM transitions WHERE submission_id = ? ORDER BY id", (submission_id,))
        return [Transition(r["from_state"], r["to_state"], _d(r["at"]), r["by"], r["reason"]) for r in rows]

    def weekly_counts(self, start: datetime, end: datetime) -> list[WeeklyCount]:
        rows = self._all_rows(
            # unit by unit (CROSS JOIN keeps units outside), each a range of submissions_unit_received:
            # already grouped, so no temp B-tree over the week's rows
            "SELECT u.code AS unit, COUNT(*) AS sent, "
            "SUM(s.state = 'published') AS accepted, SUM(s.state = 'rejected') AS rejected, "
            "SUM(s.state = 'withdrawn') AS withdrawn, SUM(s.state IN ('received', 'in_review')) AS pending "
            "FROM units u CROSS JOIN submissions s "
            "WHERE s.unit = u.code AND s.received_at >= ? AND s.received_at < ? GROUP BY u.code",
            (_t(start), _t(end)),
        )
        return [WeeklyCount(r["unit"], r["sent"], r["accepted"], r["rejected"], r["withdrawn"], r["pending"]) for r in rows]

    # -- column freshness and expiry (issue 15) --------------------------------------------------
    def last_published(self, column_id: str) -> Submission | None:
        # a published item's updated_at is when it was published: nothing moves it but its withdrawal
        row = self._one("SELECT * FROM submissions WHERE state = 'published' AND column_id = ? "
                        "ORDER BY updated_at DESC LIMIT 1", (column_id,))
        return self._submission(row) if row else None

    def published_counts(self, start: datetime, end: datetime) -> list[tuple[str, str, int]]:
        # every publication in [start, end), withdrawn since or not: the portal was updated that day. A range
        # of transitions_to_at, each joined by primary key, counted here (a GROUP BY would sort them all)
        from collections import Counter

        rows = self._conn().execute(
            "SELECT s.column_id, s.unit FROM transitions t JOIN submissions s ON s.submission_id = t.submission_id "
            "WHERE t.to_state = 'published' AND t.at >= ? AND t.at < ?", (_t(start), _t(end)),
        )
        return [(column, unit, n) for (column, unit), n in sorted(Counter((r[0], r[1]) for r in rows).items())]

    def expired_published(self, before: str, unit: str | None = None) -> list[Submission]:
        sql = "SELECT * FROM submissions WHERE state = 'published' AND expires < ?"
        args: tuple = (before,)
        if unit is not None:
            sql, args = sql + " AND unit = ?", (before, unit)
        return [self._submission(r) for r in self._all_rows(sql + " ORDER BY expires", args)]

    # -- the server's own findings (issue 14) ----------------------------------------------------
    def put_findings(self, record: SubmissionFindings) -> None:
        with self._write(self._conn()) as c:
            self._put_findings(c, record)

    @staticmethod
    def _put_findings(c: sqlite3.Connection, r: SubmissionFindings) -> None:
        c.execute("INSERT OR REPLACE INTO submission_findings (submission_id, state, origin, updated_at, result_json, "
                  "lists, error) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  (r.submission_id, r.state, r.origin, _t(r.updated_at), r.result_json, r.lists, r.error))

    def get_findings(self, submission_id: str) -> SubmissionFindings | None:
        r = self._one("SELECT * FROM submission_findings WHERE submission_id = ?", (submission_id,))
        if r is None:
            return None
        return SubmissionFindings(r["submission_id"], r["state"], r["origin"], _d(r["updated_at"]), r["result_json"],
                                  r["lists"], r["error"])

    def pending_findings(self, limit: int) -> list[str]:
        rows = self._all_rows("SELECT submission_id FROM submission_findings WHERE state = 'pending' "
                              "ORDER BY updated_at LIMIT ?", (limit,))
        return [r[0] for r in rows]
