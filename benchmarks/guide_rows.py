"""P8: `guide check` of a generated guide workbook at 500 and 5,000 rows against a bare openpyxl
read-only pass over the same file (every row's values read, nothing kept), each in a fresh process,
alternated; wall time, CPU time (process_time, in the note: the figure to trust on a shared machine) and
peak memory (VmHWM) of each.

    python benchmarks/guide_rows.py [--rows 500,5000] [--runs 3] [--before REV]

Goals (issue 19): ≤ 1.5× the openpyxl pass at 5,000 rows, peak memory ≤ 100 MB, linear from 500 to 5,000.
The library call is what `hnsubmit guide check FILE` runs (check_guides with keep_guides=False), without
the command line's start-up; both children import openpyxl before their clocks start (until the fourth part
ours imported it inside its clock, ~0.2 s the peer did not pay).
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
import openpyxl  # imported before the clock starts, as the peer does: the work is timed, not the import
from hnsubmit.checks.guides import check_guides
start, cpu = time.perf_counter(), time.process_time()
report = check_guides([Path(sys.argv[1])], keep_guides=False)
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(json.dumps({"s": elapsed, "cpu": cpu, "mb": int(hwm) / 1024, "guides": len(report.guides), "failed": report.failed}))
"""

PEER = r"""
import json, sys, time
import openpyxl
start, cpu = time.perf_counter(), time.process_time()
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
n = 0
for ws in wb.worksheets:
    for values in ws.iter_rows(values_only=True):
        n += 1
wb.close()
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(json.dumps({"s": elapsed, "cpu": cpu, "mb": int(hwm) / 1024, "rows": n}))
"""


def _run(code: str, path: Path, tree: Path = REPO) -> dict:
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(tree)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def _export(rev: str, target: Path) -> Path:
    """The package as it was at `rev` (git archive), for PYTHONPATH: a before/after in one run."""
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "hnsubmit"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def measure(rows: tuple[int, ...] = (500, 5000), runs: int = 3, before: str | None = None) -> list[Figure]:
    from factories_guide import batch, write_xlsx

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    figures: list[Figure] = []
    results: dict[int, tuple[dict, dict]] = {}
    olds: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="hnsubmit-bench-p8-") as tmp:
        folder = Path(tmp)
        shutil.copytree(REPO / "examples" / "office-guides" / "表格", folder / "表格")
        old_tree = _export(before, folder / "before") if before else None
        for n in rows:
            path = write_xlsx(folder / f"{n}.xlsx", batch(n))
            ours, peer, old = [], [], []
            for _ in range(runs):
                ours.append(_run(OURS, path))
                peer.append(_run(PEER, path))
                if old_tree:
                    old.append(_run(OURS, path, old_tree))
            if old:
                olds[n] = {k: statistics.median(x[k] for x in old) for k in ("s", "cpu")} | {"mb": max(x["mb"] for x in old)}
            assert all(o["guides"] == n and not o["failed"] for o in ours), ours
            med = lambda xs, k: statistics.median(x[k] for x in xs)  # noqa: E731
            results[n] = ({"s": med(ours, "s"), "cpu": med(ours, "cpu"), "mb": max(o["mb"] for o in ours)},
                          {"s": med(peer, "s"), "cpu": med(peer, "cpu"), "mb": max(p["mb"] for p in peer)})
    top, low = max(rows), min(rows)
    (o, p), (o_low, _p_low) = results[top], results[low]
    figures.append(Figure(f"P8 guide check of {top:,} rows (s)", o["s"], p["s"], "s", "an openpyxl read-only pass",
                          "≤1.5×", o["s"] <= 1.5 * p["s"], f"load average {load} before, "
                          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} after; median of {runs}; CPU s "
                          f"{o['cpu']:.2f} vs {p['cpu']:.2f} = {o['cpu'] / p['cpu']:.2f}x; at {low:,} rows "
                          f"{o_low['s']:.2f} s vs {results[low][1]['s']:.2f} s (CPU {o_low['cpu']:.2f} vs "
                          f"{results[low][1]['cpu']:.2f} s)"))
    figures.append(Figure(f"P8 guide check of {top:,} rows, peak memory (VmHWM)", o["mb"], p["mb"], "MB",
                          "the openpyxl pass", "≤100 MB", o["mb"] <= 100,
                          f"at {low:,} rows {o_low['mb']:.1f} MB vs {results[low][1]['mb']:.1f} MB"))
    per_row_low, per_row_top = o_low["s"] / low, o["s"] / top
    figures.append(Figure(f"P8 time per row at {top:,} vs {low:,} rows", per_row_top * 1000, per_row_low * 1000, "ms",
                          f"per row at {low:,}", "linear (within 1.3×)", per_row_top <= 1.3 * per_row_low))
    if before:
        b = olds[top]
        figures.append(Figure(f"P8 guide check of {top:,} rows, this tree vs {before}", o["s"], b["s"], "s", before,
                              "(informative)", o["s"] <= b["s"], f"CPU s {o['cpu']:.2f} vs {b['cpu']:.2f} = "
                              f"{o['cpu'] / b['cpu']:.2f}x; peak {o['mb']:.1f} vs {b['mb']:.1f} MB; at {low:,} rows "
                              f"{o_low['s']:.2f} s vs {olds[low]['s']:.2f} s"))
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="500,5000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", metavar="REV", help="also time the package at REV (git archive), alternated")
    args = parser.parse_args()
    for fig in measure(tuple(int(x) for x in args.rows.split(",")), args.runs, args.before):
        print(fig.line(), flush=True)
