"""The WCH rules on real folders: full finding lists, for WeChat items only (issue 18)."""

from __future__ import annotations

from factories_wechat import LONG_TITLE, TITLE, wechat_folder
from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.policy.model import default_policy, policy_from_dict


def check(path, policy=None):
    pol = policy or default_policy()
    return [(f.code, f.location.field_path, dict(f.args)) for f in run_check([path], CheckOptions(pol, selection_from(pol))).findings]


def test_a_200_character_title_gets_wch_findings_that_say_where_to_cut(tmp_path):
    extra = 'cover = "照片.jpg"\nauthor = "共和县农牧水利和科技局"\n'
    toml = wechat_folder(tmp_path / "item", title=LONG_TITLE, extra=extra)
    assert len(LONG_TITLE) == 200
    assert check(toml) == [
        ("WCH001", "title", {"field": {"zh": "标题", "en": "title"}, "length": 200, "limit": 64,
                             "last": LONG_TITLE[63], "rest": LONG_TITLE[64:76] + "…"}),
        ("WCH002", "author", {"field": {"zh": "作者", "en": "author"}, "length": 11, "limit": 8,
                              "last": "和", "rest": "科技局"}),
    ]


def test_the_message_names_the_cut_in_both_languages(tmp_path):
    from hnsubmit.rules.registry import get_rule

    toml = wechat_folder(tmp_path / "item", title=LONG_TITLE)
    [(code, _, args)] = check(toml)
    rule = get_rule(code)
    assert rule.render("message", "zh", args) == (
        f"标题共 200 字,超过微信公众号文章标题的上限 64 字:须在第 64 字“{LONG_TITLE[63]}”之后截断,从“{LONG_TITLE[64:76]}…”起放不下")
    assert f"cut after character 64 ('{LONG_TITLE[63]}')" in rule.render("message", "en", args)


def test_a_portal_only_item_gets_no_wch_finding(tmp_path):
    extra = 'author = "共和县农牧水利和科技局"\nsummary = "' + "饲草料储备" * 40 + '"\n'
    toml = wechat_folder(tmp_path / "item", title=LONG_TITLE, channels='["portal"]', extra=extra, photo_size=(320, 240))
    assert check(toml) == []


def test_a_wechat_title_replaces_the_long_title_and_a_digest_the_long_summary(tmp_path):
    extra = f'wechat_title = "{TITLE}"\ndigest = "防火宣传"\nsummary = "' + "饲草料储备" * 40 + '"\ncover = "照片.jpg"\n'
    assert check(wechat_folder(tmp_path / "ok", title=LONG_TITLE, extra=extra)) == []
    too_long = 'cover = "照片.jpg"\ndigest = "' + "饲" * 121 + '"\n'
    assert check(wechat_folder(tmp_path / "digest", extra=too_long)) == [
        ("WCH003", "digest", {"field": {"zh": "摘要(微信)", "en": "WeChat digest"}, "length": 121, "limit": 120, "last": "饲", "rest": "饲"}),
    ]


def test_no_cover_and_a_cover_too_small_for_the_crops(tmp_path):
    assert check(wechat_folder(tmp_path / "none", extra="")) == [("WCH004", "cover", {})]
    assert check(wechat_folder(tmp_path / "small", photo_size=(640, 480))) == [
        ("WCH005", "cover", {"file": "照片.jpg", "width": 640, "height": 480, "ratio": "2.35:1", "crop": "640×272", "need": "900×383"}),
    ]
    assert check(wechat_folder(tmp_path / "tiny", photo_size=(400, 150))) == [
        ("WCH005", "cover", {"file": "照片.jpg", "width": 400, "height": 150, "ratio": "2.35:1", "crop": "352×150", "need": "900×383"}),
        ("WCH005", "cover", {"file": "照片.jpg", "width": 400, "height": 150, "ratio": "1:1", "crop": "150×150", "need": "200×200"}),
    ]


def test_the_office_can_change_the_limits_in_the_policy(tmp_path):
    pol = policy_from_dict({"channels": {"wechat": {"max_title_chars": 10, "require_cover": False}}}, "test")
    toml = wechat_folder(tmp_path / "item", extra="")
    assert check(toml, pol) == [("WCH001", "title", {"field": {"zh": "标题", "en": "title"}, "length": 15, "limit": 10,
                                                      "last": TITLE[9], "rest": TITLE[10:]})]


def test_malformed_cover_and_focus_are_sub013(tmp_path):
    extra = 'cover = "别的.jpg"\ncover_focus = [0.5, 2]\n'
    found = check(wechat_folder(tmp_path / "bad", extra=extra))
    assert [(c, p) for c, p, _ in found] == [("SUB013", "cover"), ("SUB013", "cover_focus")]  # no WCH on a cover that is not there
    assert found[0][2]["reason"]["en"] == 'write the path of an image listed in [[files]] (role = "image")'
    extra = 'cover = "照片.jpg"\ncover_focus = "middle"\n'
    assert [(c, p) for c, p, _ in check(wechat_folder(tmp_path / "text", extra=extra))] == [("SUB013", "cover_focus")]


def test_the_news_example_is_ready_for_wechat():
    from conftest import EXAMPLES

    toml = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议" / "submission.toml"
    assert check(toml) == []


def test_a_cover_or_file_outside_the_folder_is_never_read_nor_written(tmp_path):
    from factories import make_jpeg
    from hnsubmit.checks.wechat.make import make_renditions

    outside = make_jpeg(tmp_path / "outside.jpg", (300, 200))
    toml = wechat_folder(tmp_path / "item", extra='cover = "../outside.jpg"\n')
    text = toml.read_text(encoding="utf-8") + '\n[[files]]\npath = "../outside.jpg"\nrole = "image"\ncaption = "外面"\n'
    toml.write_text(text, encoding="utf-8")
    found = [(c, p) for c, p, _ in check(toml)]
    assert found == [("SUB007", "files[1].path")]  # and no WCH finding from reading it
    pol = default_policy()
    make_renditions(toml.parent, CheckOptions(pol, selection_from(pol)))
    assert not (tmp_path / "item" / "renditions").exists() and not (tmp_path / "renditions").exists()
    assert outside.stat().st_size > 0


def test_a_rendition_out_of_limits_says_what_is_wrong(tmp_path, monkeypatch):
    from factories_wechat import video_wrong_codec

    toml = video_wrong_codec(tmp_path, monkeypatch)
    assert check(toml) == [("WCH008", "files[1].path", {
        "file": "宣传片.wmv", "rendition": "renditions/wechat/宣传片.mp4",
        "reason": {"zh": "视频编码为 mpeg4,应为 h264", "en": "the video codec is mpeg4, not h264"}})]
    pol = policy_from_dict({"channels": {"wechat": {"max_video_bytes": 1000}}}, "test")
    [(code, _, args)] = check(toml, pol)
    assert code == "WCH008" and args["reason"]["en"] == f"it is {(toml.parent / 'renditions/wechat/宣传片.mp4').stat().st_size / 1000:.0f} kB, over the limit of 1 kB"


def test_an_office_guide_is_not_a_wechat_article(tmp_path):
    from conftest import EXAMPLES

    toml = EXAMPLES / "submissions" / "共和县-办事指南-不动产首次登记" / "submission.toml"
    assert "wechat" in toml.read_text(encoding="utf-8")  # it names the channel, has no cover, and gets no WCH finding
    assert [c for c, _, _ in check(toml)] == []


def test_the_news_template_names_the_wechat_fields_by_their_real_keys():
    import re

    from hnsubmit.submission.model import known_keys
    from hnsubmit.submission.scaffold import render

    text = render("news", [], [])
    named = set(re.findall(r"\b(cover|cover_focus|wechat_title|wechat_author|digest)\b", text))
    assert named == {"cover", "cover_focus", "wechat_title", "wechat_author", "digest"}
    assert named <= known_keys()[""]  # uncommented, none of them is SUB014 unknown-key
    assert "hnsubmit fix --channel wechat" in text
