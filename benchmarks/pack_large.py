"""Pack a submission folder holding one 200 MB WMV and report wall time, throughput and peak RSS.

    python benchmarks/pack_large.py [--size-mb 200] [--keep DIR]

Peers measured in the same run on the same folder: `bagit.py --sha256` (the bagit library's own
command line, which hashes the payload once, in place) followed by Info-ZIP `zip -r -0` of the bag,
i.e. what a careful person would do by hand.  No timed assertion anywhere: these are figures.
The video is made with the ffmpeg of imageio-ffmpeg (noise, so it does not compress); its bitrate is
far above the default policy's WMV limit, so a policy raising that limit is used for both runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

TOML = """\
kind = "news"
title = "共和县冬季文旅宣传片(高码率原片)"
unit = "632521"
column = "videos"
category = "other"
written = 2026-11-18
channels = ["portal"]

[liaison]
name = "李海英"
phone = "0974-8512655"

[approval]
approver = "马国栋"
approved_at = 2026-11-18T11:00:00+08:00

[[files]]
path = "宣传片.wmv"
role = "video"
"""

POLICY = """\
[limits]
max_bytes.default = 20_000_000
max_bytes.wmv = 2_000_000_000
[wmv]
max_bitrate_kbps = 10_000_000
max_width = 1920
max_height = 1080
"""


def make_video(path: Path, size_mb: int) -> None:
    import imageio_ffmpeg

    seconds = size_mb / 36.0  # about 36 MB per second of 1280x720 noise at q 2
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
           "-i", "testsrc2=size=1280x720:rate=25,noise=alls=60:allf=t", "-t", f"{seconds:.2f}",
           "-c:v", "wmv2", "-q:v", "2", "-an", str(path)]
    subprocess.run(cmd, check=True)


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one child, from its own rusage (os.wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{cmd[2:4]} failed with exit code {proc.returncode}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mb", type=int, default=200)
    ap.add_argument("--keep", type=Path, default=None, help="Reuse/keep the generated folder here.")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="hnsubmit-bench-"))
    folder = work / "宣传片"
    folder.mkdir(parents=True, exist_ok=True)
    video = folder / "宣传片.wmv"
    if not video.exists():
        make_video(video, args.size_mb)
    (folder / "submission.toml").write_text(TOML, encoding="utf-8")
    policy = work / "bench.policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    size = video.stat().st_size
    hnsubmit = [sys.executable, "-m", "hnsubmit"]
    out = work / "宣传片.zip"
    wall, rss = run(hnsubmit + ["pack", str(folder), "-o", str(out), "--policy", str(policy), "-f", "json"])
    digest1 = subprocess.run(["sha256sum", str(out)], capture_output=True, text=True).stdout.split()[0]
    wall2, _ = run(hnsubmit + ["pack", str(folder), "-o", str(out), "--policy", str(policy), "-f", "json"])
    digest2 = subprocess.run(["sha256sum", str(out)], capture_output=True, text=True).stdout.split()[0]
    check_wall, check_rss = run(hnsubmit + ["check", str(out), "--policy", str(policy), "-f", "json"])
    # peer: bagit.py in place on a copy, then zip -0
    peer_dir = work / "peer"
    shutil.rmtree(peer_dir, ignore_errors=True)
    shutil.copytree(folder, peer_dir, copy_function=os.link)
    bagit_cmd = [str(Path(sys.executable).parent / "bagit.py"), "--sha256", "--processes", "1", str(peer_dir)]
    start = time.perf_counter()
    subprocess.run(bagit_cmd, check=True, stderr=subprocess.DEVNULL)
    peer_zip = work / "peer.zip"
    peer_zip.unlink(missing_ok=True)
    subprocess.run(["zip", "-q", "-r", "-0", str(peer_zip), "."], cwd=peer_dir, check=True)
    peer_wall = time.perf_counter() - start
    mb = size / 1e6
    print(f"payload: {mb:.0f} MB WMV; package {out.stat().st_size / 1e6:.0f} MB")
    print(f"hnsubmit pack (check + bag + zip + hash): {wall:.2f} s = {mb / wall:.0f} MB/s, peak RSS {rss:.0f} MB")
    print(f"hnsubmit pack again: {wall2:.2f} s; same bytes: {digest1 == digest2} ({digest1[:16]}…)")
    print(f"hnsubmit check FILE.zip (extract + bagit validate + payload checks): {check_wall:.2f} s, peak RSS {check_rss:.0f} MB")
    print(f"peer bagit.py --sha256 + zip -r -0: {peer_wall:.2f} s = {mb / peer_wall:.0f} MB/s; ratio ours/peer {wall / peer_wall:.2f}x")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
