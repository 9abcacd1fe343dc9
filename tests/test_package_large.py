"""A 200 MB payload is packed and checked in bounded memory: hashing, zipping and extraction stream.
(Time is reported by benchmarks/pack_large.py; here only memory is asserted.)"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from factories_submission import VALID_TOML, submission_folder

MB = 1024 * 1024
POLICY = "[limits]\nmax_bytes.default = 20_000_000\nmax_bytes.pdf = 300_000_000\n"


# The child reports its own VmHWM (peak RSS) from /proc/self/status as it exits.  Not ru_maxrss from
# wait4: on Linux that keeps the high-water mark of the process before exec, i.e. the pytest worker's
# pages at fork time, so a 100 MB test runner made every child "peak" at 100 MB or more.
_REPORT_PEAK = """
import atexit, runpy, sys
out = sys.argv.pop(1)
def report():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(out, "w").write(line.split()[1])
atexit.register(report)
sys.argv[0] = "hnsubmit"
runpy.run_module("hnsubmit", run_name="__main__", alter_sys=True)
"""


def peak_rss_mb(args: list[str], workdir) -> tuple[int, float]:
    report = workdir / "peak-kb.txt"
    report.unlink(missing_ok=True)
    proc = subprocess.run([sys.executable, "-c", _REPORT_PEAK, str(report), *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, timeout=600)
    return proc.returncode, int(report.read_text()) / 1024


@pytest.mark.slow
def test_pack_and_check_of_200_mb_stay_small(tmp_path):
    toml = VALID_TOML + '\n[[files]]\npath = "材料汇编.pdf"\nrole = "attachment"\n'
    folder = submission_folder(tmp_path / "s", toml)
    with open(folder / "材料汇编.pdf", "wb") as fh:  # identified as PDF by its header; random, so incompressible
        fh.write(b"%PDF-1.4\n")
        for _ in range(200):
            fh.write(os.urandom(MB))
    policy = tmp_path / "p.toml"
    policy.write_text(POLICY, encoding="utf-8")
    out = tmp_path / "s.zip"
    code, rss = peak_rss_mb(["pack", str(folder), "-o", str(out), "--policy", str(policy)], tmp_path)
    assert code == 0 and out.stat().st_size > 200 * MB
    assert rss < 150, f"pack peaked at {rss:.0f} MB for a 200 MB payload"
    code, rss = peak_rss_mb(["check", str(out), "--policy", str(policy), "--format", "json"], tmp_path)
    assert code == 0 and rss < 150, f"check peaked at {rss:.0f} MB"
