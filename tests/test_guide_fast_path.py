"""`guide check` close to the machine (issue 19, P8): each mechanism that makes a 5,000-row workbook cheap
is checked against the slow path it replaces, report for report.

- the run's memo of text-scan hits: a text repeated in many guides is scanned once by TXT and once by PRF,
  and every guide still gets its own findings, placed in its own row.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import EXAMPLES
from factories_guide import batch, noisy_batch, write_xlsx

from hnsubmit.checks import guides as engine
from hnsubmit.checks.proofing import scanner as prf
from hnsubmit.checks.validators import text_scan as txt
from hnsubmit.guide.api import analyse
from hnsubmit.guide.profiles import get_profile
from hnsubmit.policy.model import load_policy

GUIDES = EXAMPLES / "office-guides"


@pytest.fixture()
def folder(tmp_path):
    shutil.copytree(GUIDES / "表格", tmp_path / "表格")
    return tmp_path


def _per_guide(path, memo):
    """Each guide's findings (the streamed path of guide check), with or without the run's memo."""
    policy = load_policy()
    scanners = engine.text_scanners()
    analysis = analyse(path, path.name, get_profile(policy.guide.profile).name, policy, "xlsx",
                       scan=lambda texts: engine._scan_texts(path, path.name, texts, policy, memo, scanners))
    return [(g.label, g.name, [(f.code, f.location, f.args) for f in g.findings]) for g in analysis.guides]


def _distinct_texts(path) -> tuple[int, int]:
    policy = load_policy()
    analysis = analyse(path, path.name, get_profile(policy.guide.profile).name, policy, "xlsx")
    return len(analysis.texts), len({t.text for t in analysis.texts})


def test_a_repeated_text_is_scanned_once_and_every_guide_keeps_its_findings(folder):
    rows = batch(100)
    for g in rows:
        g["address"] = "共和县政务服务中心(恰卜恰镇)三楼,联系人手机13812345678,会议要求再接再励。"
    path = write_xlsx(folder / "100.xlsx", rows)
    total, distinct = _distinct_texts(path)
    assert distinct < total / 2  # the batch repeats its texts: hours, conditions, procedure, the address

    txt.SCANS.clear()
    prf.SCANS.clear()
    _per_guide(path, {})
    assert txt.SCANS["TXT"] == distinct and prf.SCANS["PRF"] == distinct

    txt.SCANS.clear()
    report = engine.check_guides([path], keep_guides=False)  # its own memo; the linked forms' text besides
    assert distinct <= txt.SCANS["TXT"] < distinct + 10
    # every guide reports the mobile (TXT004) and the wrong word (PRF001) in its own row's address cell
    for row, g in enumerate(report.guides, 2):
        found = [(f.code, f.location.field_path) for f in g.findings]
        assert ("TXT004", f"办事指南!{_column(path, '办理地点')}{row}") in found, (row, found)
        assert any(code == "PRF001" for code, _ in found), (row, found)


def _column(path, header: str) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        for cell in next(wb.worksheets[0].iter_rows(max_row=1)):
            if cell.value == header:
                return cell.column_letter
    finally:
        wb.close()
    raise AssertionError(header)


def test_the_memo_changes_no_finding(folder):
    path = write_xlsx(folder / "noisy.xlsx", noisy_batch(60))
    txt.SCANS.clear()
    slow = _per_guide(path, None)
    scanned_slow = txt.SCANS["TXT"]
    txt.SCANS.clear()
    fast = _per_guide(path, {})
    assert txt.SCANS["TXT"] < scanned_slow / 2
    assert fast == slow
    codes = {c for _, _, found in slow for c, _, _ in found}
    assert {"TXT001", "TXT002", "TXT003", "TXT004", "TXT005", "PRF001", "PRF002", "GDE010"} <= codes
