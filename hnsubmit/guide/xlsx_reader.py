"""Read a batch of office guides from Excel: one guide per row of the first sheet, materials and fees on
the sheets "申请材料" and "收费项目" (else the second and third), keyed by 指南行号 or 实施编码.

Findings point at the sheet, the row and the column by its Chinese header
("sheet 办事指南, row 7, column 法定办结时限") and at the cell ("办事指南!F7").  The workbook is
opened read-only after its ZIP directory has been sized up, so a zip bomb never reaches openpyxl.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any, Iterable

from openpyxl.utils import get_column_letter

from hnsubmit.rules.findings import Location, finding
from hnsubmit.guide.build import R, resolve_key, suggest
from hnsubmit.guide.model import Fee, Material, OfficeGuide, label
from hnsubmit.guide.normalise import half_width, normalise_code
from hnsubmit.guide.source import MAX_GUIDES, RawGuide, ReadResult
from hnsubmit.guide.xlsx_rows import values as sheet_values

MAX_UNCOMPRESSED = 200_000_000
MAX_RATIO = 200
MAX_COLUMNS = 200
MAX_ROWS = 50_000  # rows on the material and fee sheets
HEADER_SCAN = 10  # a title row or two may stand above the header
ROW_KEYS = ("指南行号", "所属指南行号", "行号", "guide_row")
CODE_KEYS = ("实施编码", "implement_code")


def cell_location(sheet: str, row: int, col: int, header: str) -> Location:
    return Location(field_path=f"{sheet}!{get_column_letter(col)}{row}", table_cell=f"sheet {sheet}, row {row}, column {header}")


def row_location(sheet: str, row: int, header: str) -> Location:
    return Location(field_path=f"{sheet}!{row}:{row}", table_cell=f"sheet {sheet}, row {row}, column {header}")


class Table:
    """One sheet: its header (column → text and field) and data rows, by sheet row number."""

    def __init__(self, title: str, header_row: int, headers: dict[int, str], fields: dict[int, str | None]) -> None:
        self.title = title
        self.header_row = header_row
        self.headers = headers  # column (1-based) → header text as written
        self.fields = fields  # column → model field (None for unknown / key columns)
        self.column_by_header: dict[str, int] = {}  # header text → its first column (the locators' lookup)
        for col, text in headers.items():
            self.column_by_header.setdefault(text, col)
        self.rows: list[tuple[int, dict[int, Any]]] = []

    def column_of(self, name: str) -> int | None:
        for col, f in self.fields.items():
            if f == name:
                return col
        return None


class XlsxLocator:
    def __init__(self, main: Table, row: int, parts: dict[str, tuple[Table, list[int]]]) -> None:
        self.main = main
        self.row = row
        self.parts = parts  # "申请材料" → (materials table, sheet rows of this guide's materials)

    def _cell(self, table: Table, row: int, header: str) -> Location:
        col = table.column_by_header.get(header)
        if col is not None:
            return cell_location(table.title, row, col, header)
        return row_location(table.title, row, header)

    def at(self, raw_path: tuple) -> Location:
        if raw_path and raw_path[0] in self.parts:
            table, rows = self.parts[raw_path[0]]
            if len(raw_path) >= 2 and isinstance(raw_path[1], int) and raw_path[1] < len(rows):
                row = rows[raw_path[1]]
                if len(raw_path) >= 3:
                    return self._cell(table, row, str(raw_path[2]))
                return Location(field_path=f"{table.title}!{row}:{row}", table_cell=f"sheet {table.title}, row {row}")
            return Location(field_path=f"{table.title}!", table_cell=f"sheet {table.title}")
        if raw_path:
            return self._cell(self.main, self.row, str(raw_path[0]))
        return Location(field_path=f"{self.main.title}!{self.row}:{self.row}", table_cell=f"sheet {self.main.title}, row {self.row}")

    def missing(self, parent: tuple, name: str) -> Location:
        if parent and parent[0] in self.parts and len(parent) >= 2:
            table, rows = self.parts[parent[0]]
            model = Material if parent[0] == "申请材料" else Fee
            row = rows[parent[1]] if isinstance(parent[1], int) and parent[1] < len(rows) else table.header_row
            col = table.column_of(name)
            header = label(model, name) if name in model.model_fields else name
            return cell_location(table.title, row, col, table.headers[col]) if col else row_location(table.title, row, header)
        col = self.main.column_of(name)
        if col:
            return cell_location(self.main.title, self.row, col, self.main.headers[col])
        header = label(OfficeGuide, name) if name in OfficeGuide.model_fields else name
        return row_location(self.main.title, self.row, header)


def _zip_ok(path: Path) -> dict[str, str] | None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        return R(f"不是有效的 Excel 工作簿({type(exc).__name__})", f"not a valid Excel workbook ({type(exc).__name__})")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if len(infos) > 10_000 or total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
        return R("工作簿解压后过大(疑似压缩炸弹)", "the workbook expands too far (a zip bomb?)")
    return None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _read_table(ws, model, display: str, result: ReadResult, key_ok: Iterable[str] = ()) -> Table | None:
    """Find the header (the first row naming the model's `name`-like field) and read the data rows."""
    key_set = {half_width(k).lower() for k in key_ok}
    anchor = "item_name" if model is OfficeGuide else "name" if model is Material else None
    rows = sheet_values(ws)  # ws.iter_rows(values_only=True), without openpyxl's per-cell objects
    table: Table | None = None
    limit = MAX_GUIDES if model is OfficeGuide else MAX_ROWS
    for r, values in enumerate(rows, 1):
        if table is None:
            if r > HEADER_SCAN:
                return None
            headers = {c: _text(v) for c, v in enumerate(values[:MAX_COLUMNS], 1) if _text(v)}
            fields = {c: resolve_key(model, h) for c, h in headers.items()}
            hit = anchor in fields.values() if anchor else sum(1 for f in fields.values() if f) >= 2
            if hit:
                table = Table(ws.title, r, headers, fields)
                columns = list(headers)  # ascending, each within MAX_COLUMNS
                for c, h in headers.items():
                    if fields[c] is None and half_width(h).lower() not in key_set:
                        close = suggest(model, h)
                        hint = R(f",是否应为「{close}」?", f"; did you mean “{close}”?") if close else R("", "")
                        result.findings.append(finding("GDE019", display, cell_location(ws.title, r, c, h), key=h, suggestion=hint))
            continue
        if len(table.rows) >= limit:
            result.findings.append(finding("GDE001", display, row_location(ws.title, r, ""), reason=R(
                f"工作表「{ws.title}」超过 {limit} 行,其余未检查", f"sheet “{ws.title}” has more than {limit} rows; the rest is not checked")))
            break
        cells = _cells(values, columns)
        if cells:
            table.rows.append((r, cells))
    return table


def _cells(values: tuple, columns: list[int]) -> dict[int, Any]:
    """{column: value} of the header's columns whose value is not blank (_text(v) not empty), ascending:
    the row's other cells are not looked at (a guide row is read cell by cell 5,000 times)."""
    cells: dict[int, Any] = {}
    width = len(values)
    for c in columns:
        if c > width:
            break
        v = values[c - 1]
        if v is None:
            continue
        if v.__class__ is str:
            if not v.strip():
                continue
        elif not _text(v):
            continue
        cells[c] = v
    return cells


def _sheet(wb, title: str, index: int):
    if title in wb.sheetnames:
        return wb[title]
    if len(wb.worksheets) > index and wb.worksheets[index].title not in ("说明", "代码表"):
        return wb.worksheets[index]
    return None


def read_xlsx(path: Path, display: str) -> ReadResult:
    result = ReadResult()
    bad = _zip_ok(path)
    if bad:
        result.findings.append(finding("GDE001", display, Location(), reason=bad))
        return result
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged or foreign workbooks
        result.findings.append(finding("GDE001", display, Location(), reason=R(
            f"无法打开 Excel 工作簿({type(exc).__name__})", f"cannot open the workbook ({type(exc).__name__})")))
        return result
    try:
        return _read(wb, display, result)
    except Exception as exc:  # a malformed sheet part surfaces while iterating rows
        result.findings.append(finding("GDE001", display, Location(), reason=R(
            f"工作簿内容损坏({type(exc).__name__})", f"the workbook is damaged ({type(exc).__name__})")))
        result.guides.clear()
        return result
    finally:
        wb.close()


def _read(wb, display: str, result: ReadResult) -> ReadResult:
    main = _read_table(wb.worksheets[0], OfficeGuide, display, result)
    if main is None:
        result.findings.append(finding("GDE001", display, Location(field_path=f"{wb.worksheets[0].title}!1:1"), reason=R(
            f"第一个工作表「{wb.worksheets[0].title}」前 {HEADER_SCAN} 行中没有“事项名称”列",
            f"the first sheet “{wb.worksheets[0].title}” has no 事项名称 column in its first {HEADER_SCAN} rows")))
        return result
    by_row = {row: cells for row, cells in main.rows}
    code_col = main.column_of("implement_code")
    by_code = {normalise_code(str(cells[code_col])): row for row, cells in main.rows if code_col and code_col in cells}
    extra: dict[int, dict[str, tuple[Table, list[int], list[dict[str, Any]]]]] = {row: {} for row in by_row}
    for part, model, index in (("申请材料", Material, 1), ("收费项目", Fee, 2)):
        ws = _sheet(wb, part, index)
        if ws is None or ws is wb.worksheets[0]:
            continue
        table = _read_table(ws, model, display, result, ROW_KEYS + CODE_KEYS)
        if table is None:
            continue
        row_col = next((c for c, h in table.headers.items() if half_width(h).lower() in {k.lower() for k in ROW_KEYS}), None)
        key_col = next((c for c, h in table.headers.items() if half_width(h).lower() in {k.lower() for k in CODE_KEYS}), None)
        for r, cells in table.rows:
            target, key = _owner(cells, row_col, key_col, by_row, by_code)
            if target is None:
                result.findings.append(finding("GDE020", display, row_location(table.title, r, table.headers.get(row_col or key_col or 1, "")),
                                               sheet=table.title, row=r, key=key))
                continue
            slot = extra[target].setdefault(part, (table, [], []))
            slot[1].append(r)
            slot[2].append({table.headers[c]: v for c, v in cells.items() if c not in (row_col, key_col)})
    for row, cells in main.rows:
        data: dict[str, Any] = {main.headers[c]: v for c, v in cells.items()}
        parts = {}
        for part, (table, rows, records) in extra[row].items():
            data[part] = records
            parts[part] = (table, rows)
        result.guides.append(RawGuide(data, XlsxLocator(main, row, parts), f"第{row}行", row_location(main.title, row, "")))
    # the cells now live in the raw guides only (the locators need headers and row numbers, not rows): a
    # guide check that lets each raw guide go once judged keeps no copy of the sheet (issue 19, P8)
    main.rows = []
    for slots in extra.values():
        for table, _rows, _records in slots.values():
            table.rows = []
    return result


def _owner(cells, row_col, key_col, by_row, by_code) -> tuple[int | None, str]:
    if row_col and row_col in cells:
        raw = cells[row_col]
        try:
            row = int(float(half_width(str(raw))))
        except ValueError:
            return None, _text(raw)
        return (row if row in by_row else None), _text(raw)
    if key_col and key_col in cells:
        code = normalise_code(str(cells[key_col]))
        return by_code.get(code), _text(cells[key_col])
    return None, "(空)"
