"""`hnsubmit status [ID]`: the unit's submissions, their state and the reviewer's reason, and this week's quota."""

from __future__ import annotations

import json
from typing import Optional

import typer

from hnsubmit.cli.context import open_client, open_outbox
from hnsubmit.cli.options import allow_http_option, ca_bundle_option, endpoint_option, unit_option
from hnsubmit.render.console import console
from hnsubmit.render.status import quota_line, render_detail, render_list


def status(
    submission_id: Optional[str] = typer.Argument(None, help="One submission id (default: the unit's list)."),
    week: Optional[str] = typer.Option(None, "--week", help="ISO week YYYY-Www (default: all recent and this week's quota)."),
    state_filter: Optional[str] = typer.Option(None, "--state", help="Only this state: awaiting_approval, returned, received, in_review, published, rejected, withdrawn."),
    limit: int = typer.Option(50, "--limit", min=1, max=1000, help="At most this many submissions."),
    endpoint: Optional[str] = endpoint_option(),
    unit: Optional[str] = unit_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json"),
    allow_http: bool = allow_http_option(),
) -> None:
    """Show what the unit sent, each item's state and the reviewer's reason, and this week's count against the quota."""
    from hnsubmit.i18n import _

    if fmt not in ("text", "json"):
        raise typer.BadParameter(_("{option} takes one of: {choices}").format(option="--format", choices="text, json"))
    client, cred = open_client(endpoint, unit, ca_bundle, allow_http=allow_http)
    with client:
        if submission_id:
            detail = client.submission(submission_id)
            if fmt == "json":
                typer.echo(json.dumps(detail, ensure_ascii=False, indent=2))
            else:
                render_detail(detail)
            return
        listing = client.submissions(week=week, state=state_filter, limit=limit)
        report = client.weekly_report(week)
        freshness, expired = client.column_report(), client.expired()  # issue 15 §3, §4
    waiting = [i for i in open_outbox().pending(endpoint=cred.endpoint) if not cred.unit or i.unit == cred.unit]
    me = cred.unit or next((r.get("unit") for r in report.get("rows", [])), "")
    text, met = quota_line(report, me)
    if fmt == "json":
        typer.echo(json.dumps({
            "submissions": listing.get("items", []), "total": listing.get("total", 0),
            "week": report.get("week"), "report": report.get("rows", []), "quota_met": met,
            "outbox_waiting": [{"id": i.id, "source": i.source, "state": i.state} for i in waiting],
            "columns": [r for r in freshness.get("rows", []) if r.get("state") != "ok"],
            "expired": expired.get("items", []),
        }, ensure_ascii=False, indent=2))
        return
    from hnsubmit.render.words import unit_called

    render_list(listing.get("items", []), _("Submissions of unit {unit} ({total} in all)").format(
        unit=unit_called(me, report), total=listing.get("total", 0)))
    console().print(("[green]" if met else "[yellow]") + text + ("[/green]" if met else "[/yellow]"))
    from hnsubmit.render.columns import status_lines

    for style, line in status_lines(freshness, expired):
        console().print(f"[{style}]{line}[/{style}]")
    if waiting:
        console().print(_("{count} item(s) still waiting in the outbox: `hnsubmit outbox retry` sends them.").format(count=len(waiting)))


def register(app: typer.Typer) -> None:
    app.command("status")(status)
