"""`review show` proofreads what arrived: a unit that skipped `check` still has its wrong words,
outdated names and leaders' titles shown to the office's reviewer, with the office's lists."""

from __future__ import annotations

import hashlib
import json

import pytest

from factories_proofing import draft_docx


@pytest.fixture
def submission(tmp_path):
    """A submission with a Word body full of mistakes, stored as the server stores it."""
    from hnsubmit.exchange.auth import Principal
    from hnsubmit.exchange.context import open_exchange, utcnow
    from hnsubmit.exchange.submissions import submit

    data = tmp_path / "exchange"
    content = draft_docx(tmp_path / "稿件.docx").read_bytes()
    digest = "sha256:" + hashlib.sha256(content).hexdigest()
    ex = open_exchange(data)
    try:
        unit = ex.storage.get_unit("632524")
        ex.storage.add_blob_ref(unit.code, digest, len(content), utcnow())
        folder = data / "blobs" / "sha256" / digest[7:9]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / digest[7:]).write_bytes(content)
        manifest = {"title": "兴海县再接再励开展防汛演练", "unit": unit.code, "column": "county-news", "category": "development",
                    "liaison": {"name": "赵六", "phone": "0974-8512655"},
                    "approval": {"approver": "钱七", "approved_at": "2026-11-17T09:30:00+08:00"},
                    "files": [{"path": "正文.docx", "role": "body", "digest": digest, "size": len(content)}]}
        status, receipt, _ = submit(ex, Principal("unit", "t_x", unit), "k-prf", json.dumps(manifest).encode(), utcnow())
        assert status == 201
    finally:
        ex.close()
    return data, receipt["submission_id"]


def test_review_show_lists_prf_findings_of_title_and_word_file(cli, submission, tmp_path):
    data, sid = submission
    (tmp_path / "领导名单.csv").write_text("姓名,职务\n李四,副州长\n王小明,副州长\n", encoding="utf-8")
    code, out, err = cli("--lang", "en", "review", "show", sid, "--data", data, "--leaders", tmp_path / "领导名单.csv",
                         env={"COLUMNS": "250"})
    assert code == 0, err
    section = out[out.index("proofreading (PRF):"):]
    assert "PRF001 submission: “再接再励” in field title should be “再接再厉”" in section
    for code_, wrong in (("PRF007", "李四州长"), ("PRF008", "王小名"), ("PRF003", "台湾总统"), ("PRF004", "二〇二六年二月三十日")):
        assert any(line.strip().startswith(f"{code_} 正文.docx:") and wrong in line for line in section.splitlines()), (code_, section)
    assert len([line for line in section.splitlines() if line.strip().startswith("PRF")]) == 16  # 15 in the file, 1 in the title


def test_review_show_without_leaders_and_with_a_missing_list(cli, submission, tmp_path):
    data, sid = submission
    code, out, _ = cli("--lang", "en", "review", "show", sid, "--data", data, env={"COLUMNS": "250"})
    assert code == 0 and "PRF007" not in out and "PRF001" in out  # no leaders list: no leader checks
    code, _, err = cli("--lang", "en", "review", "show", sid, "--data", data, "--leaders", tmp_path / "nope.csv")
    assert code == 3 and "nope.csv" in err
