"""SUB rules on the files of a submission: existence, role against content, captions, unlisted files."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from factories_submission import VALID_TOML, submission_folder
from hnsubmit.submission.load import load_submission
from hnsubmit.submission.model import CHINA

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=CHINA)


def found(folder):
    _, findings = load_submission(folder, now=NOW)
    return sorted((f.code, f.location.field_path or "", dict(f.args).get("file", "")) for f in findings)


def with_file(toml: str, path: str, role: str, caption: str | None = None) -> str:
    extra = f'\n[[files]]\npath = "{path}"\nrole = "{role}"\n'
    return toml + extra + (f'caption = "{caption}"\n' if caption is not None else "")


@pytest.mark.parametrize(
    "path,reason_zh",
    [("会场照片3.jpg", "文件夹中没有这个文件"), ("../照片.jpg", "含有 .."), ("/etc/passwd", "是绝对路径"),
     ("C:/照片.jpg", "是绝对路径"), ("./照片2.jpg", "含有 .."), ("子目录", "是一个文件夹")],
)
def test_listed_file_must_be_a_file_inside_the_folder(tmp_path, path, reason_zh):
    folder = submission_folder(tmp_path / "s", with_file(VALID_TOML, path, "attachment"))
    (folder / "子目录").mkdir()
    (folder / "子目录" / "x.docx").write_bytes((folder / "正文.docx").read_bytes())
    _, findings = load_submission(folder, now=NOW)
    sub007 = [f for f in findings if f.code == "SUB007"]
    assert [(f.location.field_path, f.location.line) for f in sub007] == [("files[2].path", 27)]
    assert reason_zh in sub007[0].args["reason"]["zh"]
    others = sorted(f.code for f in findings if f.code != "SUB007")
    assert others == ["SUB010"]  # 子目录/x.docx itself is in the folder and not listed


def test_backslashes_from_windows_are_read_as_separators(tmp_path):
    folder = submission_folder(tmp_path / "s", with_file(VALID_TOML, "图片\\\\会场.jpg", "image", "会场"),
                               files={"正文.docx": "docx", "照片.jpg": "jpeg", "图片/会场.jpg": "jpeg"})
    sub, findings = load_submission(folder, now=NOW)
    assert findings == [] and sub.files[2].path == "图片/会场.jpg"


@pytest.mark.parametrize(
    "role,kind,expected",
    [
        ("body", "jpeg", [("SUB008", "files[2].role", "x")]),
        ("image", "docx", [("SUB008", "files[2].role", "x")]),
        ("video", "jpeg", [("SUB008", "files[2].role", "x")]),
        ("attachment", "pdf", []),
        ("attachment", "jpeg", []),
        ("form", "jpeg", [("SUB008", "files[2].role", "x")]),
        ("form", "pdf", []),
        ("video", "wmv", []),
        ("image", "png", []),  # not a portal format at all: FMT001 on the file says so, not SUB008
    ],
)
def test_role_must_fit_the_content(tmp_path, role, kind, expected):
    toml = with_file(VALID_TOML, "x", role, "说明")
    folder = submission_folder(tmp_path / "s", toml, files={"正文.docx": "docx", "照片.jpg": "jpeg", "x": kind})
    assert found(folder) == expected


def test_unknown_and_missing_roles(tmp_path):
    toml = with_file(VALID_TOML, "附件.pdf", "appendix") + '\n[[files]]\npath = "表.pdf"\n'
    folder = submission_folder(tmp_path / "s", toml, files={"正文.docx": "docx", "照片.jpg": "jpeg", "附件.pdf": "pdf", "表.pdf": "pdf"})
    assert found(folder) == [("SUB002", "files[3].role", ""), ("SUB013", "files[2].role", "")]


def test_every_image_needs_a_caption(tmp_path):
    toml = VALID_TOML.replace('caption = "防火宣传现场"', 'caption = "  "')
    assert found(submission_folder(tmp_path / "s", toml)) == [("SUB009", "files[1]", "照片.jpg")]


def test_duplicate_listing_is_reported_once(tmp_path):
    toml = with_file(VALID_TOML, "照片.JPG", "image", "again")
    folder = submission_folder(tmp_path / "s", toml)
    assert found(folder) == [("SUB013", "files[2].path", "")]


def test_unlisted_files_ignore_patterns_clutter_and_nested_submissions(tmp_path):
    toml = VALID_TOML.replace('channels = ["portal"]\n', 'channels = ["portal"]\nignore = ["草稿/", "*.txt"]\n')
    folder = submission_folder(
        tmp_path / "s", toml,
        files={"正文.docx": "docx", "照片.jpg": "jpeg", "备注.txt": "text", "草稿/旧正文.docx": "docx",
               "照片2.jpg": "jpeg", "图片/照片3.jpg": "jpeg", "Thumbs.db": "text", ".DS_Store": "text",
               "~$正文.docx": "text", "另一条/submission.toml": "text", "另一条/照片.jpg": "jpeg"},
    )
    assert found(folder) == [("SUB010", "files", "图片/照片3.jpg"), ("SUB010", "files", "照片2.jpg")]


def test_a_listed_symlink_is_left_to_fmt007(tmp_path):
    folder = submission_folder(tmp_path / "s")
    os.symlink("/etc/hostname", folder / "链接.jpg")
    assert found(submission_folder(tmp_path / "s", with_file(VALID_TOML, "链接.jpg", "image", "x"), files={})) == []


@pytest.mark.parametrize(
    "kind,roles,expected",
    [
        ("news", ["attachment"], [("SUB015", "files", "")]),
        ("news", [], [("SUB015", "files", "")]),
        ("news", ["video"], []),
        ("guide", ["form"], [("SUB015", "files", "")]),
        ("guide", ["body", "form"], []),
    ],
)
def test_something_to_publish(tmp_path, kind, roles, expected):
    head = VALID_TOML.split("[[files]]")[0].replace('kind = "news"', f'kind = "{kind}"')
    files, toml = {}, head
    for i, role in enumerate(roles):
        name = {"attachment": f"{i}.pdf", "video": f"{i}.wmv", "form": f"{i}.pdf", "body": f"{i}.docx"}[role]
        files[name] = {"pdf": "pdf", "wmv": "wmv", "docx": "docx"}[name.split(".")[1]]
        toml = with_file(toml, name, role)
    assert found(submission_folder(tmp_path / "s", toml, files=files)) == expected


def test_guide_body_may_be_an_office_guide_file(tmp_path):
    head = VALID_TOML.split("[[files]]")[0].replace('kind = "news"', 'kind = "guide"')
    toml = with_file(head, "指南.yaml", "body")
    folder = submission_folder(tmp_path / "s", toml, files={})
    (folder / "指南.yaml").write_text("事项名称: 个体工商户设立登记\n", encoding="utf-8")
    assert found(folder) == []
    news = toml.replace('kind = "guide"', 'kind = "news"')
    (folder / "submission.toml").write_text(news, encoding="utf-8")
    assert found(folder) == [("SUB008", "files[0].role", "指南.yaml")]


def test_too_many_files(tmp_path):
    toml = VALID_TOML
    files = {"正文.docx": "docx", "照片.jpg": "jpeg"}
    for i in range(200):
        toml = with_file(toml, f"附件{i}.txt", "attachment")
        files[f"附件{i}.txt"] = "text"
    assert found(submission_folder(tmp_path / "s", toml, files=files)) == [("SUB016", "files", "")]
