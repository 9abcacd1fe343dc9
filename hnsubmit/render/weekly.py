"""The weekly supervision table (督查通报) as `report weekly` and the demo both show it: the same
headings as the report's CSV and Excel files (exchange/reports.HEADERS), the week in people's words."""

from __future__ import annotations

from hnsubmit.render.console import console
from hnsubmit.render.terminal import shown


def render_weekly(report: dict, lang: str) -> None:
    from rich.table import Table

    from hnsubmit.exchange.reports import HEADERS
    from hnsubmit.i18n import _
    from hnsubmit.render.words import week_label

    table = Table(title=_("Submissions by unit, {week} (at least {n} a week, 南政办〔2015〕86号 五(四))").format(
        week=week_label(str(report.get("week", ""))), n=report.get("required_per_week", 3)))
    for i, title in enumerate(HEADERS["zh" if lang == "zh" else "en"]):
        table.add_column(title, justify="right" if 2 <= i <= 6 else "left", overflow="fold")
    rows = [r for r in report.get("rows", []) if isinstance(r, dict)]
    for r in rows:
        met = _("yes") if r.get("met") else _("no")
        table.add_row(shown(r.get("unit", "")), shown(r.get("name", "")),
                      *(str(int(r.get(k, 0) or 0)) for k in ("sent", "accepted", "rejected", "withdrawn", "pending")),
                      met if r.get("met") else f"[red]{met}[/red]")
    console().print(table)
    missed = [r for r in rows if not r.get("met")]
    if missed:
        console().print(_("{n} unit(s) below the minimum").format(n=len(missed)))
