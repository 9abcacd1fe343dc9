"""The office's weekly and quarterly tables (督查通报, 考核) as a terminal table, CSV and Excel.

One renderer for both ways the data arrives: `report weekly|quarter` on the data folder and over the
HTTP API hand it the same JSON-shaped report (exchange/reports.py), so the three formats are the same
in both modes.  The columns, in order, are COLUMNS; a column of items awaiting their approver appears
only when some unit has one (approval = "approver", issue 15 §2).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hnsubmit.i18n import N_, _

# (key, heading msgid); the headings are the CSV's and the workbook's too
COLUMNS = (
    ("unit", N_("Unit code")),
    ("name", N_("Unit name")),
    ("sent", N_("Sent")),
    ("approved", N_("Approved")),
    ("published", N_("Published")),
    ("rejected", N_("Rejected")),
    ("withdrawn", N_("Withdrawn")),
    ("pending", N_("With the office")),
    ("awaiting_approval", N_("Awaiting approval")),
    ("adoption_rate", N_("Adoption rate")),
    ("met", N_("Met (≥ 3 a week)")),
    ("weeks_met", N_("Weeks met")),
    ("score", N_("Score")),
)
NUMBERS = ("sent", "approved", "published", "rejected", "withdrawn", "pending", "awaiting_approval", "score")


def is_quarter(report: dict) -> bool:
    return "quarter" in report


def period(report: dict) -> str:
    return str(report.get("quarter") or report.get("week") or "")


def columns(report: dict) -> list[tuple[str, str]]:
    """The report's columns: a week says met or not, a quarter how many of its weeks were met."""
    rows = _rows(report)
    keys = []
    for key, heading in COLUMNS:
        if key == "awaiting_approval" and not any(int(r.get(key) or 0) for r in rows):
            continue
        if key == ("met" if is_quarter(report) else "weeks_met"):
            continue
        keys.append((key, heading))
    return keys


def _rows(report: dict) -> list[dict]:
    return [r for r in report.get("rows", []) if isinstance(r, dict)]


def _published(row: dict) -> int:
    return int(row.get("published", row.get("accepted", 0)) or 0)  # an older server says `accepted`


def cell(report: dict, row: dict, key: str) -> str:
    """One cell as text, in the user's language."""
    if key == "published":
        return str(_published(row))
    if key == "approved":
        return str(int(row.get("approved", row.get("sent", 0)) or 0))  # an older server: every item was declared approved
    if key == "adoption_rate":
        rate = row.get("adoption_rate")
        if rate is None:
            sent = int(row.get("sent") or 0)
            rate = _published(row) / sent if sent else None
        return "-" if rate is None else f"{100 * float(rate):.1f}%"
    if key == "met":
        return _("yes") if row.get("met") else _("no")
    if key == "weeks_met":
        return f"{int(row.get('weeks_met') or 0)}/{len(report.get('weeks') or [])}"
    if key == "score":
        score = row.get("score")
        return "-" if score is None else f"{score:g}" if isinstance(score, (int, float)) else str(score)
    if key in NUMBERS:
        return str(int(row.get(key) or 0))
    return str(row.get(key) if row.get(key) is not None else "")


def _safe(value: str) -> str:
    # names come from the office, but a cell starting with = + - @ would run as a formula in Excel
    return "'" + value if value[:1] in ("=", "+", "-", "@") and value != "-" else value


def title(report: dict) -> str:
    from hnsubmit.render.words import quarter_label, week_label

    if is_quarter(report):
        return _("Submissions and points by unit, {quarter}").format(quarter=quarter_label(period(report)))
    return _("Submissions by unit, {week} (at least {n} a week, 南政办〔2015〕86号 五(四))").format(
        week=week_label(period(report)), n=report.get("required_per_week", 3))


def scoring_line(report: dict) -> str:
    s = report.get("scoring") or {}
    if not s:
        return ""
    def points(key: str) -> str:
        value = s.get(key, 0)
        return f"{value:g}" if isinstance(value, (int, float)) else str(value)

    return _("Points (the office's policy, [scoring]): {weekly} a week with at least {n} approved items, "
             "{published} an item published, {rejected} an item rejected").format(
        weekly=points("weekly_minimum"), n=report.get("required_per_week", 3), published=points("per_published"),
        rejected=points("per_rejected"))


def render_table(report: dict) -> None:
    from rich.table import Table

    from hnsubmit.render.console import console
    from hnsubmit.render.terminal import shown

    cols = columns(report)
    table = Table(title=title(report))
    for key, heading in cols:
        table.add_column(_(heading), justify="left" if key in ("unit", "name", "met") else "right", overflow="fold")
    rows = _rows(report)
    for r in rows:
        cells = []
        for key, _heading in cols:
            text = shown(cell(report, r, key))
            if key in ("met", "weeks_met") and not r.get("met"):
                text = f"[red]{text}[/red]"
            cells.append(text)
        table.add_row(*cells)
    out = console()
    out.print(table)
    missed = [r for r in rows if not r.get("met")]
    if missed:
        out.print(_("{n} unit(s) below the minimum").format(n=len(missed)))
    line = scoring_line(report)
    if line:
        out.print(line, markup=False)


def to_csv(report: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    cols = columns(report)
    writer.writerow([_(h) for _k, h in cols])
    for r in _rows(report):
        writer.writerow([_safe(cell(report, r, k)) for k, _h in cols])
    return out.getvalue()


def write_csv(report: dict, path: Path) -> None:
    # utf-8-sig: Excel on the office's Windows PCs reads a BOM-less CSV as GBK and garbles the names
    Path(path).write_text(to_csv(report), encoding="utf-8-sig", newline="")


def _xlsx_value(report: dict, row: dict, key: str) -> object:
    """Numbers stay numbers in the workbook, so the office can sum and sort them."""
    if key in NUMBERS or key in ("published", "approved"):
        text = cell(report, row, key)
        try:
            return int(text)
        except ValueError:
            return float(text) if text not in ("", "-") else None
    if key == "adoption_rate":
        text = cell(report, row, key)
        return None if text == "-" else round(float(text.rstrip("%")) / 100, 4)
    return _safe(cell(report, row, key))


def write_xlsx(report: dict, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = period(report) or "report"
    ws.append([(_("Portal submissions and points by unit, {period}") if is_quarter(report)
                else _("Portal submissions by unit, week {period}")).format(period=period(report))])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    cols = columns(report)
    ws.append([_(h) for _k, h in cols])
    for c in ws[3]:
        c.font = Font(bold=True)
    for r in _rows(report):
        ws.append([_xlsx_value(report, r, k) for k, _h in cols])
    for i, (key, _h) in enumerate(cols):
        letter = ws.cell(row=3, column=i + 1).column_letter
        ws.column_dimensions[letter].width = 30 if key == "name" else 14
        if key == "adoption_rate":
            for row in ws.iter_rows(min_row=4, min_col=i + 1, max_col=i + 1):
                row[0].number_format = "0.0%"
    line = scoring_line(report)
    if line:
        ws.append([])
        ws.append([line])
    tmp = Path(path).with_name(Path(path).name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)
