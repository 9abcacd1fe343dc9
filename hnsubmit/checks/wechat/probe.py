"""What the bundled ffmpeg says of a video: container, codecs, size and duration (`ffmpeg -i`, no ffprobe
is bundled).  Used for WCH008 and by the tests, so a rendition is judged by a tool, not by its name."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hnsubmit.checks.media.ffmpeg import FfmpegTimeout, file_arg, find_ffmpeg, parse_probe
from hnsubmit.i18n import N_

_INPUT = re.compile(r"Input #0, ([\w,]+), from")
_AUDIO = re.compile(r"Stream #\d+:\d+.*?: Audio: ([\w-]+)")


@dataclass(frozen=True)
class VideoFacts:
    container: str  # ffmpeg's demuxer names, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    video_codec: str
    audio_codec: str
    duration: float | None
    width: int
    height: int

    @property
    def is_mp4(self) -> bool:
        return "mp4" in self.container.split(",")


def video_facts(path: Path, timeout: float = 60) -> VideoFacts:
    cmd = [find_ffmpeg(), "-hide_banner", "-nostdin", "-i", file_arg(path)]
    with tempfile.TemporaryFile() as err:
        try:
            subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise FfmpegTimeout(N_("ffmpeg took more than {seconds} s to read {path}"), seconds=timeout, path=str(path)) from None
        err.seek(0)
        text = err.read(1024 * 1024).decode("utf-8", "replace")
    info = parse_probe(text)
    m, a = _INPUT.search(text), _AUDIO.search(text)
    return VideoFacts(m.group(1) if m else "", info.video_codec, a.group(1) if a else "", info.duration, info.width, info.height)
