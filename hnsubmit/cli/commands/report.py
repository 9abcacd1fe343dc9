"""`hnsubmit report weekly`: the 督查通报 table — per unit, sent/accepted/rejected and the ≥ 3 a week of 五(四)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from hnsubmit.cli.context import local_exchange
from hnsubmit.cli.options import DATA_HELP

report_app = typer.Typer(help="Reports for the office's supervision (督查通报).", no_args_is_help=True)


@report_app.command("weekly")
def weekly(
    week: Optional[str] = typer.Option(None, "--week", help="ISO week YYYY-Www (Asia/Shanghai); default: this week."),
    fmt: str = typer.Option("table", "--format", help="table, csv or xlsx."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to this file (xlsx default: 督查通报-WEEK.xlsx)."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """Per unit: items sent, accepted, rejected, and whether the week's minimum of 3 was met."""
    from hnsubmit.errors import UsageError
    from hnsubmit.exchange import reports
    from hnsubmit.i18n import _, current_lang

    if fmt not in ("table", "csv", "xlsx"):
        raise typer.BadParameter(_("{option} takes one of: {choices}").format(option="--format", choices="table, csv, xlsx"))
    with local_exchange(data) as ex:
        try:
            report = reports.weekly(ex, week)
        except ValueError:
            raise UsageError("Not a valid ISO week (YYYY-Www): {week}", week=week) from None
    lang = current_lang()
    if fmt == "csv":
        if output is None:
            typer.echo(reports.to_csv(report, lang), nl=False)
        else:
            reports.write_csv(report, output, lang)
            typer.echo(_("Wrote {path}").format(path=output), err=True)
    elif fmt == "xlsx":
        target = output or Path(f"督查通报-{report['week']}.xlsx")
        reports.write_xlsx(report, target, lang)
        typer.echo(_("Wrote {path}").format(path=target), err=True)
    else:
        from hnsubmit.render.weekly import render_weekly

        render_weekly(report, lang)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
