"""A report table as CSV (UTF-8 with a BOM: Excel on the office's Windows PCs reads a BOM-less CSV as GBK) or
XLSX (openpyxl), for the console's downloads.  A text cell starting with = + - @ is prefixed with ' so that
a unit's name never runs as a formula in Excel."""

from __future__ import annotations

import csv
import io
from typing import Sequence


def _cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(title: str, sheet: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append([_cell(h) for h in headers])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_cell(v) for v in row])
    for i, header in enumerate(headers):
        ws.column_dimensions[ws.cell(3, i + 1).column_letter].width = max(8, min(32, len(str(header)) * 2 + 4))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
