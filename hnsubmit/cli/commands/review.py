"""`hnsubmit review list|show|start|accept|reject`: the portal office reviews what the units sent,
at a distance (`--endpoint` and a reviewer token) or on the server's data folder (`--data`)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from hnsubmit.cli.office import data_option, endpoint_option, open_office
from hnsubmit.cli.options import allow_http_option, ca_bundle_option

review_app = typer.Typer(help="Review submissions: list, show, start, accept (publish), reject with a reason.", no_args_is_help=True)


def _ca() -> Optional[str]:
    return ca_bundle_option()


def _names(office) -> tuple[dict[str, str], dict[str, str]]:
    from hnsubmit.render.review import column_names, unit_names

    return unit_names(office.units()), column_names(office.columns())


@review_app.command("list")
def review_list(
    state: Optional[str] = typer.Option(None, "--state", help="received, in_review, published, rejected, withdrawn; awaiting_approval or returned (approver mode)."),
    week: Optional[str] = typer.Option(None, "--week", help="ISO week, e.g. 2026-W47 (Asia/Shanghai)."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Only this unit."),
    data: Optional[Path] = data_option(),
    endpoint: Optional[str] = endpoint_option(),
    ca_bundle: Optional[str] = _ca(),
    allow_http: bool = allow_http_option(),
) -> None:
    """List submissions, newest first (default: those waiting for review)."""
    from hnsubmit.i18n import _
    from hnsubmit.render.review import render_review_list

    with open_office(data, endpoint, ca_bundle, allow_http) as office:
        if state is None and week is None:
            items = office.submissions(state="received", unit=unit, limit=1000)["items"]
            items += office.submissions(state="in_review", unit=unit, limit=1000)["items"]
        else:
            items = office.submissions(week=week, state=state, unit=unit, limit=1000)["items"]
        units, columns = _names(office)
    render_review_list(items, units, columns)
    typer.echo(_("{n} submission(s)").format(n=len(items)), err=True)


@review_app.command("show")
def review_show(
    submission_id: str = typer.Argument(...),
    data: Optional[Path] = data_option(),
    endpoint: Optional[str] = endpoint_option(),
    ca_bundle: Optional[str] = _ca(),
    allow_http: bool = allow_http_option(),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Policy TOML file instead of the built-in default (with --data; "
                                          "over the network the server proofreads with the office's lists)."),
    terms: List[Path] = typer.Option([], "--terms", help="A term list (CSV) over the built-in proofreading lists; may repeat."),
    leaders: Optional[Path] = typer.Option(None, "--leaders", help="The office's leaders list (CSV 姓名,职务) for PRF007/PRF008."),
) -> None:
    """Show one submission: metadata, files, the history of its states and its proofreading (PRF)."""
    from hnsubmit.cli.office import remote_wanted
    from hnsubmit.errors import UsageError
    from hnsubmit.render.review import render_review_view

    pol = None
    if remote_wanted(data, endpoint):
        if policy is not None or terms or leaders is not None:
            raise UsageError("--policy, --terms and --leaders work with --data only: over the network the exchange "
                             "proofreads with the office's own lists.")
    else:
        from hnsubmit.checks.proofing.engine import with_lists
        from hnsubmit.cli.context import resolve_policy

        pol = with_lists(resolve_policy(policy), [str(t) for t in terms], str(leaders) if leaders else None)
    with open_office(data, endpoint, ca_bundle, allow_http, policy=pol) as office:
        view = office.review_view(submission_id)
        units, columns = _names(office)
    render_review_view(view, units, columns)


def _act(submission_id: str, action: str, reason: str | None, data, endpoint, ca_bundle, allow_http) -> None:
    from hnsubmit.render.review import render_review_view

    with open_office(data, endpoint, ca_bundle, allow_http) as office:
        office.review(submission_id, action, reason)
        view = office.review_view(submission_id, proofing=False)
        units, columns = _names(office)
    render_review_view(view, units, columns)


@review_app.command("start")
def review_start(submission_id: str = typer.Argument(...), data: Optional[Path] = data_option(),
                 endpoint: Optional[str] = endpoint_option(), ca_bundle: Optional[str] = _ca(),
                 allow_http: bool = allow_http_option()) -> None:
    """Mark a submission as under review."""
    _act(submission_id, "start", None, data, endpoint, ca_bundle, allow_http)


@review_app.command("accept")
def review_accept(
    submission_id: str = typer.Argument(...),
    note: Optional[str] = typer.Option(None, "--note", help="An optional note for the history."),
    data: Optional[Path] = data_option(),
    endpoint: Optional[str] = endpoint_option(),
    ca_bundle: Optional[str] = _ca(),
    allow_http: bool = allow_http_option(),
) -> None:
    """Accept (publish) a submission."""
    _act(submission_id, "accept", note, data, endpoint, ca_bundle, allow_http)


@review_app.command("reject")
def review_reject(
    submission_id: str = typer.Argument(...),
    reason: str = typer.Option(..., "--reason", help="Why, for the liaison (required)."),
    data: Optional[Path] = data_option(),
    endpoint: Optional[str] = endpoint_option(),
    ca_bundle: Optional[str] = _ca(),
    allow_http: bool = allow_http_option(),
) -> None:
    """Reject a submission with a reason the liaison will see."""
    _act(submission_id, "reject", reason, data, endpoint, ca_bundle, allow_http)


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
