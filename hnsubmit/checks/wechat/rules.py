"""The WCH rules: what the 海南政务 official account needs of a news item whose channels include "wechat".

Text lengths, the cover's presence and size, in-article images under the byte limit and an MP4
rendition of each video.  A rendition in renditions/wechat/, when present, is judged instead of
the original: it is what WeChat gets.  A portal-only item gets no WCH finding.
"""

from __future__ import annotations

from pathlib import Path

from hnsubmit.policy.model import Policy, WechatChannel
from hnsubmit.rules.findings import Finding
from hnsubmit.submission.locate import Locator
from hnsubmit.submission.model import Submission, label
from hnsubmit.submission.renditions import image_rendition, planned, video_rendition, wants_wechat

RATIOS = {"wide": "2.35:1", "square": "1:1"}


def check_submission(sub: Submission | None, directory: Path, loc: Locator, policy: Policy) -> list[Finding]:
    if not wants_wechat(sub):
        return []
    limits = policy.channels.wechat
    out: list[Finding] = []
    out += _length(sub, loc, "WCH001", ("wechat_title", "title"), limits.max_title_chars)
    out += _length(sub, loc, "WCH002", ("wechat_author", "author"), limits.max_author_chars)
    out += _length(sub, loc, "WCH003", ("digest", "summary"), limits.max_digest_chars)
    out += _cover(sub, directory, loc, limits)
    inside = {r.source for r in planned(sub)}
    for entry in sub.files:
        if entry.path not in inside:
            continue  # SUB007 says where the path goes wrong
        if entry.role == "image":
            out += _image(entry.path, directory, loc, entry.key, limits)
        elif entry.role == "video":
            out += _video(entry.path, directory, loc, entry.key, limits)
    return out


def cut_at(text: str, limit: int) -> dict[str, object]:
    """Where to cut a text that is too long: its length, the last character kept and the start of what is not."""
    rest = text[limit:]
    return {"length": len(text), "limit": limit, "last": text[limit - 1] if limit else "", "rest": rest[:12] + ("…" if len(rest) > 12 else "")}


def _length(sub: Submission, loc: Locator, code: str, fields: tuple[str, str], limit: int) -> list[Finding]:
    """The first of `fields` that is filled is what WeChat shows; it must fit `limit` characters."""
    for name in fields:
        text = (getattr(sub, name) or "").strip()
        if text:
            if len(text) > limit:
                return [loc.at(code, name, field=label(name), **cut_at(text, limit))]
            return []
    return []


def crop_size(width: int, height: int, ratio: float) -> tuple[int, int]:
    """The largest box of `ratio` (width / height) inside width × height."""
    if width / height >= ratio:
        return max(1, round(height * ratio)), height
    return width, max(1, round(width / ratio))


def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height as shown (EXIF rotation applied), or None for what Pillow cannot read."""
    from PIL import Image

    try:
        with Image.open(path) as img:
            w, h = img.size
            orientation = img.getexif().get(0x0112, 1) if hasattr(img, "getexif") else 1
    except Exception:  # noqa: BLE001 - a damaged image is the format rules' finding, not ours
        return None
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)


def _cover(sub: Submission, directory: Path, loc: Locator, limits: WechatChannel) -> list[Finding]:
    if not (sub.cover or "").strip():
        return [loc.at("WCH004", "cover")] if limits.require_cover else []  # no line: the key is not there
    if sub.cover not in {r.source for r in planned(sub)}:
        return []  # not a listed image inside the folder: SUB013 says so, and it is never opened
    source = directory / sub.cover
    if not source.is_file() or source.is_symlink():
        return []  # SUB007 / FMT007 say what is wrong with the path
    size = image_size(source)
    if size is None:
        return []
    out = []
    for what, need in (("wide", limits.cover_wide_size), ("square", limits.cover_square_size)):
        crop = crop_size(*size, need[0] / need[1])
        if crop[0] < need[0] or crop[1] < need[1]:
            out.append(loc.at("WCH005", "cover", file=sub.cover, width=size[0], height=size[1], ratio=RATIOS[what],
                              crop=f"{crop[0]}×{crop[1]}", need=f"{need[0]}×{need[1]}"))
    return out


def megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.0f} kB"


def _image(path: str, directory: Path, loc: Locator, key: str, limits: WechatChannel) -> list[Finding]:
    original = directory / path
    rendition = directory / image_rendition(path)
    target = rendition if rendition.is_file() else original
    if not target.is_file() or target.is_symlink():
        return []
    size = target.stat().st_size
    if size > limits.max_image_bytes:
        shown = path if target == original else image_rendition(path)
        return [loc.at("WCH006", f"{key}.path", file=shown, size=megabytes(size), limit=megabytes(limits.max_image_bytes))]
    return []


def _video(path: str, directory: Path, loc: Locator, key: str, limits: WechatChannel) -> list[Finding]:
    if not (directory / path).is_file():
        return []  # SUB007
    rel = video_rendition(path)
    rendition = directory / rel
    if not rendition.is_file() or rendition.is_symlink():
        return [loc.at("WCH007", f"{key}.path", file=path, rendition=rel)]
    reason = rendition_problem(rendition, limits)
    if reason:
        return [loc.at("WCH008", f"{key}.path", file=path, rendition=rel, reason=reason)]
    return []


def rendition_problem(path: Path, limits: WechatChannel) -> dict[str, str] | None:
    """Why a video rendition is not what WeChat takes (container, codecs, bytes, duration), or None."""
    from hnsubmit.checks.media.ffmpeg import FfmpegError
    from hnsubmit.checks.wechat.probe import video_facts

    size = path.stat().st_size
    if size > limits.max_video_bytes:
        return {"zh": f"有 {megabytes(size)},超过上限 {megabytes(limits.max_video_bytes)}",
                "en": f"it is {megabytes(size)}, over the limit of {megabytes(limits.max_video_bytes)}"}
    try:
        facts = video_facts(path)
    except FfmpegError as exc:
        from hnsubmit.i18n import _

        return {"zh": f"ffmpeg 无法读取({exc.render(_)})", "en": f"ffmpeg cannot read it ({exc.render()})"}
    problems_zh, problems_en = [], []
    if limits.video_container == "mp4" and not facts.is_mp4:
        problems_zh.append("不是 MP4 容器")
        problems_en.append("it is not an MP4 container")
    if facts.video_codec not in limits.video_codecs:
        shown = facts.video_codec or "无"
        problems_zh.append(f"视频编码为 {shown},应为 {'/'.join(limits.video_codecs)}")
        problems_en.append(f"the video codec is {facts.video_codec or 'none'}, not {'/'.join(limits.video_codecs)}")
    if facts.audio_codec and facts.audio_codec not in limits.audio_codecs:
        problems_zh.append(f"音频编码为 {facts.audio_codec},应为 {'/'.join(limits.audio_codecs)}")
        problems_en.append(f"the audio codec is {facts.audio_codec}, not {'/'.join(limits.audio_codecs)}")
    if facts.duration and facts.duration > limits.max_video_seconds:
        problems_zh.append(f"时长 {facts.duration:.0f} 秒,超过 {limits.max_video_seconds:.0f} 秒")
        problems_en.append(f"it lasts {facts.duration:.0f} s, over {limits.max_video_seconds:.0f} s")
    if not problems_zh:
        return None
    return {"zh": ";".join(problems_zh), "en": "; ".join(problems_en)}
