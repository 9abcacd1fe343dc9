"""P1: cold start of hnsubmit commands against twine's, measured alternately in the same run.

  root help        `hnsubmit --help`        vs `twine --help`      goal ≤ 0.5× and ≤ 0.25 s (issue 2)
  command help     `hnsubmit check --help`, `hnsubmit push --help` vs `twine --help`      goal ≤ 0.6× (issue 19)
  a check          `hnsubmit check one.jpg` vs `twine check tiny.whl` (a hand-made one-module wheel)
                                                                      goal ≤ 0.6× (issue 19)

Median wall time of each after a warm-up, the commands alternated so both see the same load; the
CPU time (user + system of the child) is printed beside it, since on a shared machine the wall time
mostly measures waiting for a core.  Peer: twine (`pip install twine` into the same venv).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from common import Figure, tool

RUNS = 9


def _tiny_wheel(folder: Path) -> Path:
    import base64
    import hashlib

    name = folder / "tiny_pkg-0.1-py3-none-any.whl"
    files = {
        "tiny_pkg/__init__.py": b'"""A tiny package."""\n',
        "tiny_pkg-0.1.dist-info/METADATA": (b"Metadata-Version: 2.1\nName: tiny-pkg\nVersion: 0.1\nSummary: A tiny package\n"
                                            b"Description-Content-Type: text/markdown\n\n# tiny\n\nA tiny package.\n"),
        "tiny_pkg-0.1.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    with zipfile.ZipFile(name, "w") as z:
        for path, data in files.items():
            z.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{path},sha256={digest},{len(data)}")
        record.append("tiny_pkg-0.1.dist-info/RECORD,,")
        z.writestr("tiny_pkg-0.1.dist-info/RECORD", "\n".join(record) + "\n")
    return name


def _one_jpeg(folder: Path) -> Path:
    from PIL import Image

    path = folder / "one.jpg"
    Image.new("RGB", (1024, 768), (90, 120, 150)).save(path, quality=90)
    return path


def _once(cmd: list[str], cwd: Path) -> tuple[float, float]:
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, check=False,
                   env={**os.environ, "HNSUBMIT_LANG": "zh"})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _alternate(pairs: dict[str, list[str]], cwd: Path, runs: int) -> dict[str, tuple[float, float]]:
    """name -> (median wall, median CPU) of each command, all run in turn `runs` times after a warm-up."""
    samples: dict[str, list[tuple[float, float]]] = {k: [] for k in pairs}
    for i in range(runs + 1):
        for name, cmd in pairs.items():
            result = _once(cmd, cwd)
            if i:
                samples[name].append(result)
    return {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in samples.items()}


def measure(runs: int = RUNS) -> list[Figure]:
    ours = tool("hnsubmit") or "hnsubmit"
    twine = tool("twine")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    if not twine:
        return [Figure("P1 cold start", 0.0, None, "s", "twine", "≤0.6× twine", None, "install with: pip install twine")]
    with tempfile.TemporaryDirectory(prefix="hnsubmit-bench-p1-") as tmp:
        folder = Path(tmp)
        wheel, jpeg = _tiny_wheel(folder), _one_jpeg(folder)
        t = _alternate({
            "root": [ours, "--help"], "check --help": [ours, "check", "--help"], "push --help": [ours, "push", "--help"],
            "twine --help": [twine, "--help"],
            "check one.jpg": [ours, "check", jpeg.name, "-q"], "twine check": [twine, "check", wheel.name],
        }, folder, runs)

    def fig(name: str, key: str, peer: str, goal: str, factor: float, extra_ok: bool = True) -> Figure:
        (w, c), (pw, pc) = t[key], t[peer]
        return Figure(name, w, pw, "s", peer, goal, w <= factor * pw and extra_ok,
                      f"CPU {c:.3f} s vs {pc:.3f} s = {c / pc:.2f}x; load average {load}; median of {runs}")

    return [
        fig("P1 --help cold start", "root", "twine --help", "≤0.5× twine and ≤0.25 s", 0.5, t["root"][0] <= 0.25),
        fig("P1 check --help cold start", "check --help", "twine --help", "≤0.6× twine", 0.6),
        fig("P1 push --help cold start", "push --help", "twine --help", "≤0.6× twine", 0.6),
        fig("P1 check one.jpg cold start", "check one.jpg", "twine check", "≤0.6× twine check of a tiny wheel", 0.6),
    ]


if __name__ == "__main__":
    for figure in measure():
        print(figure.line())
    sys.exit(0)
