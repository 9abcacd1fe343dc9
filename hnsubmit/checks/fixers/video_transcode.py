"""Transcode video to WMV (WMV2 + WMA2) with ffmpeg, bitrate chosen by resolution, reporting progress.

南政办〔2015〕86号 六(五)3 asks for video as WMV.  The graph is built with ffmpeg-python and run by
:mod:`hnsubmit.checks.media.ffmpeg` (bounded in time, killed on Ctrl-C); output goes to a ``.part`` file
that becomes `dst` only when ffmpeg finished cleanly, so no half-written video is ever left.
"""

from __future__ import annotations

import os
from pathlib import Path

from hnsubmit.checks.fixers.base import Change, FixContext
from hnsubmit.i18n import N_

# Containers a liaison's camera or phone produces; they reach the fixer through FMT001.
CONTAINER_KINDS = frozenset({"mp4", "mov", "avi", "flv", "mkv", "mpeg"})
# What transcoding a WMV repairs: a codec the portal refuses, audio that is not WMA, too large, too fast.
WMV_CODES = ("WMV003", "WMV004", "WMV010", "WMV012")
# Video bitrate by the picture's short side (360p, 480p, 720p, 1080p): enough for WMV2 to look
# clean on a web page without making files too big for county networks.
BITRATE_BY_LINES = ((360, 800_000), (480, 1_200_000), (720, 2_500_000), (1080, 4_000_000))
AUDIO_BITRATE = 128_000
AUDIO_RATE = 44_100
MIN_VIDEO_BITRATE = 200_000
LABEL = N_("transcoding to WMV")


def wanted(ctx: FixContext) -> bool:
    if ctx.info.kind in CONTAINER_KINDS:
        return ctx.has("FMT001")
    if ctx.info.kind == "wmv":
        return ctx.has(*WMV_CODES)
    return False


def target_size(width: int, height: int, max_width: int, max_height: int) -> tuple[int, int]:
    """Within max_width × max_height, aspect ratio kept, both even (WMV2 works on 2×2 chroma blocks)."""
    scale = min(1.0, max_width / width, max_height / height)
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def video_bitrate(width: int, height: int, max_total_kbps: int) -> int:
    lines = min(width, height)
    rate = next((r for limit, r in BITRATE_BY_LINES if lines <= limit), BITRATE_BY_LINES[-1][1])
    # Video and audio together must stay under the policy's limit (WMV012), with room for ASF packets.
    ceiling = int(max_total_kbps * 1000 * 0.9) - AUDIO_BITRATE
    return max(MIN_VIDEO_BITRATE, min(rate, ceiling))


def transcode(src: Path, dst: Path, ctx: FixContext) -> list[Change] | None:
    if not wanted(ctx):
        return None
    import ffmpeg as ffmpeg_python

    from hnsubmit.checks.media.ffmpeg import FfmpegFailed, file_arg, probe, run_with_progress

    limits = ctx.policy.wmv
    info = probe(src)
    if not info.has_video or not info.width or not info.height:
        from hnsubmit.i18n import N_

        raise FfmpegFailed(N_("ffmpeg found no video stream it can read in {path}"), path=src.name)
    width, height = target_size(info.width, info.height, limits.max_width, limits.max_height)
    vrate = video_bitrate(width, height, limits.max_bitrate_kbps)
    source = ffmpeg_python.input(file_arg(src))
    streams = [source.video.filter("scale", width, height)]
    audio: dict[str, object] = {}
    if info.has_audio:
        streams.append(source.audio)
        audio = {"acodec": "wmav2", "b:a": AUDIO_BITRATE, "ar": AUDIO_RATE, "ac": 2}
    part = dst.with_name(dst.name + ".part")
    graph = ffmpeg_python.output(
        *streams, file_arg(part), format="asf", vcodec="wmv2", pix_fmt="yuv420p", **{"b:v": vrate},
        # Personal metadata (a phone's GPS position, the owner's name) does not travel with the video.
        map_metadata=-1, map_chapters=-1, **audio,
    )
    args = ["-y", *graph.compile(cmd="ffmpeg")[1:]]  # global options first: ffmpeg may ignore trailing ones
    duration = info.duration or 0
    report = (lambda f: ctx.progress(f, LABEL)) if ctx.progress else None
    try:
        run_with_progress(args, duration or None, report, timeout=300 + 20 * duration)
        os.replace(part, dst)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    kbps = vrate // 1000
    audio_zh = "、WMA2 音频 128 kbps" if info.has_audio else ""
    audio_en = ", WMA2 audio at 128 kbps" if info.has_audio else ""
    resized_zh = f"(由 {info.width}×{info.height} 缩小)" if (width, height) != (info.width, info.height) else ""
    resized_en = f" (scaled down from {info.width}×{info.height})" if resized_zh else ""
    return [
        Change(
            f"视频转码为 WMV:WMV2 视频 {width}×{height}{resized_zh}、{kbps} kbps{audio_zh}",
            f"video transcoded to WMV: WMV2 video {width}×{height}{resized_en} at {kbps} kbps{audio_en}",
        )
    ]
