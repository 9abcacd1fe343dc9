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


def peak_rss_mb(args: list[str]) -> tuple[int, float]:
    proc = subprocess.Popen([sys.executable, "-m", "hnsubmit", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.stderr.close()
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024


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
    code, rss = peak_rss_mb(["pack", str(folder), "-o", str(out), "--policy", str(policy)])
    assert code == 0 and out.stat().st_size > 200 * MB
    assert rss < 150, f"pack peaked at {rss:.0f} MB for a 200 MB payload"
    code, rss = peak_rss_mb(["check", str(out), "--policy", str(policy), "--format", "json"])
    assert code == 0 and rss < 150, f"check peaked at {rss:.0f} MB"
