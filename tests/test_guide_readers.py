"""Readers: YAML/JSON paths and lines, the Excel batch by sheet/row/column, the Word template; hostile input.

Every test compares the full list of codes, so an unexpected extra finding fails too.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES
from factories_guide import clean_guide, write_xlsx, write_yaml

from hnsubmit.checks.guides import check_guides
from hnsubmit.guide.api import read_source
from hnsubmit.guide.build import Builder

GUIDES = EXAMPLES / "office-guides"
BATCH = GUIDES / "海南州-办事指南批量报送.xlsx"


def codes(report) -> list[str]:
    return sorted(f.code for f in report.findings)


def only(report, code: str):
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1, report.findings
    return found[0]


# -- YAML and JSON ------------------------------------------------------------------------------


def test_yaml_finding_carries_field_path_and_line(tmp_path):
    guide = clean_guide()
    guide["materials"][0]["originals"] = "两份"
    path = write_yaml(tmp_path / "g.yaml", guide)
    line = next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "两份" in ln)
    f = only(check_guides([path]), "GDE018")
    assert (f.location.field_path, f.location.line) == ("materials[0].originals", line)
    assert f.path == str(path)


def test_yaml_list_and_guides_key_prefix_paths(tmp_path):
    bad = clean_guide(consult_phone="8591516")
    report = check_guides([write_yaml(tmp_path / "list.yaml", [clean_guide(), bad])])
    assert [g.label for g in report.guides] == ["[0]", "[1]"]
    assert [codes_of(g) for g in report.guides] == [[], ["GDE010"]]
    assert only(report, "GDE010").location.field_path == "[1].consult_phone"
    report = check_guides([write_yaml(tmp_path / "keyed.yaml", {"guides": [bad]})])
    assert only(report, "GDE010").location.field_path == "guides[0].consult_phone"


def codes_of(result) -> list[str]:
    return sorted(f.code for f in result.findings)


def test_chinese_labels_aliases_and_codes_build_the_same_model(tmp_path):
    english = clean_guide(item_type="20", exercise_level=4, case_type="1")
    chinese = {"项目名称" if k == "item_name" else k: v for k, v in clean_guide().items()}
    a = check_guides([write_yaml(tmp_path / "a.yaml", english)])
    b = check_guides([write_yaml(tmp_path / "b.yaml", chinese)])
    assert codes(a) == codes(b) == []
    assert a.guides[0].guide == b.guides[0].guide


def test_json_guide_has_lines(tmp_path):
    guide = clean_guide(consult_phone="8591516")
    path = tmp_path / "g.json"
    path.write_text(json.dumps(guide, ensure_ascii=False, indent=2), encoding="utf-8")
    f = only(check_guides([path]), "GDE010")
    line = next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "8591516" in ln)
    assert (f.location.field_path, f.location.line) == ("consult_phone", line)


def test_gbk_encoded_yaml_is_read(tmp_path):
    import yaml

    path = tmp_path / "gbk.yaml"
    path.write_bytes(yaml.safe_dump(clean_guide(), allow_unicode=True).encode("gb18030"))
    assert codes(check_guides([path])) == []


@pytest.mark.parametrize(
    "text",
    [
        "item_name: 生育登记\n  address: x\n",  # bad indentation
        "- just\n- strings\n",  # a list of scalars
        "42\n",  # a scalar
        "item_name: a\n---\nitem_name: b\n",  # two documents
        "[" * 200 + "]" * 200 + "\n",  # nesting beyond the bound
        "\x00\x01\x02 binary junk",
        "",  # empty: FMT003
    ],
    ids=["indent", "scalars", "scalar", "two-docs", "deep", "binary", "empty"],
)
def test_malformed_yaml_becomes_one_finding(tmp_path, text):
    path = tmp_path / "坏.yaml"
    path.write_text(text, encoding="utf-8")
    report = check_guides([path])
    expected = ["FMT003"] if not text else ["GDE001"] * (2 if text.startswith("- just") else 1)
    assert codes(report) == expected
    assert not report.guides


def test_alias_bomb_is_refused_quickly(tmp_path):
    import time

    from factories_guide import FACTORIES

    path = FACTORIES["guide-alias-bomb"](tmp_path, None)
    start = time.monotonic()
    assert codes(check_guides([path])) == ["GDE001"]
    assert time.monotonic() - start < 10  # generous: the budget stops it after a few hundred thousand nodes


def test_oversized_yaml_is_refused(tmp_path, monkeypatch):
    from hnsubmit.guide import yaml_reader
    monkeypatch.setattr(yaml_reader, "MAX_BYTES", 1000)
    path = write_yaml(tmp_path / "big.yaml", clean_guide())
    assert codes(check_guides([path])) == ["GDE001"]


# -- Excel --------------------------------------------------------------------------------------


def test_twenty_row_batch_checks_in_one_run_with_a_row_per_guide(cli):
    code, out, err = cli("guide", "check", BATCH, "-q", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert [g["label"] for g in doc["guides"]] == [f"第{r}行" for r in range(2, 22)]
    assert all(g["errors"] == 0 and g["warnings"] == 0 and g["name"] for g in doc["guides"])
    code, out, _ = cli("guide", "check", BATCH, "-q")
    assert code == 0
    assert "社会团体成立登记" in out and "食品生产许可" in out


def copy_batch(tmp_path: Path) -> Path:
    """The twenty-row batch with the forms it names, in a scratch folder."""
    shutil.copytree(GUIDES / "表格", tmp_path / "表格")
    return Path(shutil.copy(BATCH, tmp_path / "batch.xlsx"))


def _set_cell(path: Path, sheet: str, row: int, header: str, value) -> str:
    import openpyxl
    from openpyxl.utils import get_column_letter

    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    col = next(c.column for c in ws[1] if c.value == header)
    ws.cell(row=row, column=col).value = value
    wb.save(path)
    return f"{sheet}!{get_column_letter(col)}{row}"


def test_broken_cell_reported_by_sheet_row_and_column_name(tmp_path, cli):
    path = copy_batch(tmp_path)
    cell = _set_cell(Path(path), "办事指南", 7, "法定办结时限", "二十天")
    report = check_guides([Path(path)])
    f = only(report, "GDE018")
    assert f.location.table_cell == "sheet 办事指南, row 7, column 法定办结时限"
    assert f.location.field_path == cell
    assert [(g.label, codes_of(g)) for g in report.guides if g.findings] == [("第7行", ["GDE018"])]
    code, out, _ = cli("guide", "check", path, "-q")
    assert code == 1 and "工作表“办事指南”第 7 行“法定办结时限”列" in out.replace("\n", "")  # said in Chinese (issue 12.8)


def test_material_cell_located_on_the_material_sheet(tmp_path):
    path = copy_batch(tmp_path)
    _set_cell(Path(path), "申请材料", 3, "材料类型", "原件或复印件")
    f = only(check_guides([Path(path)]), "GDE003")
    assert f.location.table_cell == "sheet 申请材料, row 3, column 材料类型"


def test_materials_keyed_by_implementation_code(tmp_path):
    import openpyxl

    guides = [clean_guide(item_name="甲"), clean_guide(item_name="乙", implement_code=None, catalog_code=None)]
    guides[1].pop("implement_code")
    guides[1].pop("catalog_code")
    for g in guides:
        g.pop("materials")
    path = write_xlsx(tmp_path / "b.xlsx", guides)
    wb = openpyxl.load_workbook(path)
    ws = wb["申请材料"]
    ws.cell(row=1, column=1).value = "实施编码"
    ws.append([clean_guide()["implement_code"], "夫妻双方居民身份证", "原件", "纸质", 2, None, None, "必要", "政府部门核发", "公安机关"])
    wb.save(path)
    report = check_guides([path])
    assert [codes_of(g) for g in report.guides] == [[], ["GDE002"]]  # 乙 has no materials
    assert report.guides[0].guide.materials[0].name == "夫妻双方居民身份证"


def test_unlinked_material_row_and_unknown_header(tmp_path):
    import openpyxl

    path = write_xlsx(tmp_path / "b.xlsx", [clean_guide()])
    wb = openpyxl.load_workbook(path)
    wb["办事指南"].cell(row=1, column=wb["办事指南"].max_column + 1).value = "网站栏目"
    wb["申请材料"].append([5, "结婚证", "原件", "纸质", 1, None, None, "必要", "政府部门核发", "民政部门"])
    wb.save(path)
    report = check_guides([path])
    assert codes(report) == ["GDE019", "GDE020"]
    assert only(report, "GDE020").location.table_cell == "sheet 申请材料, row 3, column 指南行号"
    assert sorted(f.code for r in report.files for f in r.findings) == ["GDE019", "GDE020"]  # file level, not a guide's


def test_title_row_above_header_and_numeric_phone(tmp_path):
    import openpyxl

    path = write_xlsx(tmp_path / "b.xlsx", [clean_guide()])
    wb = openpyxl.load_workbook(path)
    ws = wb["办事指南"]
    ws.insert_rows(1)
    ws.cell(row=1, column=1).value = "海南州办事指南报送表"
    col = next(c.column for c in ws[2] if c.value == "咨询电话")
    ws.cell(row=3, column=col).value = 9748591516  # typed as a number: Excel drops the leading 0
    for r in wb["申请材料"].iter_rows(min_row=2):
        r[0].value = 3
    wb.save(path)
    report = check_guides([path])
    assert codes(report) == ["GDE010"]
    assert only(report, "GDE010").location.table_cell == "sheet 办事指南, row 3, column 咨询电话"


def test_workbook_without_guide_header(tmp_path, cli):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "电话"])
    wb.save(tmp_path / "名单.xlsx")
    assert codes(check_guides([tmp_path / "名单.xlsx"])) == ["GDE001"]
    assert check_guides([tmp_path]).guides == ()  # in a folder, a plain workbook is not a guide


def test_damaged_and_bomb_workbooks(tmp_path, monkeypatch):
    data = BATCH.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    (tmp_path / "junk.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 20)
    assert codes(check_guides([tmp_path / "cut.xlsx"])) == ["GDE001"]
    assert codes(check_guides([tmp_path / "junk.xlsx"])) == ["GDE001"]
    from hnsubmit.guide import xlsx_reader
    monkeypatch.setattr(xlsx_reader, "MAX_UNCOMPRESSED", 10_000)
    assert codes(check_guides([BATCH])) == ["GDE001"]


def test_identification_of_guide_workbooks(tmp_path):
    from hnsubmit.checks.formats.identify import identify_path

    assert identify_path(BATCH).kind == "office-guide"
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["*项目名称", "办理地点"])
    wb.save(tmp_path / "x.xlsx")
    assert identify_path(tmp_path / "x.xlsx").kind == "office-guide"
    wb = openpyxl.Workbook()
    for _ in range(9):  # a title block above the header, as the reader allows
        wb.active.append(["海南州办事指南报送表"])
    wb.active.append(["事项名称（必填）", "办理地点"])
    wb.save(tmp_path / "z.xlsx")
    assert identify_path(tmp_path / "z.xlsx").kind == "office-guide"
    wb = openpyxl.Workbook()
    wb.active.append(["项目", "金额"])
    wb.save(tmp_path / "y.xlsx")
    assert identify_path(tmp_path / "y.xlsx").kind == "xlsx"


# -- round trips --------------------------------------------------------------------------------

POSITIVE = sorted(p for p in GUIDES.glob("*.*") if p.suffix in (".yaml", ".json"))


def _models(path: Path):
    read = read_source(path, path.name)
    out = []
    for raw in read.guides:
        b = Builder(path.name, raw.locator)
        out.append(b.build(raw.data))
        assert b.findings == []
    return out


@pytest.mark.parametrize("path", POSITIVE, ids=lambda p: p.name)
def test_yaml_to_docx_to_model_round_trip(path, tmp_path):
    from hnsubmit.guide.docx_writer import write_guide_docx

    for i, guide in enumerate(_models(path)):
        target = write_guide_docx(guide, tmp_path / f"{i}.docx")
        (back,) = _models(target)
        assert back == guide


def test_excel_round_trip_of_every_example(tmp_path):
    from hnsubmit.guide.xlsx_template import write_guides_xlsx

    guides = [g for p in POSITIVE for g in _models(p)]
    assert _models(write_guides_xlsx(guides, tmp_path / "all.xlsx")) == guides


# -- the Word template ---------------------------------------------------------------------------


def test_word_template_cell_location_and_folder_detection(tmp_path):
    import docx

    src = GUIDES / "贵南县-民政局-婚姻登记档案查询.docx"
    document = docx.Document(str(src))
    table = document.tables[0]
    row = next(i for i, r in enumerate(table.rows) if r.cells[0].text == "咨询电话")
    table.cell(row, 1).text = "8532620"
    target = tmp_path / "指南.docx"
    document.save(str(target))
    shutil.copytree(GUIDES / "表格", tmp_path / "表格")
    f = only(check_guides([target]), "GDE010")
    assert f.location.table_cell == f"table 1, row {row + 1}, column 2"
    report = check_guides([tmp_path])  # the forms in 表格/ are Word files too, but not guides
    assert [Path(g.source).name for g in report.guides] == ["指南.docx"]


def test_word_file_without_element_table(tmp_path):
    from factories import make_docx

    path = make_docx(tmp_path / "讲话.docx", ["讲话稿", "同志们:"])
    assert codes(check_guides([path])) == ["GDE001"]
    (tmp_path / "假.docx").write_bytes(b"PK\x03\x04 not really a zip")
    assert codes(check_guides([tmp_path / "假.docx"])) == ["GDE001"]


def _needs_zip_version(src: Path, out: Path, version: int = 132) -> Path:
    """A copy whose central directory says its first entry needs ZIP version 13.2 to extract."""
    data = bytearray(src.read_bytes())
    cd = data.index(b"PK\x01\x02")
    data[cd + 6 : cd + 8] = version.to_bytes(2, "little")
    out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize("src,kind", [(BATCH, "xlsx"), (GUIDES / "贵南县-民政局-婚姻登记档案查询.docx", "docx")])
def test_an_archive_needing_a_newer_zip_version_is_gde001(tmp_path, src, kind):
    """Found by fuzzing (tests/fuzz/regressions/guide_{docx,xlsx}/zip-version-needed-*): zipfile raises
    NotImplementedError for it, which the readers did not catch."""
    path = _needs_zip_version(src, tmp_path / f"新版本.{kind}")
    for k in (kind, None):
        result = read_source(path, path.name, k)
        assert [f.code for f in result.findings] == ["GDE001"] and result.guides == []
