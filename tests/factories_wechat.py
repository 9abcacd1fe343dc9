"""Rule-example factories of the WCH family (collected by factories_rules.py): real folders with
real photos (Pillow) and videos (the bundled ffmpeg), each returning its submission.toml."""

from __future__ import annotations

from pathlib import Path

from factories import make_jpeg, make_video

HEAD = """\
kind = "news"
title = "{title}"
unit = "632521"
column = "county-news"
category = "implementation"
source = "共和县林业和草原局"
written = 2026-11-19
channels = {channels}
{extra}
[liaison]
name = "李海英"
phone = "0974-8512655"

[approval]
approver = "马国栋"
approved_at = 2026-11-19T16:00:00+08:00

[[files]]
path = "照片.jpg"
role = "image"
caption = "防火宣传现场"
"""
TITLE = "共和县开展冬季森林草原防火宣传"
LONG_TITLE = ("共和县召开2026年冬春农牧业生产工作会议暨饲草料储备牲畜防疫抗灾保畜工作部署会" * 6)[:200]
VIDEO = """
[[files]]
path = "宣传片.wmv"
role = "video"
"""


def wechat_folder(folder: Path, *, title: str = TITLE, channels: str = '["portal", "wechat"]', extra: str = 'cover = "照片.jpg"\n',
                  photo_size=(1200, 900), video: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    make_jpeg(folder / "照片.jpg", photo_size, seed=7, quality=80)
    text = HEAD.format(title=title, channels=channels, extra=extra) + video
    (folder / "submission.toml").write_text(text, encoding="utf-8")
    return folder / "submission.toml"


def ready(workdir: Path, monkeypatch=None) -> Path:
    return wechat_folder(workdir / "ready")


def long_title(workdir: Path, monkeypatch=None) -> Path:
    extra = 'cover = "照片.jpg"\nauthor = "共和县农牧水利和科技局"\nsummary = "' + "饲草料储备" * 30 + '"\n'
    return wechat_folder(workdir / "long", title=LONG_TITLE, extra=extra)


def portal_only_long_title(workdir: Path, monkeypatch=None) -> Path:
    return wechat_folder(workdir / "portal", title=LONG_TITLE, channels='["portal"]', extra="")


def no_cover(workdir: Path, monkeypatch=None) -> Path:
    return wechat_folder(workdir / "no-cover", extra="")


def small_cover(workdir: Path, monkeypatch=None) -> Path:
    return wechat_folder(workdir / "small", photo_size=(640, 480))


def big_image(workdir: Path, monkeypatch=None) -> Path:
    """A real 30 kB JPEG over a 20 kB limit set by the policy (a 10 MB photo would make the suite slow)."""
    toml = wechat_folder(workdir / "big", photo_size=(1200, 900))
    policy = workdir / "policy.toml"
    policy.write_text("[channels.wechat]\nmax_image_bytes = 20_000\n", encoding="utf-8")
    monkeypatch.setattr("hnsubmit.policy.model.default_policy", _policy_from(policy))
    return toml


def _policy_from(path: Path):
    from hnsubmit.policy.model import load_policy

    pol = load_policy(path)
    return lambda: pol


def _video_folder(workdir: Path, name: str, rendition_codec: str | None) -> Path:
    toml = wechat_folder(workdir / name, video=VIDEO)
    folder = toml.parent
    make_video(folder / "宣传片.wmv", seconds=1, size="160x120", rate=10)
    if rendition_codec:
        (folder / "renditions" / "wechat").mkdir(parents=True)
        make_video(folder / "renditions" / "wechat" / "宣传片.mp4", vcodec=rendition_codec, acodec="aac",
                   seconds=1, size="160x120", fmt="mp4", rate=10)
    return toml


def video_missing(workdir: Path, monkeypatch=None) -> Path:
    return _video_folder(workdir, "video-missing", None)


def video_ready(workdir: Path, monkeypatch=None) -> Path:
    return _video_folder(workdir, "video-ready", "libx264")


def video_wrong_codec(workdir: Path, monkeypatch=None) -> Path:
    return _video_folder(workdir, "video-mpeg4", "mpeg4")


FACTORIES = {
    "wechat-ready": ready,
    "wechat-long-title": long_title,
    "wechat-portal-only-long-title": portal_only_long_title,
    "wechat-no-cover": no_cover,
    "wechat-small-cover": small_cover,
    "wechat-big-image": big_image,
    "wechat-video-missing": video_missing,
    "wechat-video-ready": video_ready,
    "wechat-video-wrong-codec": video_wrong_codec,
}
