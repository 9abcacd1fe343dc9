"""The MP4 (H.264/AAC) rendition of a video for WeChat: two-pass, the bitrate computed from the
duration so the file lands under the byte limit, the picture scaled down (never up) to what that
bitrate can carry.  Runs the bundled ffmpeg through :mod:`hnsubmit.checks.media.ffmpeg` (bounded,
killed on Ctrl-C); the output is a ``.part`` file renamed only when both passes finished.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from hnsubmit.i18n import N_
from hnsubmit.policy.model import WechatChannel

LABEL = N_("making the WeChat MP4")
# (short side, the video bitrate it needs to look clean, the most it gets): the picture is made
# smaller when the byte budget cannot carry the larger one.
LADDER = ((1080, 2_500_000, 4_000_000), (720, 1_200_000, 2_500_000), (480, 600_000, 1_200_000), (360, 0, 700_000))
MIN_VIDEO_BITRATE = 80_000
HEADROOM = 0.92  # the MP4 container and the encoder's rate control overshoot a little
PRESET = "veryfast"


@dataclass(frozen=True)
class Plan:
    encoder: str
    width: int
    height: int
    video_bps: int
    audio_bps: int  # 0: the source has no audio
    duration: float


@lru_cache(maxsize=4)
def h264_encoder(exe: str) -> str:
    """libx264 when this ffmpeg has it (the bundled imageio-ffmpeg build does), else libopenh264."""
    out = subprocess.run([exe, "-hide_banner", "-encoders"], capture_output=True, timeout=30, check=False).stdout.decode("ascii", "replace")
    names = {line.split()[1] for line in out.splitlines() if len(line.split()) > 1 and line.startswith(" V")}
    for name in ("libx264", "libopenh264"):
        if name in names:
            return name
    return ""


def scaled(width: int, height: int, short_side: int) -> tuple[int, int]:
    """Down to `short_side` lines (never up), aspect kept, both even as 4:2:0 needs."""
    scale = min(1.0, short_side / min(width, height))
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def plan(width: int, height: int, duration: float, has_audio: bool, limits: WechatChannel, encoder: str = "libx264") -> Plan:
    """The size and bitrates of the rendition: the largest picture the byte budget carries cleanly."""
    budget = limits.max_video_bytes * 8 * HEADROOM / max(duration, 0.1)
    audio = (128_000 if budget > 1_000_000 else 64_000) if has_audio else 0
    video_budget = int(budget - audio)
    most_lines = min(limits.max_video_height, min(width, height))
    for lines, needs, cap in LADDER:
        if lines <= most_lines and video_budget >= needs or lines == LADDER[-1][0]:
            w, h = scaled(width, height, min(lines, most_lines))
            return Plan(encoder, w, h, min(cap, video_budget), audio, duration)
    raise AssertionError("the ladder ends with a rung for any budget")  # pragma: no cover


def make_mp4(src: Path, dst: Path, limits: WechatChannel, progress: Callable[[float, str], None] | None = None) -> Plan:
    from hnsubmit.checks.media.ffmpeg import FfmpegFailed, file_arg, find_ffmpeg, probe, run_with_progress

    info = probe(src)
    if not info.has_video or not info.width or not info.height or not info.duration:
        raise FfmpegFailed(N_("ffmpeg found no video stream it can read in {path}"), path=src.name)
    if info.duration > limits.max_video_seconds:
        raise FfmpegFailed(N_("{path} lasts {seconds} s, longer than WeChat takes ({limit} s)"),
                           path=src.name, seconds=round(info.duration), limit=round(limits.max_video_seconds))
    encoder = h264_encoder(find_ffmpeg())
    if not encoder:
        raise FfmpegFailed(N_("this ffmpeg has no H.264 encoder (libx264 or libopenh264)"))
    p = plan(info.width, info.height, info.duration, info.has_audio, limits, encoder)
    if p.video_bps < MIN_VIDEO_BITRATE:
        raise FfmpegFailed(N_("{path} is too long to fit in {limit} MB as an MP4 WeChat can play"),
                           path=src.name, limit=round(limits.max_video_bytes / 1_000_000, 1))
    dst.parent.mkdir(parents=True, exist_ok=True)
    part = dst.with_name(f".{dst.name}.part")
    work = Path(tempfile.mkdtemp(prefix="hnsubmit-2pass-"))
    share = 0.5 if encoder == "libx264" else 1.0
    report = (lambda base: (lambda f: progress(base + f * share, LABEL))) if progress else (lambda base: None)
    timeout = 300 + 30 * info.duration
    try:
        passes = ((1, 0.0), (2, 0.5)) if encoder == "libx264" else ((2, 0.0),)  # libopenh264 has no two-pass mode
        for n, base in passes:
            run_with_progress(encode_args(src, part, p, n, work / "x264", file_arg), info.duration, report(base), timeout=timeout)
        os.replace(part, dst)
    finally:
        part.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    return p


def encode_args(src: Path, out: Path, p: Plan, n: int, passlog: Path, file_arg=str) -> list[str]:
    """The ffmpeg arguments of pass `n` (1 analyses, 2 writes); the benchmark runs the same ones."""
    video = ["-map", "0:v:0", "-vf", f"scale={p.width}:{p.height}", "-c:v", p.encoder, "-pix_fmt", "yuv420p",
             "-b:v", str(p.video_bps), "-maxrate", str(int(p.video_bps * 1.5)), "-bufsize", str(p.video_bps * 2)]
    if p.encoder == "libx264":
        video += ["-preset", PRESET, "-pass", str(n), "-passlogfile", str(passlog)]
    args = ["-y", "-i", file_arg(src), *video]
    if n == 1:
        return args + ["-an", "-f", "null", "-"]
    audio = ["-map", "0:a:0", "-c:a", "aac", "-b:a", str(p.audio_bps), "-ac", "2", "-ar", "44100"] if p.audio_bps else []
    # no personal metadata (a phone's position) travels along; the index first, so phones start playing at once
    return args + audio + ["-map_metadata", "-1", "-map_chapters", "-1", "-movflags", "+faststart", "-f", "mp4", file_arg(out)]
