"""P12: the office's reports (issue 15 §5) — `report weekly` and `report quarter` as the exchange builds
them (exchange/reports.py: approved, published, adoption rate, points), against the store's bare
per-unit counts of the same period (`weekly_counts`, the one grouped query the report had before it
counted approvals and points), alternated in one run, in this process, on one SQLite database.

The database holds `--rows` items spread over 2026-Q4's 14 weeks and 16 units; `--withdrawn` of them
are withdrawn (each needs its history read to know whether it was approved) and as many again wait for
their approver. Goal: the weekly report ≤ 10x the bare count and ≤ 100 ms at 20,000 items a quarter.

    python benchmarks/office_reports.py [--rows 20000] [--withdrawn 0.05] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from common import Figure

FMT = "%Y-%m-%dT%H:%M:%S.%fZ"


def fill(data_dir: Path, rows: int, withdrawn: float) -> None:
    from datetime import timezone

    from hnsubmit.exchange.context import open_exchange
    from hnsubmit.exchange.weeks import quarter_bounds

    ex = open_exchange(data_dir)
    units = [u.code for u in ex.storage.list_units()]
    ex.close()
    start, end = quarter_bounds("2026-Q4")
    span = (end - start).total_seconds()
    manifest = json.dumps({"title": "标题", "approval": {"approver": "王五", "approved_at": "2026-11-17T09:30:00+08:00"}},
                          ensure_ascii=False)
    every = max(1, round(1 / withdrawn)) if withdrawn > 0 else 0
    conn = sqlite3.connect(data_dir / "exchange.sqlite3", isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    for i in range(rows):
        at = (start + timedelta(seconds=span * i / rows)).astimezone(timezone.utc).strftime(FMT)
        state = ("received", "in_review", "published", "published", "rejected")[i % 5]
        if every and i % every == 0:
            state = "withdrawn"
        elif every and i % every == 1:
            state = "awaiting_approval"
        sid = f"HN-P12-{i:08d}"
        conn.execute("INSERT INTO submissions (submission_id, unit, idempotency_key, manifest_digest, manifest_json, title, "
                     "column_id, category, state, reason, received_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (sid, units[i % len(units)], f"k{i}", "sha256:" + "0" * 64, manifest, "标题", "county-news", "meetings",
                      state, None, at, at))
        conn.execute("INSERT INTO transitions (submission_id, from_state, to_state, at, by, reason) VALUES (?, ?, ?, ?, ?, ?)",
                     (sid, None, "received", at, "unit:" + units[i % len(units)], None))
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
    parser.add_argument("--withdrawn", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from hnsubmit.exchange import reports
    from hnsubmit.exchange.context import open_exchange
    from hnsubmit.exchange.weeks import quarter_bounds, quarter_weeks, week_bounds

    with tempfile.TemporaryDirectory(prefix="hnsubmit-p8-") as tmp:
        data = Path(tmp) / "ex"
        fill(data, args.rows, args.withdrawn)
        ex = open_exchange(data, create=False)
        try:
            week = quarter_weeks("2026-Q4")[8]
            peer_week = ours_week = peer_quarter = ours_quarter = 0.0
            reports.weekly(ex, week), reports.quarter(ex, "2026-Q4")  # warm the page cache
            for _ in range(args.runs):  # alternated, so a burst of load hits both
                peer_week += _median(lambda: ex.storage.weekly_counts(*week_bounds(week)), 3)
                ours_week += _median(lambda: reports.weekly(ex, week), 3)
                peer_quarter += _median(lambda: ex.storage.weekly_counts(*quarter_bounds("2026-Q4")), 1)
                ours_quarter += _median(lambda: reports.quarter(ex, "2026-Q4"), 1)
        finally:
            ex.close()
    n = args.runs
    ours_week, peer_week, ours_quarter, peer_quarter = (x / n * 1000 for x in (ours_week, peer_week, ours_quarter, peer_quarter))
    note = f"{args.rows:,} items in the quarter, {args.withdrawn:.0%} withdrawn, as many awaiting approval"
    figures = [
        Figure("P12 report weekly", ours_week, peer_week, "ms", "weekly_counts of the week", "≤ 10x and ≤ 100 ms",
               ours_week <= 10 * peer_week and ours_week <= 100, note),
        Figure("P12 report quarter", ours_quarter, peer_quarter, "ms", "weekly_counts of the quarter", "≤ 10x",
               ours_quarter <= 10 * peer_quarter, note),
    ]
    for f in figures:
        print(f.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
