"""WeChat renditions from real photos (Pillow) and a real clip (the bundled ffmpeg): crops of the
required size around the focus point, images under the byte limit, an H.264/AAC MP4; originals untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PIL import Image

from factories import make_jpeg, make_video
from factories_wechat import VIDEO, wechat_folder
from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.checks.wechat.crop import crop_box, make_cover
from hnsubmit.checks.wechat.image import reencode_under
from hnsubmit.checks.wechat.make import make_renditions
from hnsubmit.policy.model import default_policy, policy_from_dict
from hnsubmit.submission.renditions import COVER_SQUARE, COVER_WIDE


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def options(policy=None) -> CheckOptions:
    pol = policy or default_policy()
    return CheckOptions(pol, selection_from(pol))


@pytest.mark.parametrize("size", [(1600, 1200), (1200, 1600)], ids=["4:3", "portrait"])
def test_a_photo_gives_valid_crops_of_the_required_size(tmp_path, size):
    toml = wechat_folder(tmp_path / "item", photo_size=size)
    folder = toml.parent
    before = sha(folder / "照片.jpg")
    actions = make_renditions(folder, options())
    wide, square = folder / COVER_WIDE, folder / COVER_SQUARE
    with Image.open(wide) as img:
        assert (img.format, img.size) == ("JPEG", (900, 383))
        img.load()  # decodes whole: a valid JPEG
    with Image.open(square) as img:
        assert (img.format, img.size) == ("JPEG", (200, 200))
        img.load()
    assert sha(folder / "照片.jpg") == before  # the original is only read
    assert [(Path(a.source).name, a.output and Path(a.output).name, a.left) for a in actions] == [
        ("照片.jpg", "cover-2.35x1.jpg", ()), ("照片.jpg", "cover-1x1.jpg", ()), ("submission.toml", None, ())]
    # the renditions are checked like originals: JPEG rules find nothing, SUB010 does not call them unlisted
    report = run_check([folder], options())
    assert [(f.code, f.path) for f in report.findings] == []


def test_the_crop_follows_the_focus_point_and_stays_inside():
    assert crop_box(1600, 1200, 900 / 383) == (0, 260, 1600, 941)  # centred
    assert crop_box(1600, 1200, 900 / 383, (0.5, 0.1)) == (0, 0, 1600, 681)  # the top, clamped at the edge
    assert crop_box(1200, 1600, 1.0, (0.5, 0.75)) == (0, 400, 1200, 1600)  # a portrait's lower square, clamped


def test_the_focus_picks_the_part_of_the_picture(tmp_path):
    """A photo red above and blue below: focus at the top gives a red cover, at the bottom a blue one."""
    img = Image.new("RGB", (1200, 1600), (220, 20, 20))
    img.paste((20, 20, 220), (0, 800, 1200, 1600))
    src = tmp_path / "竖幅.jpg"
    img.save(src, quality=90)
    make_cover(src, tmp_path / "top.jpg", (200, 200), (0.5, 0.1))
    make_cover(src, tmp_path / "bottom.jpg", (200, 200), (0.5, 0.9))
    assert Image.open(tmp_path / "top.jpg").convert("RGB").getpixel((100, 100))[0] > 180
    assert Image.open(tmp_path / "bottom.jpg").convert("RGB").getpixel((100, 100))[2] > 180


def test_a_small_cover_is_never_enlarged(tmp_path):
    folder = wechat_folder(tmp_path / "item", photo_size=(640, 480)).parent
    actions = make_renditions(folder, options())
    assert not (folder / COVER_WIDE).exists()
    with Image.open(folder / COVER_SQUARE) as img:  # 480×480 holds a 200×200 share card
        assert img.size == (200, 200)
    assert actions[-1].left == ("WCH005",)


def test_an_image_over_the_limit_is_reencoded_under_it_never_larger(tmp_path):
    src = make_jpeg(tmp_path / "大图.jpg", (1600, 1200), seed=3, quality=98)
    limit = src.stat().st_size // 3
    done = reencode_under(src, tmp_path / "out.jpg", limit)
    assert done.size == (tmp_path / "out.jpg").stat().st_size <= limit
    assert (done.width, done.height) == (1600, 1200) and 40 <= done.quality < 98
    # one step more of quality would not fit: the search found the highest
    from hnsubmit.checks.wechat.image import _encode

    with Image.open(src) as img:
        assert len(_encode(img.convert("RGB"), done.quality + 1)) > limit
        lowest = len(_encode(img.convert("RGB"), 40))
    tiny = reencode_under(src, tmp_path / "tiny.jpg", lowest // 2)  # below what quality 40 gives: smaller, not larger
    assert tiny.size <= lowest // 2 and tiny.width < 1600 and tiny.height < 1200
    assert tiny.width / tiny.height == pytest.approx(4 / 3, abs=0.01)


def test_fix_makes_the_image_rendition_and_wch006_goes(tmp_path):
    pol = policy_from_dict({"channels": {"wechat": {"max_image_bytes": 20_000}}}, "test")
    folder = wechat_folder(tmp_path / "item", photo_size=(1200, 900)).parent
    codes = [f.code for f in run_check([folder], options(pol)).findings]
    assert codes == ["WCH006"]
    before = sha(folder / "照片.jpg")
    make_renditions(folder, options(pol))
    assert (folder / "renditions/wechat/照片.jpg").stat().st_size <= 20_000
    assert sha(folder / "照片.jpg") == before
    assert [f.code for f in run_check([folder], options(pol)).findings] == []


def test_a_short_1080p_clip_yields_an_h264_aac_mp4_under_the_limit(tmp_path):
    from hnsubmit.checks.wechat.probe import video_facts

    folder = wechat_folder(tmp_path / "item", video=VIDEO).parent
    make_video(folder / "宣传片.wmv", seconds=1, size="1920x1080", rate=10)
    assert [f.code for f in run_check([folder], options()).findings] == ["WCH007"]
    seen: list[float] = []
    actions = make_renditions(folder, options(), lambda f, label: seen.append(f))
    mp4 = folder / "renditions/wechat/宣传片.mp4"
    facts = video_facts(mp4)
    assert (facts.is_mp4, facts.video_codec, facts.audio_codec, facts.width, facts.height) == (True, "h264", "aac", 1920, 1080)
    assert mp4.stat().st_size <= default_policy().channels.wechat.max_video_bytes
    assert seen and seen == sorted(seen) and seen[-1] == 1.0  # progress through the callback, both passes
    assert [a.left for a in actions if a.output and a.output.endswith(".mp4")] == [()]
    assert [f.code for f in run_check([folder], options()).findings] == []


def test_fix_channel_wechat_on_the_command_line(cli, tmp_path):
    folder = wechat_folder(tmp_path / "item", photo_size=(1600, 1200)).parent
    before = sha(folder / "照片.jpg")
    code, out, err = cli("--lang", "en", "fix", "--channel", "wechat", folder)
    assert code == 0, out + err
    assert out.count("WeChat cover") == 2 and "2 written, 0 to fix by hand, 0 failed" in out, out  # the table folds at 80 columns
    assert Image.open(folder / COVER_WIDE).size == (900, 383) and Image.open(folder / COVER_SQUARE).size == (200, 200)
    assert sha(folder / "照片.jpg") == before and not (tmp_path / "hnsubmit-fixed").exists()
    code, out, err = cli("fix", "--channel", "wechat", folder)  # Chinese by default
    assert code == 0 and out.count("微信封面") == 2, out + err


def test_fix_channel_refuses_unknown_channels_and_plain_files(cli, tmp_path):
    folder = wechat_folder(tmp_path / "item").parent
    code, out, err = cli("--lang", "en", "fix", "--channel", "weibo", folder)
    assert code == 2 and "Unknown channel weibo" in out + err and "Traceback" not in out + err
    code, out, err = cli("--lang", "en", "fix", "--channel", "wechat", folder / "照片.jpg")
    assert code == 2 and "needs a submission folder" in out + err
    assert not (folder / "renditions").exists()


def test_a_portal_only_item_gets_no_renditions(tmp_path):
    folder = wechat_folder(tmp_path / "item", channels='["portal"]').parent
    assert make_renditions(folder, options()) == []
    assert not (folder / "renditions").exists()


@pytest.mark.slow
def test_a_3_minute_1080p_video_yields_an_mp4_under_the_size_limit(tmp_path):
    """The issue's case: 3 minutes of 1080p WMV made here, then its MP4 H.264/AAC under 10 MB (100 s in all on 2 loaded cores)."""
    from hnsubmit.checks.wechat.probe import video_facts

    folder = wechat_folder(tmp_path / "item", video=VIDEO).parent
    make_video(folder / "宣传片.wmv", seconds=180, size="1920x1080", rate=15)
    make_renditions(folder, options())
    mp4 = folder / "renditions/wechat/宣传片.mp4"
    facts = video_facts(mp4)
    limit = default_policy().channels.wechat.max_video_bytes
    assert (facts.is_mp4, facts.video_codec, facts.audio_codec) == (True, "h264", "aac")
    assert facts.duration == pytest.approx(180, abs=0.5)
    assert min(facts.width, facts.height) < 1080  # 10 MB over 3 minutes carries less than 1080 lines cleanly
    assert mp4.stat().st_size <= limit
    assert [f.code for f in run_check([folder], options()).findings] == []


def test_ctrl_c_during_the_renditions_says_what_is_left(cli, tmp_path, monkeypatch):
    folder = wechat_folder(tmp_path / "item").parent
    before = sha(folder / "照片.jpg")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("hnsubmit.checks.wechat.make.make_renditions", interrupted)
    code, out, err = cli("--lang", "en", "fix", "--channel", "wechat", folder)
    assert code == 130 and "Traceback" not in out + err
    assert "each rendition under renditions/wechat/ was either made whole or not at all" in out + err
    code, out, err = cli("fix", "--channel", "wechat", folder)
    assert code == 130 and "renditions/wechat/ 中的每个版本要么已完整生成" in out + err
    assert sha(folder / "照片.jpg") == before


def test_the_bitrate_comes_from_the_duration_and_the_picture_is_never_enlarged():
    from hnsubmit.checks.wechat.video import plan

    limits = default_policy().channels.wechat  # 10 MB
    long = plan(1920, 1080, 180, True, limits)  # 10 MB × 8 × 0.92 / 180 s = 409 kbps, less 64 kbps of audio
    assert (long.width, long.height, long.video_bps, long.audio_bps) == (640, 360, 344_888, 64_000)
    short = plan(1920, 1080, 20, True, limits)
    assert (short.width, short.height, short.video_bps, short.audio_bps) == (1920, 1080, 3_552_000, 128_000)
    small = plan(320, 240, 20, False, limits)
    assert (small.width, small.height, small.audio_bps) == (320, 240, 0)
    portrait = plan(1080, 1920, 60, True, limits)  # 1.1 Mbps of video is under the 1.2 that 720 lines need: 480, on the short side
    assert (portrait.width, portrait.height, portrait.video_bps) == (480, 852, 1_098_666)
