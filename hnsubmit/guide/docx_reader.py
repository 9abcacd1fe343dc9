"""Read one office guide from the Word template: the two-column 要素 table, then the material and fee tables.

Liaisons fill the template in Word or WPS; a table is recognised by its labels, not by its position,
so a title paragraph or a note above it does no harm.  Findings point at "table 1, row 7, column 2".
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from hnsubmit.rules.findings import Location, finding
from hnsubmit.guide.build import R, resolve_key
from hnsubmit.guide.model import Fee, Material, OfficeGuide
from hnsubmit.guide.source import RawGuide, ReadResult

MAX_UNCOMPRESSED = 50_000_000
MAX_ROWS = 2000
MIN_LABELS = 3  # first-column cells that must name elements for a table to be the 要素 table


def _cell(t: int, r: int, c: int) -> str:
    return f"table {t + 1}, row {r + 1}, column {c + 1}"


class DocxLocator:
    def __init__(self, main: dict[str, Location], anchor: Location, parts: dict[str, tuple[int, list[int], dict[str, int]]]) -> None:
        self.main = main  # label as written → its value cell
        self.anchor = anchor
        self.parts = parts  # "申请材料" → (table index, row indices, header → column)

    def at(self, raw_path: tuple) -> Location:
        if raw_path and raw_path[0] in self.parts:
            t, rows, cols = self.parts[raw_path[0]]
            if len(raw_path) >= 2 and isinstance(raw_path[1], int) and raw_path[1] < len(rows):
                r = rows[raw_path[1]]
                c = cols.get(str(raw_path[2]), 0) if len(raw_path) >= 3 else 0
                return Location(table_cell=_cell(t, r, c), field_path=str(raw_path[2]) if len(raw_path) >= 3 else None)
            return Location(table_cell=f"table {t + 1}")
        if raw_path and raw_path[0] in self.main:
            return self.main[raw_path[0]]
        return self.anchor

    def missing(self, parent: tuple, name: str) -> Location:
        if parent and parent[0] in self.parts and len(parent) >= 2 and isinstance(parent[1], int):
            t, rows, _ = self.parts[parent[0]]
            r = rows[parent[1]] if parent[1] < len(rows) else 0
            return Location(table_cell=f"table {t + 1}, row {r + 1}", field_path=name)
        return Location(table_cell=self.anchor.table_cell, field_path=name)


def _fail(display: str, reason: dict[str, str]) -> ReadResult:
    return ReadResult(findings=[finding("GDE001", display, Location(), reason=reason)])


def _rows(table) -> list[list[str]]:
    out = []
    for row in table.rows[:MAX_ROWS]:
        texts: list[str] = []
        last = None
        for cell in row.cells:  # a merged cell repeats: keep it once
            if cell._tc is last:
                continue
            last = cell._tc
            texts.append(cell.text)
        out.append(texts)
    return out


def _label_hits(rows: list[list[str]]) -> int:
    return sum(1 for r in rows if len(r) >= 2 and resolve_key(OfficeGuide, r[0].strip()) is not None)


def _kind_of(header: list[str]) -> tuple[type | None, str]:
    mats = sum(1 for h in header if resolve_key(Material, h.strip()))
    fees = sum(1 for h in header if resolve_key(Fee, h.strip()))
    if mats >= 3 and mats > fees and any(resolve_key(Material, h.strip()) == "name" for h in header):
        return Material, "申请材料"
    if fees >= 2 and fees > mats - 1 and any(resolve_key(Fee, h.strip()) in ("standard", "basis") for h in header):
        return Fee, "收费项目"
    return None, ""


def looks_like_guide(path: Path) -> bool:
    """True when a Word file is a filled guide template (a folder holds forms as .docx too)."""
    result = read_docx(path, str(path))
    return bool(result.guides)


def read_docx(path: Path, display: str) -> ReadResult:
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        return _fail(display, R(f"不是有效的 Word(.docx)文件({type(exc).__name__})", f"not a valid Word (.docx) file ({type(exc).__name__})"))
    if total > MAX_UNCOMPRESSED:
        return _fail(display, R("Word 文件解压后过大", "the Word file expands too far"))
    import docx

    try:
        document = docx.Document(str(path))
        tables = [_rows(t) for t in document.tables]
    except Exception as exc:  # python-docx raises many kinds on damaged parts
        return _fail(display, R(f"无法打开 Word 文件({type(exc).__name__})", f"cannot open the Word file ({type(exc).__name__})"))
    main_index = next((i for i, rows in enumerate(tables) if _label_hits(rows) >= MIN_LABELS), None)
    if main_index is None:
        return _fail(display, R("没有找到两列的“要素—内容”表格", "no two-column element/value table found"))
    data: dict[str, Any] = {}
    where: dict[str, Location] = {}
    for r, row in enumerate(tables[main_index]):
        if len(row) < 2 or not row[0].strip() or resolve_key(OfficeGuide, row[0].strip()) is None and r == 0:
            continue  # the header row ("要素 | 内容") and blank rows
        key = row[0].strip()
        if key in data:
            key = f"{key} "  # the builder reports the duplicate; keep both values
        data[key] = row[-1]
        where[key] = Location(table_cell=_cell(main_index, r, len(row) - 1), field_path=key.strip())
    parts: dict[str, tuple[int, list[int], dict[str, int]]] = {}
    for t, rows in enumerate(tables):
        if t == main_index or not rows:
            continue
        model, part = _kind_of(rows[0])
        if model is None or part in parts:
            continue
        header = [h.strip() for h in rows[0]]
        records, indices = [], []
        for r, row in enumerate(rows[1:], 1):
            record = {header[c]: v for c, v in enumerate(row) if c < len(header) and header[c] and v.strip()}
            if record:
                records.append(record)
                indices.append(r)
        data[part] = records
        parts[part] = (t, indices, {h: c for c, h in enumerate(header)})
    anchor = Location(table_cell=f"table {main_index + 1}")
    return ReadResult(guides=[RawGuide(data, DocxLocator(where, anchor, parts), "", anchor)])
