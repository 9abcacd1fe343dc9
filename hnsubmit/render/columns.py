"""Column freshness (栏目更新情况) and expired items as a terminal table, CSV and Excel, and the lines
`status` shows a unit. One renderer for the report from the data folder and over the HTTP API (both
hand it the JSON shape of exchange/columns.py), in the user's language."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hnsubmit.i18n import N_, _

STATES = {"ok": N_("up to date"), "due_soon": N_("about to go stale"), "overdue": N_("stale")}
STYLES = {"ok": "green", "due_soon": "yellow", "overdue": "red"}
KINDS = {"news": N_("news and dynamic"), "notice": N_("notices and policy documents"), "other": N_("other")}

# (key, heading msgid): the table's, the CSV's and the workbook's columns, in order
COLUMNS = (
    ("column", N_("Column")),
    ("kind", N_("Type")),
    ("max_days", N_("Limit (days)")),
    ("units", N_("Responsible units")),
    ("last_title", N_("Last published item")),
    ("last_at", N_("Published on")),
    ("days_since", N_("Days since")),
    ("days_left", N_("Days left")),
    ("state", N_("State")),
    ("quarter_published", N_("Published this quarter")),
    ("quarter_by_unit", N_("By unit")),
)
EXPIRED_COLUMNS = (
    ("submission_id", N_("Submission")),
    ("unit", N_("Unit")),
    ("title", N_("Title")),
    ("column", N_("Column")),
    ("expires", N_("Expires")),
    ("days_expired", N_("Days past")),
    ("published_at", N_("Published on")),
)
NUMBERS = ("max_days", "days_since", "days_left", "quarter_published", "days_expired")
# a terminal narrower than WIDE shows these only (eleven columns of Chinese at 80 characters fold every
# cell into a tower); the rest is in --format csv|xlsx, which the line under the table says
NARROW = ("column", "max_days", "units", "last_title", "days_left", "state", "quarter_published")
WIDE = 120


def _rows(report: dict, key: str = "rows") -> list[dict]:
    return [r for r in report.get(key) or [] if isinstance(r, dict)]


def state_label(state: object) -> str:
    return _(STATES[state]) if state in STATES else str(state or "")


def column_called(row: dict) -> str:
    from hnsubmit.i18n import current_lang

    names = row.get("name") if isinstance(row.get("name"), dict) else {}
    name = str(names.get("zh" if current_lang() == "zh" else "en") or row.get("column") or "")
    return name


def cell(row: dict, key: str, short: bool = False) -> str:
    """One cell of the column report as text, in the user's language; `short`: the terminal's, where a column
    fed by many units names the first and counts the rest (the files list them all)."""
    from hnsubmit.render.words import local_time

    last = row.get("last") if isinstance(row.get("last"), dict) else None
    if key == "column":
        return column_called(row)
    if key == "kind":
        kind = row.get("kind")
        return _(KINDS[kind]) if kind in KINDS else str(kind or "")
    if key == "units":
        units = [str(u.get("name") or u.get("code") or "") for u in row.get("units") or [] if isinstance(u, dict)]
        if short and len(units) > 2:
            return _("{first} and others, {total} units").format(first=units[0], total=len(units))
        return "、".join(units) or "-"
    if key == "last_title":
        if last is None:
            return _("never updated")
        by = str(last.get("unit_name") or last.get("unit") or "")
        return f"{last.get('title') or ''}({by})" if by else str(last.get("title") or "")
    if key == "last_at":
        return local_time(last.get("published_at")) if last else "-"
    if key == "state":
        return state_label(row.get("state"))
    if key == "quarter_by_unit":
        counts = row.get("quarter_by_unit") if isinstance(row.get("quarter_by_unit"), dict) else {}
        names = {str(u.get("code")): str(u.get("name") or u.get("code")) for u in row.get("units") or [] if isinstance(u, dict)}
        return "、".join(f"{names.get(code, code)} {n}" for code, n in counts.items()) or "-"
    value = row.get(key)
    if key in NUMBERS:
        return "-" if value is None else str(int(value))
    return str(value if value is not None else "")


def expired_cell(item: dict, key: str) -> str:
    from hnsubmit.render.words import column_name, local_time

    if key == "unit":
        return str(item.get("unit_name") or item.get("unit") or "")
    if key == "column":
        return column_name(item.get("column"))
    if key == "published_at":
        return local_time(item.get("published_at"))
    value = item.get(key)
    if key in NUMBERS:
        return "-" if value is None else str(int(value))
    return str(value if value is not None else "")


def title(report: dict) -> str:
    from hnsubmit.render.words import quarter_label

    return _("Column updates, {quarter}, as of {date}").format(
        quarter=quarter_label(str(report.get("quarter") or "")), date=str(report.get("as_of") or ""))


def rule_line() -> str:
    return _("Limits: news and dynamic columns 14 days, notices and policy documents 6 months (2019 inspection "
             "indicators), unless the office set others; a column is about to go stale when a fifth of its limit "
             "or less is left, at least 3 days.")


def _safe(value: str) -> str:
    # titles and names come from units, but a cell starting with = + - @ would run as a formula in Excel
    return "'" + value if value[:1] in ("=", "+", "-", "@") and value != "-" else value


def render_table(report: dict) -> None:
    from rich.table import Table

    from hnsubmit.render.console import console
    from hnsubmit.render.terminal import shown

    out = console()
    narrow = out.width < WIDE
    shown_columns = [(k, h) for k, h in COLUMNS if k in NARROW] if narrow else list(COLUMNS)
    table = Table(title=shown(title(report)))
    for key, heading in shown_columns:
        table.add_column(_(heading), justify="right" if key in NUMBERS else "left", overflow="fold")
    rows = _rows(report)
    for r in rows:
        cells = [shown(cell(r, key, short=True)) for key, _h in shown_columns]
        style = STYLES.get(str(r.get("state")))
        if style:
            i = [k for k, _h in shown_columns].index("state")
            cells[i] = f"[{style}]{cells[i]}[/{style}]"
        table.add_row(*cells)
    out.print(table)
    totals = {s: sum(1 for r in rows if r.get("state") == s) for s in STATES}
    out.print(_("{overdue} stale, {due_soon} about to go stale, {ok} up to date").format(**totals))
    if narrow:
        out.print(_("Type, date published, days since and the count by unit: in a wider terminal or with "
                    "--format csv|xlsx."), markup=False)
    out.print(rule_line(), markup=False)


def to_csv(report: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_(h) for _k, h in COLUMNS])
    for r in _rows(report):
        writer.writerow([_safe(cell(r, k)) for k, _h in COLUMNS])
    return out.getvalue()


def write_csv(report: dict, path: Path) -> None:
    # utf-8-sig: Excel on the office's Windows PCs reads a BOM-less CSV as GBK and garbles the names
    Path(path).write_text(to_csv(report), encoding="utf-8-sig", newline="")


def write_xlsx(report: dict, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = str(report.get("quarter") or "columns")
    ws.append([title(report)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append([_(h) for _k, h in COLUMNS])
    for c in ws[3]:
        c.font = Font(bold=True)
    for r in _rows(report):
        values: list[object] = []
        for key, _h in COLUMNS:
            text = cell(r, key)
            values.append(int(text) if key in NUMBERS and text != "-" else None if key in NUMBERS else _safe(text))
        ws.append(values)
    for i, (key, _h) in enumerate(COLUMNS):
        letter = ws.cell(row=3, column=i + 1).column_letter
        ws.column_dimensions[letter].width = 36 if key in ("units", "last_title", "quarter_by_unit") else 14
    ws.append([])
    ws.append([rule_line()])
    tmp = Path(path).with_name(Path(path).name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)


def render_expired(report: dict) -> None:
    from rich.table import Table

    from hnsubmit.render.console import console
    from hnsubmit.render.terminal import shown

    items = _rows(report, "items")
    out = console()
    if not items:
        out.print(_("No published item is past its expiry date (as of {date}).").format(date=str(report.get("as_of") or "")))
        return
    table = Table(title=_("Published items past their expiry date, as of {date}: to withdraw").format(
        date=shown(str(report.get("as_of") or ""))))
    for key, heading in EXPIRED_COLUMNS:
        table.add_column(_(heading), justify="right" if key in NUMBERS else "left", overflow="fold")
    for item in items:
        table.add_row(*(shown(expired_cell(item, k)) for k, _h in EXPIRED_COLUMNS))
    out.print(table)


def expired_to_csv(report: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_(h) for _k, h in EXPIRED_COLUMNS])
    for item in _rows(report, "items"):
        writer.writerow([_safe(expired_cell(item, k)) for k, _h in EXPIRED_COLUMNS])
    return out.getvalue()


def status_lines(columns_report: dict | None, expired: dict | None) -> list[tuple[str, str]]:
    """What `status` tells a unit: (style, line) for each of its columns about to go stale or stale, in days,
    and each published item past its expiry date."""
    from hnsubmit.render.terminal import shown

    lines: list[tuple[str, str]] = []
    never: list[str] = []
    for r in _rows(columns_report or {}):
        state, left, since = r.get("state"), r.get("days_left"), r.get("days_since")
        name = shown(column_called(r))
        if state == "due_soon":
            lines.append(("yellow", _("Column {column}: {since} days since its last published item, {left} day(s) left "
                                      "before it goes stale (limit {limit} days).").format(
                column=name, since=since, left=left, limit=r.get("max_days"))))
        elif state == "overdue" and since is None:
            never.append(name)
        elif state == "overdue":
            lines.append(("red", _("Column {column}: stale, {since} days since its last published item, {over} day(s) "
                                   "over its limit of {limit} days.").format(
                column=name, since=since, over=-int(left or 0), limit=r.get("max_days"))))
    if never:
        lines.append(("red", _("Nothing published yet in {columns}: they count as stale.").format(columns="、".join(never))))
    for item in _rows(expired or {}, "items"):
        lines.append(("red", _("{id} {title}: expiry date {date}, expired, please withdraw it (`hnsubmit withdraw {id}`).").format(
            id=shown(str(item.get("submission_id") or ""), 40), title=shown(str(item.get("title") or "")),
            date=shown(str(item.get("expires") or "")))))
    return lines
