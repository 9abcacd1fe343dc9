"""Locate and run ffmpeg: bounded in time and output, progress read from `-progress pipe:1`.

Lookup order (written down, like twine's credentials): the HNSUBMIT_FFMPEG environment variable,
then the binary shipped in the imageio-ffmpeg wheel, then `ffmpeg` on PATH.  The library never
prints: failures are :class:`FfmpegError` values the caller turns into findings or fix errors.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from hnsubmit.errors import HnsubmitError
from hnsubmit.i18n import N_

FFMPEG_ENV = "HNSUBMIT_FFMPEG"
MAX_STDERR_BYTES = 1024 * 1024  # what we read back of ffmpeg's messages; a damaged file can log per packet
KEEP_ERRORS = 5


class FfmpegError(HnsubmitError):
    """ffmpeg is missing, failed, or ran out of time."""


class FfmpegNotFound(FfmpegError):
    pass


class FfmpegTimeout(FfmpegError):
    pass


class FfmpegFailed(FfmpegError):
    pass


def find_ffmpeg() -> str:
    explicit = os.environ.get(FFMPEG_ENV, "").strip()
    if explicit:
        # An explicit setting that does not work is reported, not silently replaced by another binary.
        found = shutil.which(explicit)
        if not found:
            raise FfmpegNotFound(
                N_("{var} names {path}, which is not an executable file"), var=FFMPEG_ENV, path=explicit,
                hint=N_("Point HNSUBMIT_FFMPEG at an ffmpeg binary, or unset it to use the bundled one"),
            )
        return found
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
        if exe and os.path.isfile(exe):
            return exe
    except (ImportError, RuntimeError, OSError):
        pass
    found = shutil.which("ffmpeg")
    if found:
        return found
    raise FfmpegNotFound(
        N_("ffmpeg was not found"), hint=N_("Install the imageio-ffmpeg package, put ffmpeg on PATH, or set HNSUBMIT_FFMPEG")
    )


def file_arg(path: Path) -> str:
    """An ffmpeg URL for a local file: never read as an option ('-x') or a protocol ('http:…')."""
    return "file:" + str(Path(path).resolve())


def _base(exe: str) -> list[str]:
    # -nostdin: ffmpeg must not read the terminal (it would swallow keys and stop on 'q').
    return [exe, "-hide_banner", "-nostdin"]


def _read_capped(fh) -> str:
    fh.seek(0)
    return fh.read(MAX_STDERR_BYTES).decode("utf-8", "replace")


@dataclass(frozen=True)
class MediaInfo:
    duration: float | None  # seconds
    width: int = 0  # as displayed (rotation applied)
    height: int = 0
    has_video: bool = False
    has_audio: bool = False
    video_codec: str = ""


_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\d+:\d+.*?: Video: ([\w-]+).*?, (\d{1,5})x(\d{1,5})")
_ROTATION = re.compile(r"rotation of (-?\d+(?:\.\d+)?) degrees")


def parse_probe(text: str) -> MediaInfo:
    """What `ffmpeg -i FILE` says about a file's first video stream and its duration."""
    duration = None
    m = _DURATION.search(text)
    if m:
        duration = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    width = height = 0
    codec = ""
    has_video = False
    for line in text.splitlines():
        if "Video:" in line and "(attached pic)" not in line:  # cover art is not the video
            v = _VIDEO.search(line)
            if v:
                has_video = True
                codec, width, height = v.group(1), int(v.group(2)), int(v.group(3))
                break
    r = _ROTATION.search(text)
    if r and round(abs(float(r.group(1)))) % 180 == 90:
        width, height = height, width
    has_audio = bool(re.search(r"Stream #\d+:\d+.*?: Audio: ", text))
    return MediaInfo(duration, width, height, has_video, has_audio, codec)


def probe(path: Path, timeout: float = 60) -> MediaInfo:
    exe = find_ffmpeg()
    with tempfile.TemporaryFile() as err:
        try:
            subprocess.run(
                _base(exe) + ["-i", file_arg(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=err, timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired:
            raise FfmpegTimeout(N_("ffmpeg took more than {seconds} s to read {path}"), seconds=timeout, path=str(path)) from None
        return parse_probe(_read_capped(err))


@dataclass(frozen=True)
class DecodeResult:
    errors: tuple[str, ...]  # the first few messages
    error_count: int
    returncode: int

    @property
    def clean(self) -> bool:
        return self.returncode == 0 and self.error_count == 0


def decode(path: Path, timeout: float) -> DecodeResult:
    """Decode every stream of `path` and discard the output; collect ffmpeg's error messages."""
    exe = find_ffmpeg()
    cmd = _base(exe) + ["-v", "error", "-i", file_arg(path), "-f", "null", "-"]
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise FfmpegTimeout(N_("ffmpeg took more than {seconds} s to decode {path}"), seconds=timeout, path=str(path)) from None
        lines = [ln.strip() for ln in _read_capped(err).splitlines() if ln.strip()]
    kept = tuple(_short(ln, path) for ln in lines[:KEEP_ERRORS])
    if proc.returncode != 0 and not lines:
        kept = (f"ffmpeg exited with code {proc.returncode}",)
    return DecodeResult(kept, max(len(lines), 1 if proc.returncode else 0), proc.returncode)


def _short(line: str, path: Path) -> str:
    # ffmpeg names the file with its full path; the finding already says which file it is.
    line = line.replace(file_arg(path), Path(path).name)
    line = re.sub(r" @ 0x[0-9a-f]+\]", "]", line)
    return line[:200]


ProgressFn = Callable[[float], None]
_OUT_TIME = re.compile(r"^out_time_(?:us|ms)=(\d+)$")


def run_with_progress(
    args: Sequence[str],
    duration: float | None,
    on_progress: ProgressFn | None = None,
    timeout: float = 3600,
    stall_timeout: float = 120,
) -> None:
    """Run ffmpeg with `args` (everything after the binary), reporting the fraction done.

    Ends ffmpeg on timeout, on a stall (no progress report for `stall_timeout` seconds), on
    KeyboardInterrupt or any other exception, and raises; the caller removes partial output.
    """
    exe = find_ffmpeg()
    cmd = _base(exe) + ["-v", "error", "-progress", "pipe:1", "-nostats", *args]
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err)
        lines: queue.Queue = queue.Queue()
        reader = threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True)
        reader.start()
        try:
            _follow(proc, lines, duration, on_progress, timeout, stall_timeout)
            rc = proc.wait(timeout=stall_timeout)
        except BaseException:
            _kill(proc)
            raise
        finally:
            reader.join(timeout=5)
            if proc.stdout:
                proc.stdout.close()
        if rc != 0:
            tail = _read_capped(err).strip().splitlines()[-3:]
            raise FfmpegFailed(N_("ffmpeg failed (exit code {code}): {message}"), code=rc, message=" / ".join(tail)[:500])
    if on_progress:
        on_progress(1.0)


def _pump(stream, lines: queue.Queue) -> None:
    try:
        for raw in stream:
            lines.put(raw.decode("ascii", "replace").strip())
    except (OSError, ValueError):
        pass
    finally:
        lines.put(None)


def _follow(proc, lines: queue.Queue, duration, on_progress, timeout: float, stall_timeout: float) -> None:
    start = last = time.monotonic()
    while True:
        now = time.monotonic()
        if now - start > timeout:
            raise FfmpegTimeout(N_("ffmpeg took more than {seconds} s"), seconds=round(timeout))
        if now - last > stall_timeout:
            raise FfmpegTimeout(N_("ffmpeg made no progress for {seconds} s"), seconds=round(stall_timeout))
        try:
            line = lines.get(timeout=0.25)
        except queue.Empty:
            continue
        if line is None:
            return
        last = time.monotonic()
        m = _OUT_TIME.match(line)
        if m and on_progress and duration:
            on_progress(min(1.0, max(0.0, int(m.group(1)) / 1e6 / duration)))


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a process that ignores SIGKILL
        pass
