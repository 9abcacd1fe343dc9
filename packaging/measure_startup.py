"""Size of the standalone folder and `check one.jpg` start-up time, the bundle against the venv.

    python packaging/measure_startup.py [dist/hnsubmit] [--runs 9]

Each command runs once to warm the page cache, then --runs times; the median wall time is printed with
the load average, since the machines are shared (benchmarks/README.md, "Standalone build").
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JPEG = ROOT / "examples" / "positive" / "jpeg" / "标准照片.jpg"


def median_seconds(cmd: list[str], runs: int) -> float:
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"{cmd} exited {proc.returncode}: {proc.stderr.decode(errors='replace')[-500:]}")
        if i:  # the first run only warms the page cache
            times.append(elapsed)
    return statistics.median(times)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("bundle", nargs="?", default=str(ROOT / "dist" / "hnsubmit"))
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    bundle = Path(args.bundle)
    exe = bundle / ("hnsubmit.exe" if os.name == "nt" else "hnsubmit")
    if not exe.is_file():
        raise SystemExit(f"no standalone build at {bundle}: run `make standalone` first")
    venv_exe = shutil.which("hnsubmit", path=str(Path(sys.executable).parent))
    ffmpeg = sum(folder_size(p) for p in (bundle / "_internal" / "imageio_ffmpeg").glob("binaries"))
    print(f"standalone folder {bundle}: {folder_size(bundle) / 1e6:.0f} MB (ffmpeg {ffmpeg / 1e6:.0f} MB)")
    for label, cmd in (("standalone", [str(exe)]), ("venv", [venv_exe])):
        for what in (["--version"], ["check", str(JPEG)]):
            seconds = median_seconds(cmd + what, args.runs)
            print(f"{label:10} {' '.join(['hnsubmit', *what[:1], 'one.jpg' if len(what) > 1 else '']).strip():22} "
                  f"median of {args.runs}: {seconds:.3f} s")
    print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
