"""The line scanner agrees with tomllib on where keys stand."""

from __future__ import annotations

from hnsubmit.submission.lines import key_lines, line_of

TEXT = '''# 说明
title = "x"   # 标题
"quoted key" = 1
channels = [
  "portal",   # ] not the end
  "wechat",
]
summary = """
fake = 1
[fake]
"""
liaison = { name = "李", phone = "0974" }
approval.approver = "王"

[approval2]
approved_at = 2026-11-20

[[files]]
path = "a.docx"

[[files]]
path = "b.jpg"
caption = 'say "hi"'
'''


def test_key_lines():
    from hnsubmit.tomlcompat import tomllib

    tomllib.loads(TEXT)  # the sample is valid TOML
    lines = key_lines(TEXT)
    assert lines == {
        "title": 2, "quoted key": 3, "channels": 4, "summary": 8, "liaison": 12, "liaison.name": 12,
        "liaison.phone": 12, "approval.approver": 13, "approval2": 15, "approval2.approved_at": 16,
        "files[0]": 18, "files[0].path": 19, "files[1]": 21, "files[1].path": 22, "files[1].caption": 23,
    }
    assert line_of(lines, "files[1].role") == 21
    assert line_of(lines, "liaison.phone") == 12
    assert line_of(lines, "nothing.here") is None
