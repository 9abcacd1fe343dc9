"""P13: the column report (issue 15 §3) — `report columns` as the exchange builds it (exchange/columns.py: every
column's last published item, its state, the quarter's publications per unit) against the weekly report of
the same store and quarter (`report quarter`, exchange/reports.py: the office's other quarterly report,
which counts the quarter per unit as this one counts it per column), alternated in one run, in this process, on
one SQLite database; and the expired list (published items past their `expires`) against the same peer.

The database holds `--rows` items over 2026-Q4's 14 weeks, spread over the 17 seed columns and 16 units,
three in five published (each with its transition), one in ten with an expiry date, half of those past.
Goal: each ≤ 1x the quarterly report and ≤ 100 ms at 20,000 items a quarter.

    python benchmarks/column_report.py [--rows 20000] [--runs 5]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import timedelta, timezone
from pathlib import Path

from common import Figure

FMT = "%Y-%m-%dT%H:%M:%S.%fZ"


def fill(data_dir: Path, rows: int) -> None:
    from hnsubmit.exchange.context import open_exchange
    from hnsubmit.exchange.weeks import quarter_bounds

    ex = open_exchange(data_dir)
    units = [u.code for u in ex.storage.list_units()]
    columns = [c.id for c in ex.storage.list_columns()]
    ex.close()
    start, end = quarter_bounds("2026-Q4")
    span = (end - start).total_seconds()
    conn = sqlite3.connect(data_dir / "exchange.sqlite3", isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    for i in range(rows):
        at = (start + timedelta(seconds=span * i / rows)).astimezone(timezone.utc).strftime(FMT)
        state = ("received", "published", "published", "published", "rejected")[i % 5]
        expires = None
        if i % 10 == 1:
            expires = "2026-10-15" if i % 20 == 1 else "2027-06-30"
        sid, unit = f"HN-P13-{i:08d}", units[i % len(units)]
        conn.execute("INSERT INTO submissions (submission_id, unit, idempotency_key, manifest_digest, manifest_json, title, "
                     "column_id, category, state, reason, received_at, updated_at, expires) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (sid, unit, f"k{i}", "sha256:" + "0" * 64, "{}", f"标题 {i}", columns[i % len(columns)], "meetings",
                      state, None, at, at, expires))
        conn.execute("INSERT INTO transitions (submission_id, from_state, to_state, at, by, reason) VALUES (?, ?, ?, ?, ?, ?)",
                     (sid, None, "received", at, "unit:" + unit, None))
        if state == "published":
            conn.execute("INSERT INTO transitions (submission_id, from_state, to_state, at, by, reason) VALUES (?, ?, ?, ?, ?, ?)",
                         (sid, "received", "published", at, "reviewer:t_bench", None))
    conn.execute("COMMIT")
    conn.close()


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from hnsubmit.exchange import columns, reports
    from hnsubmit.exchange.context import open_exchange
    from hnsubmit.exchange.weeks import quarter_bounds

    with tempfile.TemporaryDirectory(prefix="hnsubmit-p10-") as tmp:
        data = Path(tmp) / "ex"
        fill(data, args.rows)
        ex = open_exchange(data, create=False)
        try:
            now = quarter_bounds("2026-Q4")[1] - timedelta(days=7)
            report = columns.column_report(ex.storage, "2026-Q4", now)  # warm the page cache, and check the data
            assert sum(r["quarter_published"] for r in report["rows"]) == sum(1 for i in range(args.rows) if i % 5 in (1, 2, 3))
            expired = columns.expired_report(ex.storage, now)["items"]
            peer = ours = ours_expired = 0.0
            reports.quarter(ex, "2026-Q4")
            for _ in range(args.runs):  # alternated, so a burst of load hits both
                peer += _median(lambda: reports.quarter(ex, "2026-Q4"), 3)
                ours += _median(lambda: columns.column_report(ex.storage, "2026-Q4", now), 3)
                ours_expired += _median(lambda: columns.expired_report(ex.storage, now), 3)
        finally:
            ex.close()
    n = args.runs
    ours, peer, ours_expired = (x / n * 1000 for x in (ours, peer, ours_expired))
    note = f"{args.rows:,} items in the quarter over 17 columns, {len(expired)} expired"
    figures = [
        Figure("P13 report columns", ours, peer, "ms", "report quarter", "≤ 1x and ≤ 100 ms", ours <= peer and ours <= 100, note),
        Figure("P13 report expired", ours_expired, peer, "ms", "report quarter", "≤ 1x and ≤ 100 ms",
               ours_expired <= peer and ours_expired <= 100, note),
    ]
    for f in figures:
        print(f.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
