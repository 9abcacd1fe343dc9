"""Table by table, row by row: an exchange's metadata copied between SQLite and PostgreSQL (either way).

The tables are the ones both schemas have (so a table a later schema step adds on both sides moves with no
change here), less the derived and the transient ones: open upload sessions (their staged bytes stay where
they are; the client starts them again), SQLite's kept status counts (PostgreSQL counts rows), and each
engine's own bookkeeping. Times are TEXT in SQLite and TIMESTAMPTZ in PostgreSQL, flags INTEGER and BOOLEAN:
the PostgreSQL column's type says which conversion a value needs.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Iterator

from hnsubmit.exchange.store.sqlite import _d, _t

SKIP = {"uploads", "submission_counts", "sqlite_sequence", "hnsubmit_schema"}
_BATCH = 500


class _Side:
    kind: str

    def tables(self) -> dict[str, list[str]]: ...
    def rows(self, table: str, columns: list[str]) -> Iterator[tuple]: ...
    def insert(self, table: str, columns: list[str], rows: list[tuple]) -> None: ...
    def count(self, table: str) -> int: ...


class SqliteSide(_Side):
    kind = "sqlite"

    def __init__(self, storage) -> None:
        self.conn = sqlite3.connect(storage.path, timeout=30, isolation_level=None)

    def tables(self) -> dict[str, list[str]]:
        names = [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: [r[1] for r in self.conn.execute(f'PRAGMA table_info("{n}")')] for n in names}

    def rows(self, table: str, columns: list[str]) -> Iterator[tuple]:
        cols = ", ".join(f'"{c}"' for c in columns)
        yield from self.conn.execute(f'SELECT {cols} FROM "{table}" ORDER BY rowid')

    def insert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        cols = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def count(self, table: str) -> int:
        return self.conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]

    def close(self) -> None:
        self.conn.close()


class PostgresSide(_Side):
    kind = "postgresql"

    def __init__(self, storage) -> None:
        import psycopg

        self.conn = psycopg.connect(storage.url, autocommit=True)
        self.conn.execute("SET TIME ZONE 'UTC'")
        self.types: dict[tuple[str, str], str] = {}
        self.identity: dict[str, set[str]] = {}

    def tables(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for table, column, dtype, ident in self.conn.execute(
            "SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        ):
            out.setdefault(table, []).append(column)
            self.types[(table, column)] = dtype
            if ident == "YES":
                self.identity.setdefault(table, set()).add(column)
        return out

    def _order(self, table: str) -> str:
        for col in ("pos", "id"):
            if col in self.identity.get(table, ()):
                return f" ORDER BY {col}"
        return ""

    def rows(self, table: str, columns: list[str]) -> Iterator[tuple]:
        cols = ", ".join(f'"{c}"' for c in columns)
        with self.conn.cursor(name=f"dump_{table}") as cur:  # server-side: a big table is not held in memory
            with self.conn.transaction():
                cur.execute(f'SELECT {cols} FROM "{table}"{self._order(table)}')
                yield from cur

    def insert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        cols = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        override = " OVERRIDING SYSTEM VALUE" if set(columns) & self.identity.get(table, set()) else ""
        with self.conn.transaction(), self.conn.cursor() as cur:
            cur.executemany(f'INSERT INTO "{table}" ({cols}){override} VALUES ({marks})', rows)

    def after(self, table: str) -> None:
        # identity columns copied by value: the next generated one follows the largest copied
        for col in self.identity.get(table, ()):
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{col}'), "
                f'GREATEST((SELECT MAX("{col}") FROM "{table}"), 1), (SELECT COUNT(*) > 0 FROM "{table}"))'
            )

    def count(self, table: str) -> int:
        return self.conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]

    def close(self) -> None:
        self.conn.close()


def side(storage) -> _Side:
    return PostgresSide(storage) if hasattr(storage, "url") else SqliteSide(storage)


def _convert(value, dtype: str | None, to_pg: bool):
    if value is None or dtype is None:
        return value
    if dtype.startswith("timestamp"):
        return _d(value) if to_pg else _t(value)
    if dtype == "boolean":
        return bool(value) if to_pg else int(value)
    return value


def copy_tables(src: _Side, dst: _Side, progress=None) -> dict[str, int]:
    """Copy every shared table's rows from `src` to `dst` (empty); returns {table: rows}."""
    src_tables, dst_tables = src.tables(), dst.tables()
    pg = src if src.kind == "postgresql" else dst if dst.kind == "postgresql" else None
    to_pg = dst.kind == "postgresql" and src.kind != "postgresql"
    from_pg = src.kind == "postgresql" and dst.kind != "postgresql"
    done: dict[str, int] = {}
    for table in sorted(set(src_tables) & set(dst_tables) - SKIP):
        columns = [c for c in src_tables[table] if c in dst_tables[table]]
        if pg is not None and src.kind != dst.kind:
            # SQLite's rowid order is PostgreSQL's `pos`; a column only PostgreSQL has is generated there
            columns = [c for c in columns if c != "pos"]
        types = [pg.types.get((table, c)) if pg is not None and (to_pg or from_pg) else None for c in columns]
        n = 0
        batch: list[tuple] = []
        for row in src.rows(table, columns):
            batch.append(tuple(_convert(v, t, to_pg) for v, t in zip(row, types)))
            if len(batch) >= _BATCH:
                dst.insert(table, columns, batch)
                n += len(batch)
                batch = []
        if batch:
            dst.insert(table, columns, batch)
            n += len(batch)
        if isinstance(dst, PostgresSide):
            dst.after(table)
        done[table] = n
        if progress is not None:
            progress(len(done), len(set(src_tables) & set(dst_tables) - SKIP), table)
    return done


def counts(s: _Side, tables: list[str]) -> dict[str, int]:
    return {t: s.count(t) for t in tables}


def copy_with(src_storage, dst_storage, progress=None) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """(rows copied, source counts, destination counts) per table."""
    src, dst = side(src_storage), side(dst_storage)
    with closing(src), closing(dst):
        copied = copy_tables(src, dst, progress)
        return copied, counts(src, list(copied)), counts(dst, list(copied))
