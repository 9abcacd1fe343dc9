"""`hnsubmit report weekly|quarter`: the 督查通报 and the 考核 — per unit, sent, approved, published (采用),
rejected, the adoption rate, the ≥ 3 a week of 五(四) and the office's points; at a distance
(`--endpoint`, a reviewer token) or on the server's data folder (`--data`)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from hnsubmit.cli.office import data_option, endpoint_option, invalid_period, local_policy, open_office
from hnsubmit.cli.options import allow_http_option, ca_bundle_option

report_app = typer.Typer(help="Reports for the office's supervision (督查通报).", no_args_is_help=True)
FORMAT_HELP = "table, csv or xlsx."
POLICY_HELP = ("With --data: the policy whose [scoring] gives the points (default: the profile's policy, else the built-in "
               "one); over the network the exchange's own policy applies.")


def _check_format(fmt: str) -> None:
    from hnsubmit.i18n import _

    if fmt not in ("table", "csv", "xlsx"):
        raise typer.BadParameter(_("{option} takes one of: {choices}").format(option="--format", choices="table, csv, xlsx"))


def _emit(report: dict, fmt: str, output: Optional[Path], default_name: str, renderer=None) -> None:
    """One way out for every report, local or remote: a table, CSV on stdout or in a file, or a workbook.
    `renderer`: the module that draws it (render/reports.py by default, render/columns.py for columns),
    each with render_table, to_csv, write_csv and write_xlsx."""
    from hnsubmit.i18n import _

    if renderer is None:
        from hnsubmit.render import reports as renderer
    if fmt == "csv":
        if output is None:
            typer.echo(renderer.to_csv(report), nl=False)
        else:
            renderer.write_csv(report, output)
            typer.echo(_("Wrote {path}").format(path=output), err=True)
    elif fmt == "xlsx":
        target = output or Path(default_name)
        renderer.write_xlsx(report, target)
        typer.echo(_("Wrote {path}").format(path=target), err=True)
    else:
        renderer.render_table(report)


@report_app.command("weekly")
def weekly(
    week: Optional[str] = typer.Option(None, "--week", help="ISO week YYYY-Www (Asia/Shanghai); default: this week."),
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to this file (xlsx default: 督查通报-WEEK.xlsx)."),
    data: Optional[Path] = data_option(),
    endpoint: Optional[str] = endpoint_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    allow_http: bool = allow_http_option(),
    policy: Optional[Path] = typer.Option(None, "--policy", help=POLICY_HELP),
) -> None:
    """Per unit: items sent, approved, published, rejected, the adoption rate, whether the week's minimum of 3 was met, and the points."""
    from hnsubmit.exchange.weeks import parse_week

    _check_format(fmt)
    if week is not None:
        try:
            parse_week(week)  # the same answer in both modes, before any network
        except ValueError:
            raise invalid_period("week", week) from None
    pol = local_policy(data, endpoint, policy)
    with open_office(data, endpoint, ca_bundle, allow_http, policy=pol) as office:
        try:
            report = office.weekly_report(week)
        except ValueError:
            raise invalid_period("week", week) from None
    _emit(report, fmt, output, f"督查通报-{report['week']}.xlsx")


@report_app.command("quarter")
def quarter(
    quarter_name: Optional[str] = typer.Option(None, "--quarter", help="YYYY-Qn, e.g. 2026-Q4: the ISO weeks whose Thursday "
                                               "falls in the quarter (Asia/Shanghai); default: this quarter."),
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to this file (xlsx default: 考核-QUARTER.xlsx)."),
    data: Optional[Path] = data_option(),
    endpoint: Optional[str] = endpoint_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    allow_http: bool = allow_http_option(),
    policy: Optional[Path] = typer.Option(None, "--policy", help=POLICY_HELP),
) -> None:
    """Per unit over a quarter: items sent, approved, published, rejected, the adoption rate, weeks that met the minimum of 3, and the points."""
    from hnsubmit.exchange.weeks import quarter_weeks

    _check_format(fmt)
    if quarter_name is not None:
        try:
            quarter_weeks(quarter_name)  # the same answer in both modes, before any network
        except ValueError:
            raise invalid_period("quarter", quarter_name) from None
    pol = local_policy(data, endpoint, policy)
    with open_office(data, endpoint, ca_bundle, allow_http, policy=pol) as office:
        try:
            report = office.quarter_report(quarter_name.strip() if quarter_name else None)
        except ValueError:
            raise invalid_period("quarter", quarter_name) from None
    _emit(report, fmt, output, f"考核-{report['quarter']}.xlsx")


@report_app.command("columns")
def columns(
    quarter_name: Optional[str] = typer.Option(None, "--quarter", help="YYYY-Qn (or YYYYQn), e.g. 2026-Q4: the quarter whose "
                                               "publications are counted, as `report quarter` counts it; default: this quarter."),
    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to this file (xlsx default: 栏目更新-QUARTER.xlsx)."),
    data: Optional[Path] = data_option(),
    endpoint: Optional[str] = endpoint_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    allow_http: bool = allow_http_option(),
) -> None:
    """Each column: its responsible units, last published item, days since, state (up to date, about to go stale, stale) and the quarter's count."""
    from hnsubmit.exchange.columns import normal_quarter
    from hnsubmit.render import columns as render

    _check_format(fmt)
    if quarter_name is not None:
        try:
            quarter_name = normal_quarter(quarter_name)  # the same answer in both modes, before any network
        except ValueError:
            raise invalid_period("quarter", quarter_name) from None
    with open_office(data, endpoint, ca_bundle, allow_http) as office:
        report = office.column_report(quarter_name)
    _emit(report, fmt, output, f"栏目更新-{report.get('quarter')}.xlsx", renderer=render)


@report_app.command("expired")
def expired(
    fmt: str = typer.Option("table", "--format", help="table or csv."),
    data: Optional[Path] = data_option(),
    endpoint: Optional[str] = endpoint_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    allow_http: bool = allow_http_option(),
) -> None:
    """Published items past their expiry date (失效日期), for their units to withdraw."""
    from hnsubmit.i18n import _
    from hnsubmit.render import columns as render

    if fmt not in ("table", "csv"):
        raise typer.BadParameter(_("{option} takes one of: {choices}").format(option="--format", choices="table, csv"))
    with open_office(data, endpoint, ca_bundle, allow_http) as office:
        report = office.expired_report()
    if fmt == "csv":
        typer.echo(render.expired_to_csv(report), nl=False)
    else:
        render.render_expired(report)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
