"""Issue 12, item 12: hints that are right — `hnsubmit fix` only when fix can help, SUB016 for too many files,
`new news` warns about it early, FMT002 on a PNG named .jpg says convert, not rename."""

from __future__ import annotations

import shutil

from conftest import EXAMPLES
from factories import make_png
from factories_submission import too_many_files

MEETING = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"


def _push(cli, folder, monkeypatch, tmp_path):
    monkeypatch.setenv("HNSUBMIT_TOKEN", "abcdefghijklmnopqrstuvwx")
    policy = tmp_path / "policy.toml"
    from hnsubmit.policy.model import default_policy_text

    policy.write_text(default_policy_text(), encoding="utf-8")
    return cli("push", folder, "--endpoint", "http://127.0.0.1:9", "--policy", policy, "--quiet")


def test_refused_push_names_fix_only_when_fix_can_help(cli, tmp_path, monkeypatch):
    folder = tmp_path / "no-approver"
    shutil.copytree(MEETING, folder)
    toml = folder / "submission.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('approver = "马国栋"', 'approver = ""'), encoding="utf-8")
    code, out, err = _push(cli, folder, monkeypatch, tmp_path)
    assert code == 1, out + err
    assert "未发送任何内容" in out and "hnsubmit fix" not in out

    png = tmp_path / "png"
    shutil.copytree(MEETING, png)
    make_png(png / "会场照片1.jpg")  # a PNG where a JPEG is listed: fix converts it
    code, out, err = _push(cli, png, monkeypatch, tmp_path)
    assert code == 1, out + err
    assert "hnsubmit fix" in out


def test_too_many_files_has_its_own_rule_and_hint(cli, tmp_path):
    toml = too_many_files(tmp_path)
    code, out, err = cli("check", toml)
    assert code == 1
    assert "SUB016" in out and "分成几条报送" in out
    assert "SUB013" not in out and "日期写成" not in out


def test_new_news_warns_when_the_folder_holds_too_many_files(cli, tmp_path):
    toml = too_many_files(tmp_path)
    toml.unlink()
    code, out, err = cli("new", "news", toml.parent)
    assert code == 0, err
    assert "201" in out and "最多 200" in out


def test_fmt002_on_a_png_named_jpg_says_convert_not_rename(cli):
    code, out, err = cli("check", EXAMPLES / "negative" / "截图-其实是PNG.jpg")
    assert "FMT002" in out
    flat = "".join(out.split())
    assert "转换为JPEG" in flat and "不要改名为.png" in flat and "也可以手工改名" not in flat
