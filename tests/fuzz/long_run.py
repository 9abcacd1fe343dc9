"""The long fuzz run (`make fuzz`): every target for --seconds with a corpus kept under build/fuzz/,
then the structured hypothesis tests with many examples; prints the figures docs/fuzzing.md records.

    python tests/fuzz/long_run.py --seconds 300 --jobs 2 [TARGET...]

Exits 1 when any target kept a crash, timeout or out-of-memory input (build/fuzz/<target>/).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
REPO = FUZZ.parents[1]
TARGETS = ["jpeg", "docx", "doc", "asf", "guide_yaml", "guide_xlsx", "guide_docx", "package", "submission"]
KEPT = ("crash-", "timeout-", "oom-", "leak-", "slow-unit-")


def run_target(target: str, seconds: int, out: Path) -> dict:
    work = out / target
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    before = len(list(corpus.iterdir()))
    t0 = time.monotonic()
    with open(work / "log.txt", "w", encoding="utf-8", errors="replace") as log:
        proc = subprocess.run(
            [sys.executable, str(FUZZ / f"fuzz_{target}.py"), f"-max_total_time={seconds}", f"-artifact_prefix={work}/",
             "-print_final_stats=1", str(corpus)],
            stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
        )
    wall = time.monotonic() - t0
    text = (work / "log.txt").read_text(encoding="utf-8", errors="replace")
    done = re.search(r"^Done (\d+) runs in (\d+) second", text, re.M)
    units = re.search(r"stat::number_of_executed_units:\s+(\d+)", text)
    final = re.findall(r"^#\d+\s+DONE\s+(?:cov: (\d+) ft: \d+ )?corp: (\d+)/(\d+\w*)", text, re.M)
    rss = re.search(r"stat::peak_rss_mb:\s+(\d+)", text) or re.search(r"rss: (\d+)Mb\s*$", text, re.M)
    engine = re.search(r"^ENGINE: (\w+)", text, re.M)
    kept = sorted(p.name for p in work.iterdir() if p.name.startswith(KEPT))
    files = list(corpus.iterdir())
    return {
        "target": target, "engine": engine.group(1) if engine else "?", "exit": proc.returncode,
        "execs": int(done.group(1)) if done else int(units.group(1)) if units else 0,
        "seconds": int(done.group(2)) if done else int(wall),
        "cov": final[-1][0] if final and final[-1][0] else "-", "corpus_before": before,
        "corpus": f"{final[-1][1]}/{final[-1][2]}" if final else "-",
        "kept_files": len(files), "kept_bytes": sum(p.stat().st_size for p in files),
        "rss_mb": int(rss.group(1)) if rss else 0, "kept": kept,
    }


def structured(examples: int, out: Path) -> tuple[int, float, str]:
    env = dict(os.environ, HNSUBMIT_FUZZ_EXAMPLES=str(examples))
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(REPO / "tests" / "test_fuzz_ci.py"),
                           "-k", "structured"], capture_output=True, text=True, env=env, cwd=REPO)
    (out / "structured").mkdir(parents=True, exist_ok=True)
    (out / "structured" / "log.txt").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    return proc.returncode, time.monotonic() - t0, proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-400:]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("targets", nargs="*", default=TARGETS)
    ap.add_argument("--seconds", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--examples", type=int, default=1000, help="examples per structured hypothesis test (0: skip)")
    ap.add_argument("--out", type=Path, default=REPO / "build" / "fuzz")
    args = ap.parse_args()
    print(f"fuzzing {len(args.targets)} target(s) for {args.seconds} s each, {args.jobs} at a time; "
          f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs", flush=True)
    with ThreadPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(lambda t: run_target(t, args.seconds, args.out), args.targets))
    print("\n| target | engine | executions | seconds | exec/s | coverage (edges) | corpus in memory (entries/size) "
          "| new inputs kept (before → after) | peak RSS MB | findings |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        rate = r["execs"] / r["seconds"] if r["seconds"] else 0
        found = ", ".join(r["kept"]) or ("none" if r["exit"] == 0 else f"exit {r['exit']}")
        print(f"| {r['target']} | {r['engine']} | {r['execs']:,} | {r['seconds']} | {rate:.0f} | {r['cov']} | "
              f"{r['corpus']} | {r['corpus_before']} → {r['kept_files']} ({r['kept_bytes']:,} B) | {r['rss_mb']} | {found} |")
    bad = [r for r in rows if r["kept"] or r["exit"] != 0]
    if args.examples:
        code, secs, summary = structured(args.examples, args.out)
        print(f"\nstructured (hypothesis, {args.examples} examples per test): {summary} in {secs:.0f} s")
        bad += [{"target": "structured"}] if code else []
    for r in bad:
        print(f"FOUND: {r['target']}: see {args.out / r['target']}/log.txt", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
