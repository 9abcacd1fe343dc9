"""The metadata store on PostgreSQL (psycopg 3 with a connection pool): the SQLite store's semantics on a
server several exchange instances share.

Same contract as `sqlite.py` (tests/test_storage_contract.py runs over both): unique keys with
`INSERT … ON CONFLICT`, compare-and-set transitions in one transaction (`SELECT … FOR UPDATE`), the same
orders and reports. The schema is versioned: `migrate()` (`hnsubmit admin migrate`) applies the steps of
MIGRATIONS in order, each in its own transaction under an advisory lock, and `PostgresStorage` refuses a
database whose version is not the one it knows (older: migrate first; newer: this hnsubmit is too old).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from hnsubmit.errors import ConfigError
from hnsubmit.i18n import N_
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

# (version, what it adds, statements). Never edit a step that has shipped: add the next one.
MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (1, "units, tokens, uploads, blobs, submissions and their indexes (SQLite schema 3)", (
        """CREATE TABLE columns (
             pos BIGINT GENERATED ALWAYS AS IDENTITY, id TEXT PRIMARY KEY, name_zh TEXT NOT NULL,
             name_en TEXT NOT NULL, description TEXT NOT NULL DEFAULT '')""",
        """CREATE TABLE units (
             pos BIGINT GENERATED ALWAYS AS IDENTITY, code TEXT PRIMARY KEY, name TEXT NOT NULL,
             kind TEXT NOT NULL, active BOOLEAN NOT NULL DEFAULT TRUE)""",
        """CREATE TABLE unit_columns (
             unit TEXT NOT NULL, column_id TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (unit, column_id))""",
        """CREATE TABLE tokens (
             token_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, unit TEXT,
             label TEXT NOT NULL DEFAULT '', created_at TIMESTAMPTZ NOT NULL, last_used_at TIMESTAMPTZ,
             revoked_at TIMESTAMPTZ, expires_at TIMESTAMPTZ, rotated_from TEXT)""",
        """CREATE TABLE uploads (
             upload_id TEXT PRIMARY KEY, unit TEXT NOT NULL, digest TEXT NOT NULL, size BIGINT NOT NULL,
             "offset" BIGINT NOT NULL, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)""",
        """CREATE TABLE finished_uploads (
             upload_id TEXT PRIMARY KEY, unit TEXT NOT NULL, digest TEXT NOT NULL, size BIGINT NOT NULL,
             created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)""",
        """CREATE TABLE blob_refs (
             unit TEXT NOT NULL, digest TEXT NOT NULL, size BIGINT NOT NULL, created_at TIMESTAMPTZ NOT NULL,
             PRIMARY KEY (unit, digest))""",
        """CREATE TABLE submissions (
             submission_id TEXT PRIMARY KEY, unit TEXT NOT NULL, idempotency_key TEXT NOT NULL,
             manifest_digest TEXT NOT NULL, manifest_json TEXT NOT NULL, title TEXT NOT NULL,
             column_id TEXT NOT NULL, category TEXT NOT NULL, state TEXT NOT NULL, reason TEXT,
             received_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL, UNIQUE (unit, idempotency_key))""",
        """CREATE TABLE transitions (
             id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, submission_id TEXT NOT NULL, from_state TEXT,
             to_state TEXT NOT NULL, at TIMESTAMPTZ NOT NULL, by TEXT NOT NULL, reason TEXT)""",
        "CREATE INDEX transitions_submission ON transitions (submission_id, id)",
        "CREATE INDEX submissions_unit_received ON submissions (unit, received_at DESC, submission_id)",
        "CREATE INDEX submissions_unit_state_received ON submissions (unit, state, received_at DESC, submission_id)",
        "CREATE INDEX submissions_state_received ON submissions (state, received_at DESC, submission_id)",
        "CREATE INDEX submissions_received_id ON submissions (received_at DESC, submission_id)",
        "CREATE INDEX blob_refs_digest ON blob_refs (digest, unit)",
        "CREATE INDEX uploads_unit_digest_created ON uploads (unit, digest, created_at)",
        "CREATE INDEX uploads_updated ON uploads (updated_at)",
        "CREATE INDEX finished_uploads_updated ON finished_uploads (updated_at)",
        "CREATE INDEX tokens_rotated_from_created ON tokens (rotated_from, created_at)",
    )),
    (2, "approvers and approvals (SQLite step 4, issue 15 §2)", (
        "CREATE TABLE approvers (token_id TEXT PRIMARY KEY, unit TEXT NOT NULL, name TEXT NOT NULL)",
        "CREATE INDEX approvers_unit_name ON approvers (unit, name)",
        """CREATE TABLE approvals (
             submission_id TEXT PRIMARY KEY, token_id TEXT NOT NULL, name TEXT NOT NULL, at TIMESTAMPTZ NOT NULL)""",
    )),
    (3, "column kind and freshness, a submission's expiry date (SQLite step 5, issue 15)", (
        "ALTER TABLE columns ADD COLUMN kind TEXT NOT NULL DEFAULT 'other'",
        "ALTER TABLE columns ADD COLUMN max_days INTEGER NOT NULL DEFAULT 365",
        "ALTER TABLE submissions ADD COLUMN expires TEXT",
        "UPDATE columns SET kind = 'news', max_days = 14 WHERE id IN "
        "('prefecture-news', 'county-news', 'department-news', 'leaders', 'photos')",
        "UPDATE columns SET kind = 'notice', max_days = 180 WHERE id IN ('notices', 'policy-documents')",
        # a manifest that is not JSON (never stored by the server) or whose expires is not text keeps NULL
        """UPDATE submissions SET expires = manifest_json::jsonb ->> 'expires'
             WHERE jsonb_typeof(manifest_json::jsonb -> 'expires') = 'string'""",
        "CREATE INDEX submissions_state_column_updated ON submissions (state, column_id, updated_at DESC)",
        "CREATE INDEX submissions_state_expires ON submissions (state, expires)",
        "CREATE INDEX transitions_to_at ON transitions (to_state, at)",
    )),
    (4, "the server's own findings per submission (SQLite step 6, issue 14)", (
        """CREATE TABLE submission_findings (
             submission_id TEXT PRIMARY KEY, state TEXT NOT NULL, origin TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
             result_json TEXT NOT NULL DEFAULT '{}', lists TEXT NOT NULL DEFAULT '', error TEXT)""",
        "CREATE INDEX submission_findings_state_updated ON submission_findings (state, updated_at)",
    )),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]
_LOCK = 0x686E7375  # "hnsu": one migrator at a time across instances


def _redact(url: str) -> str:
    """The URL without its password, for messages (secrets never reach a log or an error)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def _connect_error(url: str, exc: Exception) -> ConfigError:
    problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ConfigError("Cannot connect to the database {url}: {problem}", url=_redact(url), problem=problem)


def _version(conn) -> int:
    exists = conn.execute("SELECT to_regclass('hnsubmit_schema') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    row = conn.execute("SELECT max(version) FROM hnsubmit_schema").fetchone()
    return row[0] or 0


def schema_version(url: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            return _version(conn)
    except psycopg.OperationalError as exc:
        raise _connect_error(url, exc) from None


def migrate(url: str) -> list[tuple[int, str]]:
    """Apply the steps the database lacks, in order, each in one transaction; returns those applied.
    An advisory lock keeps two instances (or two `admin migrate`) from stepping on each other."""
    import psycopg

    applied: list[tuple[int, str]] = []
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK,))
            try:
                conn.execute("CREATE TABLE IF NOT EXISTS hnsubmit_schema (version INTEGER PRIMARY KEY, "
                             "applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), note TEXT NOT NULL)")
                current = _version(conn)
                if current > SCHEMA_VERSION:
                    raise _newer(url, current)
                for version, note, statements in MIGRATIONS:
                    if version <= current:
                        continue
                    with conn.transaction():
                        for statement in statements:
                            conn.execute(statement)
                        conn.execute("INSERT INTO hnsubmit_schema (version, note) VALUES (%s, %s)", (version, note))
                    applied.append((version, note))
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK,))
    except psycopg.OperationalError as exc:
        raise _connect_error(url, exc) from None
    return applied


def _newer(url: str, found: int) -> ConfigError:
    return ConfigError(
        "The database {url} has schema version {found}, newer than this hnsubmit knows ({known}).",
        hint=N_("Upgrade hnsubmit on this machine to the version the other instances run."),
        url=_redact(url), found=found, known=SCHEMA_VERSION,
    )


def _older(url: str, found: int) -> ConfigError:
    return ConfigError(
        "The database {url} has schema version {found}; this hnsubmit needs version {known}.",
        hint=N_("Run `hnsubmit admin migrate --db URL` once (with the servers stopped or not: it waits for its "
                "turn), then start the server again."),
        url=_redact(url), found=found, known=SCHEMA_VERSION,
    )


class PostgresStorage:
    def __init__(self, url: str, min_size: int = 1, max_size: int = 10) -> None:
        import psycopg
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        self.url = url
        found = schema_version(url)
        if found > SCHEMA_VERSION:
            raise _newer(url, found)
        if found < SCHEMA_VERSION:
            raise _older(url, found)

        def configure(conn) -> None:
            conn.execute("SET TIME ZONE 'UTC'")

        self._pool = ConnectionPool(url, min_size=min_size, max_size=max_size, open=False, configure=configure,
                                    kwargs={"autocommit": True, "row_factory": dict_row, "connect_timeout": 10},
                                    name="hnsubmit")
        try:
            self._pool.open(wait=True, timeout=30)
        except Exception as exc:  # PoolTimeout: the server went away between the version check and now
            self._pool.close()
            raise _connect_error(url, exc) from None
        self._unique = psycopg.errors.UniqueViolation

    # -- plumbing ------------------------------------------------------------------------------
    def _one(self, sql: str, args: tuple = ()) -> dict | None:
        with self._pool.connection() as conn:
            return conn.execute(sql, args).fetchone()

    def _rows(self, sql: str, args: tuple = ()) -> list[dict]:
        with self._pool.connection() as conn:
            return conn.execute(sql, args).fetchall()

    def _run(self, sql: str, args: tuple = ()) -> int:
        with self._pool.connection() as conn:
            return conn.execute(sql, args).rowcount

    def close(self) -> None:
        self._pool.close()

    # -- columns and units ---------------------------------------------------------------------
    def list_columns(self) -> list[Column]:
        return [Column(r["id"], r["name_zh"], r["name_en"], r["description"], r["kind"], r["max_days"])
                for r in self._rows("SELECT * FROM columns ORDER BY pos")]

    def put_column(self, column: Column) -> None:
        self._run(
            "INSERT INTO columns (id, name_zh, name_en, description, kind, max_days) VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (id) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, "
            "description = excluded.description, kind = excluded.kind, max_days = excluded.max_days",
            (column.id, column.name_zh, column.name_en, column.description, column.kind, column.max_days),
        )

    def set_column_freshness(self, column_id: str, kind: str, max_days: int) -> Column | None:
        self._run("UPDATE columns SET kind = %s, max_days = %s WHERE id = %s", (kind, max_days, column_id))
        return next((col for col in self.list_columns() if col.id == column_id), None)

    def _units(self, where: str = "", args: tuple = ()) -> list[Unit]:
        rows = self._rows(
            "SELECT u.code, u.name, u.kind, u.active, "
            "COALESCE(array_agg(c.column_id ORDER BY c.position) FILTER (WHERE c.column_id IS NOT NULL), '{}') AS cols "
            f"FROM units u LEFT JOIN unit_columns c ON c.unit = u.code {where} GROUP BY u.pos, u.code ORDER BY u.pos",
            args,
        )
        return [Unit(r["code"], r["name"], r["kind"], bool(r["active"]), tuple(r["cols"])) for r in rows]

    def list_units(self) -> list[Unit]:
        return self._units()

    def get_unit(self, code: str) -> Unit | None:
        found = self._units("WHERE u.code = %s", (code,))
        return found[0] if found else None

    def add_unit(self, unit: Unit) -> None:
        with self._pool.connection() as conn, conn.transaction():
            added = conn.execute(
                "INSERT INTO units (code, name, kind, active) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (unit.code, unit.name, unit.kind, unit.active),
            ).rowcount
            if not added:
                raise DuplicateKey(unit.code)
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO unit_columns (unit, column_id, position) VALUES (%s, %s, %s)",
                                [(unit.code, col, i) for i, col in enumerate(unit.columns)])

    def set_unit_active(self, code: str, active: bool) -> Unit | None:
        self._run("UPDATE units SET active = %s WHERE code = %s", (active, code))
        return self.get_unit(code)

    def set_unit_columns(self, code: str, columns: tuple[str, ...]) -> Unit | None:
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("DELETE FROM unit_columns WHERE unit = %s", (code,))
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO unit_columns (unit, column_id, position) VALUES (%s, %s, %s)",
                                [(code, col, i) for i, col in enumerate(columns)])
        return self.get_unit(code)

    # -- tokens --------------------------------------------------------------------------------
    @staticmethod
    def _token(r: dict) -> Token:
        return Token(r["token_id"], r["secret_hash"], r["role"], r["unit"], r["label"], r["created_at"],
                     r["last_used_at"], r["revoked_at"], r["expires_at"], r["rotated_from"])

    def add_token(self, token: Token) -> None:
        added = self._run(
            "INSERT INTO tokens (token_id, secret_hash, role, unit, label, created_at, last_used_at, revoked_at, "
            "expires_at, rotated_from) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (token.token_id, token.secret_hash, token.role, token.unit, token.label, token.created_at,
             token.last_used_at, token.revoked_at, token.expires_at, token.rotated_from),
        )
        if not added:
            raise DuplicateKey(token.token_id)

    def token_by_hash(self, secret_hash: str) -> Token | None:
        row = self._one("SELECT * FROM tokens WHERE secret_hash = %s", (secret_hash,))
        return self._token(row) if row else None

    def get_token(self, token_id: str) -> Token | None:
        row = self._one("SELECT * FROM tokens WHERE token_id = %s", (token_id,))
        return self._token(row) if row else None

    def successors(self, token_id: str) -> list[Token]:
        return [self._token(r) for r in self._rows(
            "SELECT * FROM tokens WHERE rotated_from = %s ORDER BY created_at", (token_id,))]

    def list_tokens(self) -> list[Token]:
        return [self._token(r) for r in self._rows("SELECT * FROM tokens ORDER BY created_at")]

    def update_token(self, token_id: str, **changes) -> Token | None:
        allowed = {"last_used_at", "revoked_at", "expires_at"}
        if not changes or set(changes) - allowed:
            raise ValueError(f"cannot update {sorted(set(changes) - allowed)}")
        sets = ", ".join(f"{k} = %s" for k in changes)  # names from `allowed` only
        self._run(f"UPDATE tokens SET {sets} WHERE token_id = %s", (*changes.values(), token_id))
        return self.get_token(token_id)

    # -- approvers -----------------------------------------------------------------------------
    def add_approver(self, approver: Approver) -> None:
        self._run("INSERT INTO approvers (token_id, unit, name) VALUES (%s, %s, %s) ON CONFLICT (token_id) "
                  "DO UPDATE SET unit = excluded.unit, name = excluded.name",
                  (approver.token_id, approver.unit, approver.name))

    def get_approver(self, token_id: str) -> Approver | None:
        row = self._one("SELECT token_id, unit, name FROM approvers WHERE token_id = %s", (token_id,))
        return Approver(row["token_id"], row["unit"], row["name"]) if row else None

    def approvers(self, unit: str | None = None) -> list[Approver]:
        if unit is None:
            rows = self._rows("SELECT token_id, unit, name FROM approvers ORDER BY unit, name")
        else:
            rows = self._rows("SELECT token_id, unit, name FROM approvers WHERE unit = %s ORDER BY name", (unit,))
        return [Approver(r["token_id"], r["unit"], r["name"]) for r in rows]

    # -- uploads and blob references -----------------------------------------------------------
    @staticmethod
    def _upload(r: dict) -> Upload:
        return Upload(r["upload_id"], r["unit"], r["digest"], r["size"], r["offset"], r["created_at"], r["updated_at"])

    def add_upload(self, upload: Upload) -> None:
        self._run(
            'INSERT INTO uploads (upload_id, unit, digest, size, "offset", created_at, updated_at) '
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (upload.upload_id, upload.unit, upload.digest, upload.size, upload.offset, upload.created_at,
             upload.updated_at),
        )

    def get_upload(self, upload_id: str) -> Upload | None:
        row = self._one("SELECT * FROM uploads WHERE upload_id = %s", (upload_id,))
        if row:
            return self._upload(row)
        row = self._one("SELECT * FROM finished_uploads WHERE upload_id = %s", (upload_id,))
        if row:
            return Upload(row["upload_id"], row["unit"], row["digest"], row["size"], row["size"], row["created_at"],
                          row["updated_at"], finished=True)
        return None

    def finish_upload(self, upload_id: str, at: datetime, forget_before: datetime) -> None:
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("DELETE FROM finished_uploads WHERE updated_at < %s", (forget_before,))
            conn.execute(
                "INSERT INTO finished_uploads (upload_id, unit, digest, size, created_at, updated_at) "
                "SELECT upload_id, unit, digest, size, created_at, %s FROM uploads WHERE upload_id = %s "
                "ON CONFLICT (upload_id) DO UPDATE SET unit = excluded.unit, digest = excluded.digest, "
                "size = excluded.size, created_at = excluded.created_at, updated_at = excluded.updated_at",
                (at, upload_id),
            )
            conn.execute("DELETE FROM uploads WHERE upload_id = %s", (upload_id,))

    def open_upload_for(self, unit: str, digest: str) -> Upload | None:
        row = self._one("SELECT * FROM uploads WHERE unit = %s AND digest = %s ORDER BY created_at LIMIT 1",
                        (unit, digest))
        return self._upload(row) if row else None

    def count_uploads(self, unit: str) -> int:
        return self._one("SELECT COUNT(*) AS n FROM uploads WHERE unit = %s", (unit,))["n"]

    def set_upload_offset(self, upload_id: str, offset: int, at: datetime) -> None:
        self._run('UPDATE uploads SET "offset" = %s, updated_at = %s WHERE upload_id = %s', (offset, at, upload_id))

    def delete_upload(self, upload_id: str) -> None:
        self._run("DELETE FROM uploads WHERE upload_id = %s", (upload_id,))

    def stale_uploads(self, before: datetime) -> list[Upload]:
        return [self._upload(r) for r in self._rows("SELECT * FROM uploads WHERE updated_at < %s", (before,))]

    def add_blob_ref(self, unit: str, digest: str, size: int, at: datetime) -> None:
        self._run("INSERT INTO blob_refs (unit, digest, size, created_at) VALUES (%s, %s, %s, %s) "
                  "ON CONFLICT DO NOTHING", (unit, digest, size, at))

    def blob_size_for(self, unit: str, digest: str) -> int | None:
        row = self._one("SELECT size FROM blob_refs WHERE unit = %s AND digest = %s", (unit, digest))
        return row["size"] if row else None

    def held_digests(self, unit: str, digests: list[str]) -> set[str]:
        return set(self.held_sizes(unit, digests))

    def held_sizes(self, unit: str, digests: list[str]) -> dict[str, int]:
        if not digests:
            return {}
        rows = self._rows("SELECT digest, size FROM blob_refs WHERE unit = %s AND digest = ANY(%s)",
                          (unit, list(digests)))
        return {r["digest"]: r["size"] for r in rows}

    def blob_known(self, digest: str) -> bool:
        return self._one("SELECT 1 AS one FROM blob_refs WHERE digest = %s LIMIT 1", (digest,)) is not None

    def known_size(self, digest: str) -> int | None:
        row = self._one("SELECT size FROM blob_refs WHERE digest = %s LIMIT 1", (digest,))
        return row["size"] if row else None

    def blob_refs(self) -> list[tuple[str, str, int]]:
        return [(r["unit"], r["digest"], r["size"]) for r in self._rows(
            "SELECT unit, digest, size FROM blob_refs ORDER BY digest, unit")]

    # -- submissions ---------------------------------------------------------------------------
    @staticmethod
    def _submission(r: dict) -> Submission:
        return Submission(
            r["submission_id"], r["unit"], r["idempotency_key"], r["manifest_digest"], r["manifest_json"], r["title"],
            r["column_id"], r["category"], r["state"], r["reason"], r["received_at"], r["updated_at"], r["expires"],
        )

    def add_submission(self, submission: Submission, first: Transition, findings: SubmissionFindings | None = None) -> None:
        s = submission
        with self._pool.connection() as conn, conn.transaction():
            # ON CONFLICT DO NOTHING: a same-key submit racing on another instance finds the row taken
            # without an error aborting this transaction
            added = conn.execute(
                "INSERT INTO submissions (submission_id, unit, idempotency_key, manifest_digest, manifest_json, title, "
                "column_id, category, state, reason, received_at, updated_at, expires) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (s.submission_id, s.unit, s.idempotency_key, s.manifest_digest, s.manifest_json, s.title, s.column,
                 s.category, s.state, s.reason, s.received_at, s.updated_at, s.expires),
            ).rowcount
            if not added:
                raise DuplicateKey(s.idempotency_key)
            self._add_transition(conn, s.submission_id, first)
            if findings is not None:
                self._put_findings(conn, findings)

    @staticmethod
    def _add_transition(conn, submission_id: str, t: Transition) -> None:
        conn.execute(
            "INSERT INTO transitions (submission_id, from_state, to_state, at, by, reason) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (submission_id, t.from_state, t.to_state, t.at, t.by, t.reason),
        )

    def submission_by_key(self, unit: str, key: str) -> Submission | None:
        row = self._one("SELECT * FROM submissions WHERE unit = %s AND idempotency_key = %s", (unit, key))
        return self._submission(row) if row else None

    def get_submission(self, submission_id: str) -> Submission | None:
        row = self._one("SELECT * FROM submissions WHERE submission_id = %s", (submission_id,))
        return self._submission(row) if row else None

    def list_submissions(self, flt: SubmissionFilter) -> tuple[list[Submission], int]:
        where: list[str] = []
        args: list[Any] = []
        for clause, value in (
            ("unit = %s", flt.unit),
            ("state = %s", flt.state),
            ("received_at >= %s", flt.received_from),
            ("received_at < %s", flt.received_to),
        ):
            if value is not None:
                where.append(clause)
                args.append(value)
        cond = (" WHERE " + " AND ".join(where)) if where else ""
        with self._pool.connection() as conn:
            total = conn.execute(f"SELECT COUNT(*) AS n FROM submissions{cond}", tuple(args)).fetchone()["n"]
            rows = conn.execute(
                f"SELECT * FROM submissions{cond} ORDER BY received_at DESC, submission_id LIMIT %s OFFSET %s",
                (*args, flt.limit, flt.offset),
            ).fetchall()
        return [self._submission(r) for r in rows], total

    def transition(self, submission_id: str, from_states: tuple[str, ...], transition: Transition,
                   approval: Approval | None = None) -> Submission | None:
        with self._pool.connection() as conn, conn.transaction():
            # the row lock makes this a compare-and-set across instances: a second reviewer waits, then reads
            # the state the first one left
            row = conn.execute("SELECT state FROM submissions WHERE submission_id = %s FOR UPDATE",
                               (submission_id,)).fetchone()
            if row is None or row["state"] not in from_states:
                return None
            conn.execute(
                "UPDATE submissions SET state = %s, reason = CASE WHEN %s IN ('rejected', 'withdrawn', 'returned') THEN %s "
                "ELSE reason END, updated_at = %s WHERE submission_id = %s",
                (transition.to_state, transition.to_state, transition.reason, transition.at, submission_id),
            )
            self._add_transition(conn, submission_id, replace(transition, from_state=row["state"]))
            if approval is not None:
                conn.execute(
                    "INSERT INTO approvals (submission_id, token_id, name, at) VALUES (%s, %s, %s, %s) "
                    "ON CONFLICT (submission_id) DO UPDATE SET token_id = excluded.token_id, name = excluded.name, "
                    "at = excluded.at", (submission_id, approval.token_id, approval.name, approval.at))
        return self.get_submission(submission_id)

    def get_approval(self, submission_id: str) -> Approval | None:
        row = self._one("SELECT * FROM approvals WHERE submission_id = %s", (submission_id,))
        return Approval(row["submission_id"], row["token_id"], row["name"], row["at"]) if row else None

    def history(self, submission_id: str) -> list[Transition]:
        rows = self._rows("SELECT * FROM transitions WHERE submission_id = %s ORDER BY id", (submission_id,))
        return [Transition(r["from_state"], r["to_state"], r["at"], r["by"], r["reason"]) for r in rows]

    def weekly_counts(self, start: datetime, end: datetime) -> list[WeeklyCount]:
        rows = self._rows(
            "SELECT u.code AS unit, COUNT(*) AS sent, "
            "COUNT(*) FILTER (WHERE s.state = 'published') AS accepted, "
            "COUNT(*) FILTER (WHERE s.state = 'rejected') AS rejected, "
            "COUNT(*) FILTER (WHERE s.state = 'withdrawn') AS withdrawn, "
            "COUNT(*) FILTER (WHERE s.state IN ('received', 'in_review')) AS pending "
            "FROM units u JOIN submissions s ON s.unit = u.code "
            "WHERE s.received_at >= %s AND s.received_at < %s GROUP BY u.code ORDER BY u.code",
            (start, end),
        )
        return [WeeklyCount(r["unit"], r["sent"], r["accepted"], r["rejected"], r["withdrawn"], r["pending"])
                for r in rows]

    # -- column freshness and expiry (issue 15) --------------------------------------------------
    def last_published(self, column_id: str) -> Submission | None:
        row = self._one("SELECT * FROM submissions WHERE state = 'published' AND column_id = %s "
                        "ORDER BY updated_at DESC LIMIT 1", (column_id,))
        return self._submission(row) if row else None

    def published_counts(self, start: datetime, end: datetime) -> list[tuple[str, str, int]]:
        rows = self._rows(
            "SELECT s.column_id, s.unit, COUNT(*) AS n FROM transitions t "
            "JOIN submissions s ON s.submission_id = t.submission_id "
            "WHERE t.to_state = 'published' AND t.at >= %s AND t.at < %s "
            "GROUP BY s.column_id, s.unit ORDER BY s.column_id, s.unit", (start, end))
        return [(r["column_id"], r["unit"], r["n"]) for r in rows]

    def expired_published(self, before: str, unit: str | None = None) -> list[Submission]:
        sql = "SELECT * FROM submissions WHERE state = 'published' AND expires < %s"
        args: tuple = (before,)
        if unit is not None:
            sql, args = sql + " AND unit = %s", (before, unit)
        return [self._submission(r) for r in self._rows(sql + " ORDER BY expires", args)]

    # -- the server's own findings (issue 14) ----------------------------------------------------
    _PUT_FINDINGS = (
        "INSERT INTO submission_findings (submission_id, state, origin, updated_at, result_json, lists, error) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (submission_id) DO UPDATE SET state = excluded.state, "
        "origin = excluded.origin, updated_at = excluded.updated_at, result_json = excluded.result_json, "
        "lists = excluded.lists, error = excluded.error")

    def put_findings(self, record: SubmissionFindings) -> None:
        r = record
        self._run(self._PUT_FINDINGS, (r.submission_id, r.state, r.origin, r.updated_at, r.result_json, r.lists, r.error))

    @classmethod
    def _put_findings(cls, conn, r: SubmissionFindings) -> None:
        conn.execute(cls._PUT_FINDINGS, (r.submission_id, r.state, r.origin, r.updated_at, r.result_json, r.lists, r.error))

    def get_findings(self, submission_id: str) -> SubmissionFindings | None:
        r = self._one("SELECT * FROM submission_findings WHERE submission_id = %s", (submission_id,))
        if r is None:
            return None
        return SubmissionFindings(r["submission_id"], r["state"], r["origin"], r["updated_at"], r["result_json"],
                                  r["lists"], r["error"])

    def pending_findings(self, limit: int) -> list[str]:
        rows = self._rows("SELECT submission_id FROM submission_findings WHERE state = 'pending' "
                          "ORDER BY updated_at LIMIT %s", (limit,))
        return [r["submission_id"] for r in rows]
