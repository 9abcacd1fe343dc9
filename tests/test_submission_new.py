"""`hnsubmit new news|guide DIR`: a template that parses, lists the folder's files by content, and
reports exactly the fields still to fill in."""

from __future__ import annotations

import datetime as dt
import json

from factories import make_docx, make_jpeg, make_png, make_video
from hnsubmit.submission.load import load_submission
from hnsubmit.submission.model import CHINA
from hnsubmit.tomlcompat import tomllib

TO_FILL = ["SUB002"] * 6 + ["SUB003"] * 2 + ["SUB018"]  # SUB018: the news template's source is blank


def check_codes(cli, path):
    code, out, _ = cli("check", path, "--format", "json")
    data = json.loads(out)
    return code, sorted(f["code"] for r in data["files"] for f in r["findings"] if f["path"].endswith("submission.toml"))


def test_new_news_in_an_empty_folder(cli, tmp_path):
    folder = tmp_path / "新信息"
    code, out, err = cli("new", "news", folder)
    assert code == 0, err
    text = (folder / "submission.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["kind"] == "news" and "files" not in data
    assert data["written"] == dt.datetime.now(CHINA).date()
    code, found = check_codes(cli, folder)
    assert code == 1 and found == sorted(TO_FILL + ["SUB015"])


def test_new_lists_existing_files_with_roles_by_content(cli, tmp_path):
    folder = tmp_path / "会议"
    folder.mkdir()
    make_docx(folder / "正文.docx", ["标题", "内容"])
    make_docx(folder / "附件一.docx", ["附件"])
    make_jpeg(folder / "a.jpg", (400, 300))
    make_png(folder / "截图.jpg", (400, 300))
    (folder / "备注.txt").write_text("不报送", encoding="utf-8")
    code, out, err = cli("new", "news", folder, "--unit", "632521", "--title", "共和县召开会议", "--phone", "0974-8512655")
    assert code == 0, err
    sub, findings = load_submission(folder)
    assert [(f.path, f.role) for f in sub.files] == [("a.jpg", "image"), ("截图.jpg", "image"), ("正文.docx", "body"), ("附件一.docx", "attachment")]
    assert sub.ignore == ["备注.txt"] and sub.unit == "632521" and sub.title == "共和县召开会议"
    assert sorted(f.code for f in findings) == sorted(["SUB002"] * 3 + ["SUB003"] * 2 + ["SUB009"] * 2 + ["SUB018"])


def test_new_guide_and_filling_in_makes_it_pass(cli, tmp_path):
    folder = tmp_path / "指南"
    folder.mkdir()
    make_docx(folder / "办事指南.docx", ["个体工商户设立登记办事指南", "一、事项名称:个体工商户设立登记。"])
    assert cli("new", "guide", folder, "--unit", "632521", "--liaison", "李海英", "--phone", "13897400000")[0] == 0
    path = folder / "submission.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('title = ""', 'title = "个体工商户设立登记办事指南"').replace('approver = ""', 'approver = "马国栋"')
    text = text.replace("# approved_at", "approved_at")
    path.write_text(text, encoding="utf-8")
    sub, findings = load_submission(folder)
    assert findings == [] and sub.kind == "guide" and sub.category == "services" and sub.column == "guides"
    assert [(f.path, f.role) for f in sub.files] == [("办事指南.docx", "body")]


def test_new_refuses_to_overwrite_without_force(cli, tmp_path):
    folder = tmp_path / "x"
    assert cli("new", "news", folder)[0] == 0
    (folder / "submission.toml").write_text('title = "mine"\n', encoding="utf-8")
    code, out, err = cli("new", "news", folder)
    assert code == 2 and "already exists" in err or "已存在" in err
    assert (folder / "submission.toml").read_text(encoding="utf-8") == 'title = "mine"\n'
    assert cli("new", "news", folder, "--force")[0] == 0
    assert "mine" not in (folder / "submission.toml").read_text(encoding="utf-8")


def test_new_rejects_an_unknown_kind(cli, tmp_path):
    code, out, err = cli("new", "photo", tmp_path / "y")
    assert code == 2 and not (tmp_path / "y").exists()


def test_new_lists_video_and_titles_with_quotes_survive(cli, tmp_path):
    folder = tmp_path / "视频"
    folder.mkdir()
    make_video(folder / "片.wmv", seconds=1)
    assert cli("new", "news", folder, "--title", '他说:"好"\\ 反斜杠')[0] == 0
    sub, _ = load_submission(folder)
    assert sub.title == '他说:"好"\\ 反斜杠' and [(f.path, f.role) for f in sub.files] == [("片.wmv", "video")]
