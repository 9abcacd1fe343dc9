"""`guide check` close to the machine (issue 19, P8): each mechanism that makes a 5,000-row workbook cheap
is checked against the slow path it replaces, report for report.

- the run's memo of text-scan hits: a text repeated in many guides is scanned once by TXT and once by PRF,
  and every guide still gets its own findings, placed in its own row;
- the builder's memo of coerced values: a value a batch repeats is coerced once per field;
- the fast sheet reader: a sheet's rows are the ones openpyxl's iter_rows(values_only=True) gives.
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


# -- the rows of a sheet without openpyxl's per-cell objects ---------------------------------------

def _typed(rows):
    return [tuple((type(v).__name__, v) for v in row) for row in rows]


def _both(path):
    """Every sheet of `path`: (the fast reader's rows, openpyxl's iter_rows(values_only=True)), or the
    exception type each raised."""
    import openpyxl

    from hnsubmit.guide.xlsx_rows import values

    out = []
    for reader in (values, lambda ws: ws.iter_rows(values_only=True)):
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            out.append([_typed(reader(ws)) for ws in wb.worksheets])
        except Exception as exc:  # noqa: BLE001 - the same error either way
            out.append(type(exc).__name__)
        finally:
            wb.close()
    return out


def test_the_fast_rows_are_openpyxls_over_every_example_workbook(folder):
    from hnsubmit.guide.xlsx_rows import FAST_ROWS

    paths = sorted(GUIDES.rglob("*.xlsx")) + [write_xlsx(folder / "noisy.xlsx", noisy_batch(45))]
    FAST_ROWS.update(fast=0, fallback=0)
    for path in paths:
        fast, slow = _both(path)
        assert fast == slow, path
    assert FAST_ROWS["fallback"] == 0 and FAST_ROWS["fast"] >= 2 * len(paths)


def _sheet_xml(rows_xml: str, dimension: str | None = "A1:E9", prolog: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{dim}'
            f'<sheetViews><sheetView workbookViewId="0"/></sheetViews><cols><col min="1" max="2" width="20"/></cols>'
            f'<sheetData>{rows_xml}</sheetData><mergeCells count="1"><mergeCell ref="A8:B8"/></mergeCells>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')


def _workbook(tmp_path, name: str, sheet_xml: str):
    """A workbook saved by openpyxl (shared strings, a date style) whose first sheet is `sheet_xml`."""
    import datetime as dt
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "事项名称"
    ws["B1"] = dt.date(2026, 1, 1)  # style 1: a date format
    plain = tmp_path / f"plain-{name}"
    wb.save(plain)
    target = tmp_path / name
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode("utf-8")
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            dst.writestr(item, data)
        dst.writestr("xl/sharedStrings.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'count="3" uniqueCount="3"><si><t>事项名称</t></si><si><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r></si>'
            '<si><t xml:space="preserve"> 空格 </t></si></sst>').encode())
    return target


ROWS = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>46023</v></c><c r="C1" t="b"><v>1</v></c>'
    '<c r="D1"><v>3.5</v></c><c r="E1"><v>12</v></c></row>'
    '<row r="3" spans="1:5"><c r="A3" t="s"><v>1</v></c><c r="C3" t="str"><f>A1&amp;"x"</f><v>事项名称x</v></c>'
    '<c r="D3" t="e"><v>#N/A</v></c><c r="E3" t="inlineStr"><is><t>内联</t></is></c></row>'
    '<row><c t="s"><v>2</v></c><c><v>1E3</v></c><c t="d"><v>2026-03-01T00:00:00</v></c><c t="inlineStr"><is/></c></row>'
    '<row r="6"><c r="A6" s="1"><v>2958466</v></c><c r="B6"><v></v></c><c r="C6" t="n"/></row>'
    '<row r="7.0"><c r="B7"><v>7</v></c></row>'
)


@pytest.mark.filterwarnings("ignore:Cell A6 is marked as a date")  # 2958466: past the last date, both ways
@pytest.mark.parametrize("case, sheet, fallback", [
    ("shared, dates, booleans, formulas, errors, gaps, cells without r", _sheet_xml(ROWS), 0),
    ("no dimension: rows as long as their last cell", _sheet_xml(ROWS, dimension=None), 0),
    ("fewer rows than the dimension says", _sheet_xml(ROWS, dimension="A1:E12"), 0),
    ("more rows than the dimension says", _sheet_xml(ROWS, dimension="A1:C4"), 0),
    ("a rich inline string: openpyxl's Text", _sheet_xml(ROWS + '<row r="9"><c r="A9" t="inlineStr"><is><r><t>富</t></r>'
                                                         '<rPh sb="0" eb="1"><t>ふ</t></rPh></is></c></row>'), 1),
    # (with an entity, openpyxl refuses the workbook as it opens it: defusedxml reads the dimension first)
    ("a DOCTYPE: left to defusedxml", _sheet_xml(ROWS, prolog="<!DOCTYPE worksheet>"), 1),
    ("lower-case references, a leading zero", _sheet_xml(ROWS.replace('r="B7"', 'r="b7"').replace('r="E3"', 'r="E03"')), 0),
    ("an absolute reference (openpyxl refuses it)", _sheet_xml(ROWS.replace('r="B7"', 'r="$B$7"')), 1),
    ("a damaged cell reference", _sheet_xml(ROWS.replace('r="D1"', 'r="1D"')), 1),
    ("a string index past the table", _sheet_xml(ROWS.replace("<v>2</v>", "<v>9</v>")), 1),
    ("cut short", _sheet_xml(ROWS)[:-400], 1),
])
def test_the_fast_rows_are_openpyxls_or_openpyxl_reads_them(tmp_path, case, sheet, fallback):
    from hnsubmit.guide.xlsx_rows import FAST_ROWS

    path = _workbook(tmp_path, "t.xlsx", sheet)
    FAST_ROWS.update(fast=0, fallback=0)
    fast, slow = _both(path)
    assert fast == slow, case
    assert FAST_ROWS["fallback"] == fallback, case
    if not fallback:
        assert isinstance(fast, list) and len(fast[0]) >= 4, fast  # read, not refused


def test_guide_check_reads_its_workbooks_the_fast_way():
    from hnsubmit.guide.xlsx_rows import FAST_ROWS

    FAST_ROWS.update(fast=0, fallback=0)
    engine.check_guides([GUIDES / "海南州-办事指南批量报送.xlsx"], keep_guides=False)
    assert FAST_ROWS == {"fast": 3, "fallback": 0}  # the guides, their materials and their fees


def test_repeated_values_are_coerced_once_and_the_guides_are_the_same(folder, monkeypatch):
    from hnsubmit.guide import build

    path = write_xlsx(folder / "noisy.xlsx", noisy_batch(60))
    policy = load_policy()
    prof = get_profile(policy.guide.profile).name

    def guides():
        analysis = analyse(path, path.name, prof, policy, "xlsx")
        return [(g.label, g.guide.model_dump(), g.findings) for g in analysis.guides], analysis.texts

    build._FIELD_MEMO.clear()
    build.MEMO_HITS[0] = 0
    fast = guides()
    assert build.MEMO_HITS[0] > 60 * 20  # most of each row's values were seen in an earlier row
    monkeypatch.setattr(build, "_MEMO_KINDS", frozenset())  # every value coerced afresh
    build.MEMO_HITS[0] = 0
    slow = guides()
    assert build.MEMO_HITS[0] == 0
    assert fast == slow
    assert any(found for _, _, found in slow[0])  # GDE findings among them (GDE010, GDE005)
