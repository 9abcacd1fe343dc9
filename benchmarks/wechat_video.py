"""The WeChat MP4 rendition (issue 18): seconds of video per second of wall time, ours vs plain ffmpeg.

    python benchmarks/wechat_video.py [--seconds 30] [--size 1920x1080] [--rate 25] [--runs 3]

Ours: `hnsubmit.checks.wechat.video.make_mp4` (probe, plan, two passes with -progress read through a
pipe, the .part file renamed at the end).  Peer, in the same run on the same clip: the bundled ffmpeg
run directly with the very same two-pass arguments (`encode_args`), as a person would type them — so
the figure is what our orchestration costs, not how fast libx264 is.  Runs alternate (ours, peer,
ours, …) so a change in machine load hits both; the median of each is reported.  No timed assertion.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def make_clip(path: Path, seconds: float, size: str, rate: int, exe: str) -> Path:
    """A WMV2/WMA2 clip like a portal original: test pattern with a moving part, and a tone."""
    cmd = [exe, "-hide_banner", "-loglevel", "error", "-y",
           "-f", "lavfi", "-i", f"testsrc2=duration={seconds}:size={size}:rate={rate}",
           "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
           "-c:v", "wmv2", "-b:v", "6M", "-c:a", "wmav2", "-b:a", "128k", str(path)]
    subprocess.run(cmd, check=True, timeout=1800)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--rate", type=int, default=25)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    from hnsubmit.checks.media.ffmpeg import find_ffmpeg, probe
    from hnsubmit.checks.wechat.video import encode_args, h264_encoder, make_mp4, plan
    from hnsubmit.policy.model import default_policy

    exe = find_ffmpeg()
    limits = default_policy().channels.wechat
    work = Path(tempfile.mkdtemp(prefix="bench-wechat-"))
    try:
        src = make_clip(work / "clip.wmv", args.seconds, args.size, args.rate, exe)
        info = probe(src)
        p = plan(info.width, info.height, info.duration, info.has_audio, limits, h264_encoder(exe))
        ours, peer = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            make_mp4(src, work / "ours.mp4", limits, progress=lambda f, label: None)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            for n in (1, 2):
                cmd = [exe, "-hide_banner", "-nostdin", "-v", "error", *encode_args(src, work / "peer.mp4", p, n, work / "peer-x264")]
                subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL, timeout=3600)
            peer.append(time.perf_counter() - start)
        o, q = statistics.median(ours), statistics.median(peer)
        print(f"clip: {args.seconds:g} s of {args.size} at {args.rate} fps (WMV2/WMA2), {src.stat().st_size / 1e6:.1f} MB")
        print(f"plan: {p.encoder} {p.width}x{p.height}, video {p.video_bps // 1000} kbps, audio {p.audio_bps // 1000} kbps, two-pass, preset veryfast")
        print(f"sizes: ours {(work / 'ours.mp4').stat().st_size / 1e6:.2f} MB, peer {(work / 'peer.mp4').stat().st_size / 1e6:.2f} MB, limit {limits.max_video_bytes / 1e6:.0f} MB")
        print(f"ours (make_mp4):      {args.seconds / o:6.2f} s of video per second (median {o:.2f} s of {args.runs})")
        print(f"peer (plain ffmpeg):  {args.seconds / q:6.2f} s of video per second (median {q:.2f} s of {args.runs})")
        print(f"ours / peer wall time: {o / q:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
