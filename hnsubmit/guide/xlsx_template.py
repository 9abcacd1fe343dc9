"""Write the Excel batch: guides one per row on "办事指南", materials and fees keyed by 指南行号.

With no guides it is the blank template of `hnsubmit guide new --format xlsx`: headers (required ones
marked '*'), drop-down lists for the coded elements and a 说明 sheet.  xlsx_reader reads it back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from hnsubmit.guide.enums import codes
from hnsubmit.guide.layout import FEE_COLUMNS, GUIDE_ROW_HEADER, GUIDE_ROWS, MATERIAL_COLUMNS, cell_text, header
from hnsubmit.guide.model import Fee, Material, OfficeGuide, field_kind

MAIN, MATERIALS, FEES = "办事指南", "申请材料", "收费项目"
NOTE = [
    "每个事项占“办事指南”工作表的一行;表头带 * 的为必填(按所选规范)。",
    "申请材料、收费项目写在各自的工作表中,每行在“指南行号”列填写该事项在“办事指南”工作表中的行号。",
    "多项内容(受理条件、办理流程等)在同一单元格内每行一项;时限写成“20个工作日”;是/否项填“是”或“否”。",
    "电话号码请把单元格设为文本格式,以免丢失区号前的 0。",
    "填好后运行:hnsubmit guide check 本文件.xlsx",
]


def _validation_lists(model, columns: Sequence[str]) -> dict[int, str]:
    """Drop-down lists for single-valued coded columns (Excel limits a list to 255 characters)."""
    out: dict[int, str] = {}
    for c, name in enumerate(columns, 1):
        kind = field_kind(model, name)
        if kind == "bool":
            out[c] = '"是,否"'
        elif kind == "enum":
            ann = model.model_fields[name].annotation
            cls = next(t for t in _walk_types(ann) if isinstance(t, type) and issubclass(t, codes.CodedEnum))
            text = ",".join(m.value for m in cls)
            if len(text) < 250:
                out[c] = f'"{text}"'
    return out


def _walk_types(t):
    stack = [t]
    while stack:
        x = stack.pop()
        yield x
        stack.extend(getattr(x, "__args__", ()) or ())
        origin = getattr(x, "__origin__", None)
        if origin is not None:
            stack.append(origin)


def _sheet(wb, title: str, headers: list[str], rows: list[list[object]], lists: dict[int, str], first: bool = False):
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.active if first else wb.create_sheet(title)
    ws.title = title
    ws.append(headers)
    for row in rows:
        ws.append(row)
    for c in range(1, len(headers) + 1):
        cell = ws.cell(row=1, column=c)
        cell.font = Font(bold=True)
        ws.column_dimensions[get_column_letter(c)].width = 18
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.number_format = "@"  # text: phone numbers keep their leading 0
    ws.freeze_panes = "B2"
    end = max(len(rows) + 1, 200)
    for c, formula in lists.items():
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        letter = get_column_letter(c)
        dv.add(f"{letter}2:{letter}{end}")
        ws.add_data_validation(dv)
    return ws


def write_guides_xlsx(guides: Sequence[OfficeGuide], path: Path, required: tuple[str, ...] = ()) -> Path:
    """Write `guides` (none: a blank template) as an Excel batch."""
    import openpyxl

    wb = openpyxl.Workbook()
    main_rows, mat_rows, fee_rows = [], [], []
    for i, g in enumerate(guides):
        row_no = i + 2
        main_rows.append([cell_text(OfficeGuide, g, f) for f in GUIDE_ROWS])
        for m in g.materials or ():
            mat_rows.append([row_no] + [cell_text(Material, m, c) for c in MATERIAL_COLUMNS])
        for fee in g.fees or ():
            fee_rows.append([row_no] + [cell_text(Fee, fee, c) for c in FEE_COLUMNS])
    _sheet(wb, MAIN, [header(OfficeGuide, f, required) for f in GUIDE_ROWS], main_rows,
           _validation_lists(OfficeGuide, GUIDE_ROWS), first=True)
    offset = {c + 1: v for c, v in _validation_lists(Material, MATERIAL_COLUMNS).items()}
    _sheet(wb, MATERIALS, [GUIDE_ROW_HEADER] + [header(Material, c, required) for c in MATERIAL_COLUMNS], mat_rows, offset)
    offset = {c + 1: v for c, v in _validation_lists(Fee, FEE_COLUMNS).items()}
    _sheet(wb, FEES, [GUIDE_ROW_HEADER] + [header(Fee, c) for c in FEE_COLUMNS], fee_rows, offset)
    note = wb.create_sheet("说明")
    for line in NOTE:
        note.append([line])
    note.column_dimensions["A"].width = 110
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path
