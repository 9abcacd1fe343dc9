"""Write an office guide as a Word document: title, unit, date, the 要素 table, the material and fee tables.

The same layout serves the blank template (`hnsubmit guide new --format docx`, every element listed,
required ones marked '*') and the printable export (only filled elements).  docx_reader reads it back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hnsubmit.guide.layout import FEE_COLUMNS, GUIDE_ROWS, MATERIAL_COLUMNS, cell_text, header
from hnsubmit.guide.model import Fee, Material, OfficeGuide

TEMPLATE_NOTE = (
    "填写说明:请在右列填写各要素,带 * 的为必填;多项内容每行一项;时限写成“20个工作日”;"
    "表格文件(Word 和 PDF)放在本文件所在文件夹内,在“空白表格”列写相对路径。"
    "填好后运行 hnsubmit guide check 本文件 进行检查。"
)


def _table(document, rows: list[list[str]], widths_cm: list[float] | None = None):
    from docx.shared import Cm

    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    # table.cell(r, c) rebuilds the grid on every call (quadratic); walk the rows once instead.
    for r, (row, values) in enumerate(zip(table.rows, rows)):
        row_cells = row.cells
        for c, value in enumerate(values):
            cell = row_cells[c]
            lines = value.split("\n") if value else [""]
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
            if r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            if widths_cm:
                cell.width = Cm(widths_cm[c])
    return table


def write_guide_docx(
    guide: OfficeGuide | None,
    path: Path,
    *,
    date: dt.date | None = None,
    required: tuple[str, ...] = (),
    blank: bool = False,
) -> Path:
    """Write `guide` (or, with blank=True, an empty template) to `path`."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    props = document.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    name = (guide.item_name if guide else None) or ""
    props.title = f"{name}办事指南" if name else "办事指南"
    stamp = dt.datetime.combine(date or dt.date.today(), dt.time(9, 0))
    props.created = stamp
    props.modified = stamp
    props.revision = 1
    heading = document.add_heading(props.title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    unit = (guide.implementing_org or guide.handling_office or "") if guide else ""
    if blank:
        document.add_paragraph(TEMPLATE_NOTE)
    else:
        meta = document.add_paragraph(f"{unit}    {stamp.date():%Y年%m月%d日}".strip())
        meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rows = [["要素", "内容"]]
    for field in GUIDE_ROWS:
        text = cell_text(OfficeGuide, guide, field)
        if text or blank:
            rows.append([header(OfficeGuide, field, required), text])
    _table(document, rows, [4.0, 12.0])
    materials = list(guide.materials or ()) if guide else []
    if materials or blank:
        document.add_heading("申请材料目录", level=2)
        mat_rows = [[header(Material, c, required) for c in MATERIAL_COLUMNS]]
        for m in materials or [None]:
            mat_rows.append([cell_text(Material, m, c) for c in MATERIAL_COLUMNS])
        _table(document, mat_rows)
    fees = list(guide.fees or ()) if guide else []
    if fees or blank:
        document.add_heading("收费项目", level=2)
        fee_rows = [[header(Fee, c) for c in FEE_COLUMNS]]
        for f in fees or [None]:
            fee_rows.append([cell_text(Fee, f, c) for c in FEE_COLUMNS])
        _table(document, fee_rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
