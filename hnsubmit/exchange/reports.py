"""The weekly supervision table (督查通报): per unit, what it sent and whether it met 五(四)'s ≥ 3 a week."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hnsubmit.exchange.auth import Principal
from hnsubmit.exchange.context import Exchange
from hnsubmit.exchange.store.storage import WeeklyCount
from hnsubmit.exchange.weeks import current_week, week_bounds

# 五(四): 每周至少报送3条以上信息
REQUIRED_PER_WEEK = 3
FIELDS = ("unit", "name", "sent", "accepted", "rejected", "withdrawn", "pending", "met")
HEADERS = {
    "zh": ("单位代码", "单位名称", "报送", "采用", "退回", "撤回", "待审", "达标(每周≥3条)"),
    "en": ("Unit", "Name", "Sent", "Accepted", "Rejected", "Withdrawn", "Pending", "Met (≥ 3 a week)"),
}


def weekly(ex: Exchange, week: str | None = None, only_unit: str | None = None) -> dict:
    """The report of an ISO week (Asia/Shanghai); ValueError for a week that does not exist."""
    week = week or current_week()
    start, end = week_bounds(week)
    counts = {c.unit: c for c in ex.storage.weekly_counts(start, end)}
    rows = []
    for unit in ex.storage.list_units():
        c = counts.get(unit.code, WeeklyCount(unit.code))
        # a disabled unit is listed only for weeks it still sent something in
        if (not unit.active and c.sent == 0) or (only_unit is not None and unit.code != only_unit):
            continue
        rows.append({"unit": unit.code, "name": unit.name, "sent": c.sent, "accepted": c.accepted, "rejected": c.rejected,
                     "withdrawn": c.withdrawn, "pending": c.pending, "met": c.sent >= REQUIRED_PER_WEEK})
    return {"week": week, "start": start, "end": end, "required_per_week": REQUIRED_PER_WEEK, "rows": rows}


def weekly_for(ex: Exchange, who: Principal, week: str | None) -> dict:
    # a unit sees its own row only; the office sees everyone's
    return weekly(ex, week, who.unit.code if who.role == "unit" else None)


def _cell(value: object) -> object:
    # names come from the office, but a cell starting with = + - @ would run as a formula in Excel
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _row_values(row: dict, lang: str) -> list[object]:
    met = ("是" if row["met"] else "否") if lang == "zh" else ("yes" if row["met"] else "no")
    return [_cell(row[f]) for f in FIELDS[:-1]] + [met]


def to_csv(report: dict, lang: str = "zh") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS[lang])
    for row in report["rows"]:
        writer.writerow(_row_values(row, lang))
    return out.getvalue()


def write_csv(report: dict, path: Path, lang: str = "zh") -> None:
    # utf-8-sig: Excel on the office's Windows PCs reads a BOM-less CSV as GBK and garbles the names
    Path(path).write_text(to_csv(report, lang), encoding="utf-8-sig", newline="")


def write_xlsx(report: dict, path: Path, lang: str = "zh") -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = report["week"]
    title = (f"海南州政府门户网站信息报送情况通报({report['week']})" if lang == "zh"
             else f"Portal submissions by unit, week {report['week']}")
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(list(HEADERS[lang]))
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in report["rows"]:
        ws.append(_row_values(row, lang))
    for letter, width in zip("ABCDEFGH", (14, 30, 8, 8, 8, 8, 8, 16)):
        ws.column_dimensions[letter].width = width
    tmp = Path(path).with_name(Path(path).name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)
