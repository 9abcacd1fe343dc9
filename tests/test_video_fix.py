"""The video fixer and the ffmpeg runner: real transcodes to WMV, progress, and no half-written file on Ctrl-C or failure."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from factories import ffmpeg_exe
from factories_wmv import make_wmv
from hnsubmit.checks.run import CheckOptions, check_entry, run_check, selection_from
from hnsubmit.rules.findings import finding
from hnsubmit.checks.fix import FixOptions, run_fix
from hnsubmit.checks.fixers.base import FixContext
from hnsubmit.checks.fixers.video_transcode import target_size, transcode, video_bitrate
from hnsubmit.checks.formats.asf_header import parse_path
from hnsubmit.checks.formats.identify import identify_path
from hnsubmit.checks.media import ffmpeg as ff
from hnsubmit.policy.model import default_policy, policy_from_dict
from hnsubmit.checks.walk import Entry


def policy(formats=None, **wmv):
    data = default_policy().to_dict()
    data["wmv"].update(wmv)
    if formats:
        data["formats"]["allowed"] = formats
    return policy_from_dict(data, "test")


def fix_one(path: Path, outdir: Path, pol=None, progress=None):
    pol = pol or default_policy()
    options = FixOptions(CheckOptions(pol, selection_from(pol)), outdir=outdir)
    (action,) = run_fix([path], options, fixer_progress=progress)
    return action


def deep_codes(path: Path) -> list[str]:
    pol = default_policy()
    return sorted(f.code for f in run_check([path], CheckOptions(pol, selection_from(pol), deep=True)).findings)


# -- locating and probing ffmpeg ----------------------------------------------------------------


def test_lookup_order(tmp_path, monkeypatch):
    import imageio_ffmpeg

    bundled = imageio_ffmpeg.get_ffmpeg_exe()
    assert ff.find_ffmpeg() == bundled
    monkeypatch.setenv("HNSUBMIT_FFMPEG", bundled)
    assert ff.find_ffmpeg() == bundled
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "ffmpeg").symlink_to(bundled)
    (bin_dir / "my-ffmpeg").symlink_to(bundled)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("HNSUBMIT_FFMPEG", "my-ffmpeg")  # a name on PATH works too
    assert ff.find_ffmpeg() == str(bin_dir / "my-ffmpeg")
    monkeypatch.setenv("HNSUBMIT_FFMPEG", str(tmp_path / "nothing-here"))
    with pytest.raises(ff.FfmpegNotFound) as err:
        ff.find_ffmpeg()
    assert "nothing-here" in str(err.value)  # an explicit setting that fails is not silently replaced
    monkeypatch.delenv("HNSUBMIT_FFMPEG")

    def unavailable():
        raise RuntimeError("no bundled binary on this platform")

    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", unavailable)
    assert ff.find_ffmpeg() == str(bin_dir / "ffmpeg")  # then PATH
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ff.FfmpegNotFound):
        ff.find_ffmpeg()


def _source(tmp_path: Path, name: str, vcodec: str = "mpeg4", acodec: str | None = "aac", seconds: float = 1,
            size: str = "320x240", rate: int = 25, extra: tuple = ()) -> Path:
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size={size}:rate={rate}"]
    if acodec:
        cmd += ["-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}", "-c:a", acodec]
    cmd += ["-c:v", vcodec, "-pix_fmt", "yuv420p", *extra, str(tmp_path / name)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return tmp_path / name


def test_probe_reads_duration_size_audio_and_rotation(tmp_path):
    info = ff.probe(_source(tmp_path, "a.mp4", seconds=2))
    assert (round(info.duration, 1), info.width, info.height, info.has_video, info.has_audio) == (2.0, 320, 240, True, True)
    silent = ff.probe(_source(tmp_path, "s.mkv", acodec=None, size="176x144"))
    assert (silent.width, silent.height, silent.has_audio) == (176, 144, False)
    plain = _source(tmp_path, "p.mp4", acodec=None)
    rotated = tmp_path / "r.mp4"
    subprocess.run([ffmpeg_exe(), "-loglevel", "error", "-y", "-display_rotation", "90", "-i", str(plain), "-c", "copy", str(rotated)], check=True, timeout=60)
    assert (ff.probe(rotated).width, ff.probe(rotated).height) == (240, 320)  # as a phone shows it


def test_parse_probe_ignores_cover_art():
    text = (
        "  Duration: 00:01:02.50, start: 0.000000\n"
        "  Stream #0:0: Video: mjpeg (Baseline), yuvj420p, 600x600, 90k tbr (attached pic)\n"
        "  Stream #0:1: Audio: mp3, 44100 Hz, stereo\n"
    )
    info = ff.parse_probe(text)
    assert (info.duration, info.has_video, info.has_audio, info.width) == (62.5, False, True, 0)


# -- sizes and bitrates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size,limit,expected",
    [
        ((640, 360), (1920, 1080), (640, 360)),
        ((321, 241), (1920, 1080), (320, 240)),  # even sides for WMV2
        ((3840, 2160), (1920, 1080), (1920, 1080)),
        ((1080, 1920), (1920, 1080), (606, 1080)),  # portrait phone video stays portrait
        ((640, 480), (320, 240), (320, 240)),
    ],
)
def test_target_size(size, limit, expected):
    assert target_size(*size, *limit) == expected


@pytest.mark.parametrize(
    "size,limit_kbps,expected",
    [((320, 240), 8000, 800_000), ((640, 480), 8000, 1_200_000), ((1280, 720), 8000, 2_500_000),
     ((1920, 1080), 8000, 4_000_000), ((1080, 1920), 8000, 4_000_000), ((1920, 1080), 2000, 1_672_000),
     ((1920, 1080), 100, 200_000)],
)
def test_video_bitrate_by_resolution_and_policy(size, limit_kbps, expected):
    assert video_bitrate(*size, limit_kbps) == expected


# -- transcoding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,vcodec,acodec",
    [("采访.mp4", "libx264", "aac"), ("会议.mov", "mpeg4", "aac"), ("旧片.avi", "mpeg4", "libmp3lame"),
     ("航拍.mkv", "libx264", None), ("网页.flv", "flv1", "libmp3lame"), ("光盘.mpg", "mpeg2video", "mp2")],
)
def test_containers_become_clean_wmv(tmp_path, name, vcodec, acodec):
    src = _source(tmp_path, name, vcodec=vcodec, acodec=acodec)
    kind = identify_path(src).kind
    action = fix_one(src, tmp_path / "out")
    assert action.fixed and action.error == "", action.error
    out = Path(action.output)
    assert out.suffix == ".wmv" and out.name == Path(name).stem + ".wmv"
    assert [f.code for f in action.before.findings] == ["FMT001"] and action.before.kind == kind
    assert action.after.kind == "wmv" and action.after.findings == ()
    h = parse_path(out)
    expected = [("video", "WMV2", 320, 240)] + ([("audio", "0x0161", 0, 0)] if acodec else [])
    assert [(s.kind, s.codec, s.width, s.height) for s in h.streams] == expected
    if acodec:
        assert (h.audio[0].sample_rate, h.audio[0].bitrate) == (44100, 128_000)
    assert src.exists() and not list(tmp_path.rglob("*.part"))


def test_wmv_from_mp4_passes_check_deep(tmp_path, cli):
    """Done-when of the issue: a WMV made from an MP4 passes `check --deep`."""
    src = _source(tmp_path, "宣传片.mp4", vcodec="libx264", seconds=2, size="640x360")
    code, out, _ = cli("fix", src, "-o", tmp_path / "fixed")
    assert code == 0, out
    made = tmp_path / "fixed" / "宣传片.wmv"
    code, out, _ = cli("check", made, "--deep", "--format", "json")
    assert code == 0 and json.loads(out)["files"][0]["findings"] == []
    assert deep_codes(made) == []
    assert [s.codec for s in parse_path(made).streams] == ["WMV2", "0x0161"]


def test_refused_wmv_codecs_and_audio_are_transcoded(tmp_path):
    for name, kw, before in [
        ("mpeg4.wmv", {"vcodec": "msmpeg4"}, ["WMV003"]),
        ("mp3.wmv", {"acodec": "libmp3lame", "abitrate": "32k"}, ["WMV004"]),
    ]:
        src = make_wmv(tmp_path / name, **kw)
        action = fix_one(src, tmp_path / "out")
        assert [f.code for f in action.before.findings] == before
        assert action.fixed and action.after.findings == ()
        assert [s.codec for s in parse_path(Path(action.output)).streams] == ["WMV2", "0x0161"]


def test_too_large_and_too_fast_are_scaled_and_slowed(tmp_path):
    src = make_wmv(tmp_path / "big.wmv", size="640x480", seconds=2, vbitrate="900k")
    pol = policy(max_width=320, max_height=240, max_bitrate_kbps=600)
    action = fix_one(src, tmp_path / "out", pol)
    assert sorted(f.code for f in action.before.findings) == ["WMV010", "WMV012"]
    assert action.fixed and action.after.findings == ()
    h = parse_path(Path(action.output))
    assert (h.video[0].width, h.video[0].height) == (320, 240)
    assert "scaled down from 640×480" in action.changes[0].en and "缩小" in action.changes[0].zh


def test_nothing_to_do(tmp_path):
    clean = make_wmv(tmp_path / "ok.wmv")
    action = fix_one(clean, tmp_path / "out")
    assert action.output is None and action.left == ()
    mp4 = _source(tmp_path, "allowed.mp4")
    pol = policy(formats=["docx", "doc", "jpeg", "wmv", "mp4"])
    ctx = FixContext(identify_path(mp4), (finding("FMT002", "x"),), pol)
    assert transcode(mp4, tmp_path / "dst.mp4", ctx) is None
    assert not (tmp_path / "dst.mp4").exists()


def test_progress_reaches_one(tmp_path):
    src = _source(tmp_path, "p.mp4", seconds=4)
    seen = []
    action = fix_one(src, tmp_path / "out", progress=lambda f, label: seen.append((f, label)))
    assert action.fixed
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert {label for _, label in seen} == {"transcoding to WMV"}


# -- interruption and failure -------------------------------------------------------------------


class _Recorder:
    """Keeps the ffmpeg processes the runner starts, to prove they were ended."""

    def __init__(self, monkeypatch):
        self.procs = []
        real = subprocess.Popen

        def popen(*args, **kw):
            proc = real(*args, **kw)
            self.procs.append(proc)
            return proc

        monkeypatch.setattr(ff.subprocess, "Popen", popen)


def test_ctrl_c_kills_ffmpeg_and_leaves_no_partial_file(tmp_path, monkeypatch):
    src = _source(tmp_path, "long.mp4", seconds=30, size="640x360", rate=30)
    recorder = _Recorder(monkeypatch)
    dst = tmp_path / "work" / "step0.mp4"
    dst.parent.mkdir()
    partial = []

    def interrupt(fraction, label):
        partial.append([p.stat().st_size for p in dst.parent.glob("*.part")])
        raise KeyboardInterrupt

    ctx = FixContext(identify_path(src), (finding("FMT001", "x"),), default_policy(), interrupt)
    with pytest.raises(KeyboardInterrupt):
        transcode(src, dst, ctx)
    assert partial and partial[0] and partial[0][0] > 0  # a half-written file existed …
    assert list(dst.parent.iterdir()) == []  # … and is gone, and nothing else was left
    assert recorder.procs and all(p.poll() is not None for p in recorder.procs)


def test_ffmpeg_failure_leaves_no_partial_file(tmp_path, monkeypatch):
    """An ffmpeg that writes its output and then fails (HNSUBMIT_FFMPEG names a wrapper that runs
    the real binary and exits 1): the fix reports the failure and writes nothing."""
    wrapper = tmp_path / "failing-ffmpeg"
    wrapper.write_text(f'#!/bin/sh\n"{ffmpeg_exe()}" "$@"\nexit 1\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("HNSUBMIT_FFMPEG", str(wrapper))
    src = _source(tmp_path, "v.mp4")
    action = fix_one(src, tmp_path / "out")
    assert not action.fixed and action.error.startswith("ffmpeg 运行失败(退出码 1)")  # in the user's language (issue 12.8)
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").rglob("*")) == []
    assert src.exists()


def test_timeout_ends_ffmpeg(tmp_path, monkeypatch):
    src = _source(tmp_path, "long.mp4", seconds=30, size="640x360", rate=30)
    recorder = _Recorder(monkeypatch)
    out = tmp_path / "o.wmv"
    args = ["-i", ff.file_arg(src), "-c:v", "wmv2", "-c:a", "wmav2", "-f", "asf", ff.file_arg(out)]
    with pytest.raises(ff.FfmpegTimeout):
        ff.run_with_progress(args, 30, timeout=0.2)
    assert all(p.poll() is not None for p in recorder.procs)


def test_missing_ffmpeg_is_a_fix_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HNSUBMIT_FFMPEG", str(tmp_path / "absent"))
    src = _source(tmp_path, "v.mp4")
    action = fix_one(src, tmp_path / "out")
    assert not action.fixed and action.error.startswith("HNSUBMIT_FFMPEG 指向的") and "不是可执行文件" in action.error


# -- the fix command's bar ----------------------------------------------------------------------


def test_fix_command_bar_alone_and_joined(monkeypatch):
    from hnsubmit.cli.commands.fix import _FixerBar
    from hnsubmit.cli.output import DelayedProgress

    files = DelayedProgress("fix", delay=0)
    files.enabled = True  # as on an interactive terminal
    bar = _FixerBar(files)
    bar(0.25, "transcoding to WMV")
    assert bar._own is not None and bar._task is not None  # its own bar while the file bar is hidden
    bar.between_files(1, 3, "b.mp4")  # the file bar appears; the transcoding bar closed first
    assert bar._task is None and files._progress is not None
    bar(0.5, "transcoding to WMV")
    assert bar._own is None and bar._host is files._progress  # joined, not a second live display
    bar(1.0, "transcoding to WMV")
    assert bar._task is None and len(files._progress.tasks) == 1
    files.close()
