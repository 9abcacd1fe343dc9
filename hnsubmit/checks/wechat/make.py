"""`hnsubmit fix --channel wechat FOLDER`: the WeChat renditions of one submission, beside the originals.

Cover crops (2.35:1 and 1:1 around the focus point), in-article images over the byte limit
re-encoded under it, and an MP4 of each video, all under renditions/wechat/.  The originals are
only read.  Each rendition is then checked (JPEG renditions by the same validators as originals,
MP4 renditions by WCH008), and submission.toml is checked again so the WCH findings left show.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from hnsubmit.checks.fix import FixAction
from hnsubmit.checks.fixers.base import Change
from hnsubmit.checks.run import CheckOptions, check_entry
from hnsubmit.checks.walk import Entry
from hnsubmit.errors import HnsubmitError
from hnsubmit.i18n import _
from hnsubmit.submission.files import SUBMISSION_FILE
from hnsubmit.submission.load import load_submission
from hnsubmit.submission.renditions import Rendition, planned, wants_wechat

Progress = Callable[[float, str], None]


def submission_folders(paths: list[Path]) -> list[Path]:
    """The submission folders among `paths` (a folder with submission.toml, or that file itself)."""
    out = []
    for p in paths:
        folder = p.parent if p.name == SUBMISSION_FILE else p
        if (folder / SUBMISSION_FILE).is_file() and folder not in out:
            out.append(folder)
    return out


def make_renditions(folder: Path, options: CheckOptions, progress: Progress | None = None) -> list[FixAction]:
    sub, _found = load_submission(folder, policy=options.policy)
    if not wants_wechat(sub):
        return []
    actions = [_make(folder, r, sub, options, progress) for r in planned(sub)]
    toml = folder / SUBMISSION_FILE
    after = check_entry(Entry(toml, str(toml)), options)
    actions.append(FixAction(str(toml), None, after=after, left=tuple(f.code for f in after.findings)))
    return [a for a in actions if a is not None]


def _make(folder: Path, r: Rendition, sub, options: CheckOptions, progress: Progress | None) -> FixAction | None:
    limits = options.policy.channels.wechat
    src, dst = folder / r.source, folder / r.path
    if not src.is_file() or src.is_symlink():
        return None  # SUB007 / FMT007 say why
    try:
        if r.what in ("cover-wide", "cover-square"):
            from hnsubmit.checks.wechat.crop import TooSmall, make_cover

            size = limits.cover_wide_size if r.what == "cover-wide" else limits.cover_square_size
            try:
                make_cover(src, dst, tuple(size), sub.cover_focus)
            except TooSmall:
                return None  # WCH005 stays on submission.toml: a small cover is never enlarged
            ratio = "2.35:1" if r.what == "cover-wide" else "1:1"
            change = Change(f"微信封面 {ratio}:{size[0]}×{size[1]}", f"WeChat cover {ratio}: {size[0]}×{size[1]}")
        elif r.what == "image":
            if src.stat().st_size <= limits.max_image_bytes:
                return None  # WeChat takes the original as it is
            from hnsubmit.checks.wechat.image import CannotFit, reencode_under

            try:
                done = reencode_under(src, dst, limits.max_image_bytes)
            except CannotFit:
                return FixAction(str(src), None, error=_("No JPEG quality or size fits WeChat's image limit"))
            change = Change(f"微信图片:JPEG 质量 {done.quality},{done.width}×{done.height},{done.size / 1e6:.1f} MB",
                            f"WeChat image: JPEG quality {done.quality}, {done.width}×{done.height}, {done.size / 1e6:.1f} MB")
        else:
            from hnsubmit.checks.wechat.rules import rendition_problem
            from hnsubmit.checks.wechat.video import make_mp4

            if dst.is_file() and rendition_problem(dst, limits) is None:
                return None  # already made and within the limits
            p = make_mp4(src, dst, limits, progress)
            audio_zh = f"、AAC {p.audio_bps // 1000} kbps" if p.audio_bps else ""
            audio_en = f", AAC at {p.audio_bps // 1000} kbps" if p.audio_bps else ""
            change = Change(f"微信视频 MP4:H.264 {p.width}×{p.height}、{p.video_bps // 1000} kbps{audio_zh}",
                            f"WeChat MP4: H.264 {p.width}×{p.height} at {p.video_bps // 1000} kbps{audio_en}")
    except HnsubmitError as exc:
        return FixAction(str(src), None, error=exc.render(_))
    except OSError as exc:
        return FixAction(str(src), None, error=f"{exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - a picture Pillow refuses (a decompression bomb…): said, not a traceback
        return FixAction(str(src), None, error=f"{type(exc).__name__}: {exc}")
    if r.what == "video":
        from hnsubmit.checks.wechat.rules import rendition_problem

        left = ("WCH008",) if rendition_problem(dst, limits) else ()
        return FixAction(str(src), str(dst), (change,), left=left)
    after = check_entry(Entry(dst, str(dst)), options)  # a JPEG rendition is checked like an original
    return FixAction(str(src), str(dst), (change,), after=after, left=tuple(f.code for f in after.findings))
