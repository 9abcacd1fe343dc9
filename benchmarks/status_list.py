"""P7: the status list (GET /api/v1/submissions, a unit's newest 50) with 20,000 submissions of that unit
against the same list with 1 submission, requests/s of two real `hnsubmit serve` processes measured
alternately in one run (keep-alive client, one request at a time). Goal (issue 19): ≥ 0.8×.

Also the query alone (sqlite3, in this process): a page of the unit's list over the 20,000 rows with
the schema-2 indexes against the same database with the version-1 indexes (which sorted all of the
unit's rows for each page).

    python benchmarks/status_list.py [--rows 20000] [--requests 300]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from common import REPO, Figure

sys.path.insert(0, str(REPO / "tests"))

UNIT = "632521"
PAGE = "SELECT * FROM submissions WHERE unit = ? ORDER BY received_at DESC, submission_id LIMIT 50 OFFSET 0"


def fill(data_dir: Path, rows: int) -> None:
    """`rows` submissions of UNIT (and as many of another unit) over a year, written straight into SQLite."""
    from hnsubmit.exchange.context import open_exchange

    open_exchange(data_dir).close()  # schema, seed units
    conn = sqlite3.connect(data_dir / "exchange.sqlite3", isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ"
    conn.execute("BEGIN")
    for unit, n in ((UNIT, rows), ("632522", rows)):
        batch = []
        for i in range(n):
            at = (start + timedelta(minutes=26 * i)).strftime(fmt)
            sid = f"HN-{unit}-{i:08d}"
            batch.append((sid, unit, f"k-{i}", "sha256:" + "0" * 64, "{}", f"标题 {i}", "county-news", "meetings",
                          ("received", "in_review", "published", "rejected")[i % 4], None, at, at))
        conn.executemany("INSERT INTO submissions (submission_id, unit, idempotency_key, manifest_digest, manifest_json, "
                         "title, column_id, category, state, reason, received_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)  # named: schema 5 added `expires`
    conn.execute("COMMIT")
    conn.close()


def _rps(server, n: int) -> float:
    with server.client("unit") as c:
        start = time.perf_counter()
        for _ in range(n):
            r = c.get("/api/v1/submissions", params={"limit": 50})
            assert r.status_code == 200, r.text
        return n / (time.perf_counter() - start)


def query_ms(db: Path, runs: int = 30) -> float:
    conn = sqlite3.connect(db)
    try:
        conn.execute(PAGE, (UNIT,)).fetchall()
        start = time.perf_counter()
        for _ in range(runs):
            conn.execute(PAGE, (UNIT,)).fetchall()
        return (time.perf_counter() - start) / runs * 1000
    finally:
        conn.close()


def version_1_copy(db: Path, to: Path) -> Path:
    shutil.copyfile(db, to)
    conn = sqlite3.connect(to, isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall():
        conn.execute(f"DROP INDEX {name}")
    conn.executescript("CREATE INDEX uploads_unit_digest ON uploads (unit, digest);"
                       "CREATE INDEX submissions_received ON submissions (received_at);"
                       "CREATE INDEX transitions_submission ON transitions (submission_id);"
                       "CREATE INDEX tokens_rotated_from ON tokens (rotated_from);")
    conn.close()
    return to


def measure(rows: int = 20_000, requests: int = 300, rounds: int = 3) -> list[Figure]:
    from exchange.harness import start_server

    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        small_dir, big_dir = Path(tmp) / "one", Path(tmp) / "many"
        fill(small_dir, 1)
        fill(big_dir, rows)
        old_db = version_1_copy(big_dir / "exchange.sqlite3", Path(tmp) / "v1.sqlite3")
        new_ms, old_ms = query_ms(big_dir / "exchange.sqlite3"), query_ms(old_db)
        small, big = start_server(small_dir), start_server(big_dir)
        try:
            _rps(small, 30), _rps(big, 30)  # warm up both
            few, many = [], []
            for _ in range(rounds):  # alternated, so both see the same load
                few.append(_rps(small, requests // rounds))
                many.append(_rps(big, requests // rounds))
        finally:
            small.stop()
            big.stop()
    ours, peer = sum(many) / len(many), sum(few) / len(few)
    note = f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; rounds: {', '.join(f'{a:.0f}/{b:.0f}' for a, b in zip(many, few))}"
    return [
        Figure(f"P7 status list at {rows:,} submissions (requests/s)", ours, peer, "req/s", "the same at 1 submission",
               "≥0.8×", ours / peer >= 0.8, note),
        Figure(f"P7 the page query alone at {rows:,} rows (ms)", new_ms, old_ms, "ms", "schema 1's indexes",
               "(informative)", True, "sqlite3 in-process, mean of 30"),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    for fig in measure(args.rows, args.requests):
        print(fig.line())
