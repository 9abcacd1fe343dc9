"""submission.toml: the model, the field rules and their locations (full lists of codes per case)."""

from __future__ import annotations

import datetime as dt

import pytest

from factories_submission import VALID_TOML, submission_folder
from hnsubmit.submission.load import load_submission
from hnsubmit.submission.model import CHINA

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=CHINA)


def codes(folder, now=NOW):
    sub, findings = load_submission(folder, now=now)
    return sub, sorted((f.code, f.location.field_path or "", f.location.line) for f in findings)


def test_valid_submission_has_no_findings_and_a_model(tmp_path):
    sub, found = codes(submission_folder(tmp_path / "s"))
    assert found == []
    assert sub.title == "共和县开展冬季森林草原防火宣传"
    assert sub.approved_at_local() == dt.datetime(2026, 11, 19, 16, 0, tzinfo=CHINA)
    assert [(f.path, f.role, f.index) for f in sub.files] == [("正文.docx", "body", 0), ("照片.jpg", "image", 1)]


def test_missing_fields_are_located_by_key_and_line(tmp_path):
    toml = VALID_TOML.replace('title = "共和县开展冬季森林草原防火宣传"\n', 'title = "  "\n').replace('unit = "632521"\n', "")
    _, found = codes(submission_folder(tmp_path / "s", toml))
    assert found == [("SUB002", "title", 2), ("SUB002", "unit", None)]


def test_missing_approval_names_both_fields(tmp_path):
    toml = VALID_TOML.replace('[approval]\napprover = "马国栋"\napproved_at = 2026-11-19T16:00:00+08:00\n', "")
    sub, found = codes(submission_folder(tmp_path / "s", toml))
    assert found == [("SUB003", "approval.approved_at", None), ("SUB003", "approval.approver", None)]
    assert sub is not None


@pytest.mark.parametrize(
    "approved_at,expected",
    [
        ("2026-11-22T12:05:00+08:00", []),  # within the clock skew
        ("2026-11-22T13:00:00+08:00", [("SUB004", "approval.approved_at", 15)]),  # later than now
        ("2026-11-18T23:59:00+08:00", [("SUB004", "approval.approved_at", 15)]),  # before written
        ("2026-11-19T00:30:00", []),  # no offset: China time, same day as written
        ("2026-11-18T17:00:00Z", []),  # 01:00 on the 19th in China
        ("2026-11-19", []),  # a date alone is accepted
    ],
)
def test_time_of_approval(tmp_path, approved_at, expected):
    toml = VALID_TOML.replace("approved_at = 2026-11-19T16:00:00+08:00", f"approved_at = {approved_at}")
    _, found = codes(submission_folder(tmp_path / "s", toml))
    assert found == expected


@pytest.mark.parametrize("value,code", [("meetings", "meetings"), ("二", "meetings"), ("8", "other"), ("三(五)", "services"), ("办事指南、招商引资、便民服务和公告公示", "services")])
def test_category_aliases_become_codes(tmp_path, value, code):
    toml = VALID_TOML.replace('category = "implementation"', f'category = "{value}"')
    sub, found = codes(submission_folder(tmp_path / "s", toml))
    assert found == [] and sub.category == code


@pytest.mark.parametrize("value", ["工作动态", "九", "news"])
def test_unknown_category(tmp_path, value):
    toml = VALID_TOML.replace('category = "implementation"', f'category = "{value}"')
    _, found = codes(submission_folder(tmp_path / "s", toml))
    assert found == [("SUB005", "category", 5)]


def test_channels_are_normalised_and_checked(tmp_path):
    ok = VALID_TOML.replace('channels = ["portal"]', 'channels = ["门户网站", "微信", "portal"]')
    sub, found = codes(submission_folder(tmp_path / "a", ok))
    assert found == [] and sub.channels == ["portal", "wechat"]
    bad = VALID_TOML.replace('channels = ["portal"]', 'channels = ["weibo", "portal", "douyin"]')
    _, found = codes(submission_folder(tmp_path / "b", bad))
    assert found == [("SUB006", "channels", 7), ("SUB006", "channels", 7)]
    empty = VALID_TOML.replace('channels = ["portal"]', "channels = []")
    _, found = codes(submission_folder(tmp_path / "c", empty))
    assert found == [("SUB006", "channels", 7)]


@pytest.mark.parametrize(
    "unit,ok",
    [("632521", True), ("632500-fgw", True), ("91110108551385082Q", True), ("共和县", False), ("63252", False), ("992521", False), ("91110108551385082A", False)],
)
def test_unit_codes(tmp_path, unit, ok):
    toml = VALID_TOML.replace('unit = "632521"', f'unit = "{unit}"')
    _, found = codes(submission_folder(tmp_path / "s", toml))
    assert found == ([] if ok else [("SUB011", "unit", 3)])


@pytest.mark.parametrize(
    "phone,ok",
    [("0974-8512655", True), ("09748512655", True), ("(0974) 851 2655", True), ("13897400000", True), ("+86 138 9740 0000", True),
     ("8512655", False), ("400-810-8888", False), ("+1 650 253 0000", False), ("电话", False), ("1389740000", False)],
)
def test_phone_numbers(tmp_path, phone, ok):
    toml = VALID_TOML.replace('phone = "0974-8512655"', f'phone = "{phone}"')
    _, found = codes(submission_folder(tmp_path / "s", toml))
    assert found == ([] if ok else [("SUB012", "liaison.phone", 11)])


def test_type_errors_do_not_hide_other_findings(tmp_path):
    toml = (
        VALID_TOML.replace("written = 2026-11-19", 'written = "11月19日"')
        .replace('title = "共和县开展冬季森林草原防火宣传"', "title = " + '"' + "长" * 201 + '"')
        .replace('approver = "马国栋"\n', "")
        .replace('column = "county-news"', 'column = "县区动态"')
        .replace('caption = "防火宣传现场"', "caption = 5")
    )
    sub, found = codes(submission_folder(tmp_path / "s", toml))
    assert found == [
        ("SUB003", "approval.approver", 13),
        ("SUB013", "column", 4),
        ("SUB013", "files[1].caption", 23),
        ("SUB013", "title", 2),
        ("SUB013", "written", 6),
    ]
    assert sub is not None and sub.title is None and [f.path for f in sub.files] == ["正文.docx"]


def test_unknown_keys_are_warnings_with_lines(tmp_path):
    toml = VALID_TOML.replace('channels = ["portal"]\n', 'channels = ["portal"]\nauther = "张三"\n') + 'colour = "red"\n'
    toml = toml.replace("[liaison]\n", "[liaison]\nemail = \"a@b.cn\"\n")
    _, found = codes(submission_folder(tmp_path / "s", toml))
    assert found == [("SUB014", "auther", 8), ("SUB014", "files[1].colour", 27), ("SUB014", "liaison.email", 11)]


@pytest.mark.parametrize(
    "content,line",
    [(b'title = \xd0\xb2\xff"\n', None), (b'title = "a"\nunit = \n', 2), (b"\xff\xfe" + "标题".encode("utf-16-le"), None)],
)
def test_unreadable_submission(tmp_path, content, line):
    folder = submission_folder(tmp_path / "s")
    (folder / "submission.toml").write_bytes(content)
    sub, found = codes(folder)
    assert sub is None and found == [("SUB001", "", line)]


def test_oversized_and_absent_submission(tmp_path):
    folder = submission_folder(tmp_path / "s")
    (folder / "submission.toml").write_bytes(b"# " + b"x" * (1024 * 1024 + 10))
    assert codes(folder) == (None, [("SUB001", "", None)])
    (folder / "submission.toml").unlink()
    assert codes(folder) == (None, [("SUB001", "", None)])


def test_gbk_submission_is_refused_with_a_hint(tmp_path):
    folder = submission_folder(tmp_path / "s")
    (folder / "submission.toml").write_bytes(VALID_TOML.encode("gb18030"))
    _, findings = load_submission(folder, now=NOW)
    assert [f.code for f in findings] == ["SUB001"]
    assert findings[0].args["reason"]["zh"].startswith("不是 UTF-8")


def test_findings_point_at_the_given_display_name(tmp_path):
    folder = submission_folder(tmp_path / "s", VALID_TOML.replace('unit = "632521"', 'unit = "x"'))
    _, findings = load_submission(folder, display="pkg.zip!data/submission.toml", now=NOW)
    assert [(f.path, f.location.describe()) for f in findings] == [("pkg.zip!data/submission.toml", "unit line 3")]
