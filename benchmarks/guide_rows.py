"""P8: `guide check` of a generated guide workbook at 500 and 5,000 rows against a bare openpyxl
read-only pass over the same file (every row's values read, nothing kept), each in a fresh process,
alternated; wall time and peak memory (VmHWM) of each.

    python benchmarks/guide_rows.py [--rows 500,5000] [--runs 3]

Goals (issue 19): ≤ 1.5× the openpyxl pass at 5,000 rows, peak memory ≤ 100 MB, linear from 500 to 5,000.
The library call is what `hnsubmit guide check FILE` runs (check_guides with keep_guides=False), without
the command line's start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import REPO, Figure

sys.path.insert(0, str(REPO / "tests"))

OURS = r"""
import json, sys, time
from pathlib import Path
from hnsubmit.checks.guides import check_guides
start = time.perf_counter()
report = check_guides([Path(sys.argv[1])], keep_guides=False)
elapsed = time.perf_counter() - start
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(json.dumps({"s": elapsed, "mb": int(hwm) / 1024, "guides": len(report.guides), "failed": report.failed}))
"""

PEER = r"""
import json, sys, time
import openpyxl
start = time.perf_counter()
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
n = 0
for ws in wb.worksheets:
    for values in ws.iter_rows(values_only=True):
        n += 1
wb.close()
elapsed = time.perf_counter() - start
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(json.dumps({"s": elapsed, "mb": int(hwm) / 1024, "rows": n}))
"""


def _run(code: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(rows: tuple[int, ...] = (500, 5000), runs: int = 3) -> list[Figure]:
    from factories_guide import batch, write_xlsx

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    figures: list[Figure] = []
    results: dict[int, tuple[dict, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="hnsubmit-bench-p8-") as tmp:
        folder = Path(tmp)
        shutil.copytree(REPO / "examples" / "office-guides" / "表格", folder / "表格")
        for n in rows:
            path = write_xlsx(folder / f"{n}.xlsx", batch(n))
            ours, peer = [], []
            for _ in range(runs):
                ours.append(_run(OURS, path))
                peer.append(_run(PEER, path))
            assert all(o["guides"] == n and not o["failed"] for o in ours), ours
            med = lambda xs, k: statistics.median(x[k] for x in xs)  # noqa: E731
            results[n] = ({"s": med(ours, "s"), "mb": max(o["mb"] for o in ours)},
                          {"s": med(peer, "s"), "mb": max(p["mb"] for p in peer)})
    top, low = max(rows), min(rows)
    (o, p), (o_low, _p_low) = results[top], results[low]
    figures.append(Figure(f"P8 guide check of {top:,} rows (s)", o["s"], p["s"], "s", "an openpyxl read-only pass",
                          "≤1.5×", o["s"] <= 1.5 * p["s"], f"load average {load}; median of {runs}; at {low:,} rows "
                          f"{o_low['s']:.2f} s vs {results[low][1]['s']:.2f} s"))
    figures.append(Figure(f"P8 guide check of {top:,} rows, peak memory (VmHWM)", o["mb"], p["mb"], "MB",
                          "the openpyxl pass", "≤100 MB", o["mb"] <= 100,
                          f"at {low:,} rows {o_low['mb']:.1f} MB vs {results[low][1]['mb']:.1f} MB"))
    per_row_low, per_row_top = o_low["s"] / low, o["s"] / top
    figures.append(Figure(f"P8 time per row at {top:,} vs {low:,} rows", per_row_top * 1000, per_row_low * 1000, "ms",
                          f"per row at {low:,}", "linear (within 1.3×)", per_row_top <= 1.3 * per_row_low))
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="500,5000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for fig in measure(tuple(int(x) for x in args.rows.split(",")), args.runs):
        print(fig.line(), flush=True)
