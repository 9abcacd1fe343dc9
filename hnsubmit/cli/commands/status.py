"""`hnsubmit status [ID]`: the unit's submissions, their state and the reviewer's reason, and this week's quota."""

from __future__ import annotations

import json
from typing import Optional

import typer

from hnsubmit.cli.commands.login import CA_HELP, ENDPOINT_HELP, UNIT_HELP
from hnsubmit.cli.output import console

REQUIRED_PER_WEEK = 3  # 南政办〔2015〕86号 五(四): 每周至少报送3条以上信息 (the server's figure wins when it sends one)


def state_label(state: str) -> str:
    from hnsubmit.i18n import _

    labels = {
        "received": _("received"), "in_review": _("in review"), "published": _("published"),
        "rejected": _("rejected"), "withdrawn": _("withdrawn"),
    }
    return labels.get(state, state)


_STYLE = {"published": "green", "rejected": "red", "withdrawn": "dim", "in_review": "yellow"}


def render_list(items: list[dict], title: str) -> None:
    from rich.table import Table

    from hnsubmit.i18n import _

    table = Table(title=title)
    table.add_column(_("submission"), no_wrap=True)
    for col in (_("received"), _("title"), _("column"), _("state"), _("reason")):
        table.add_column(col)
    for s in items:
        st = s.get("state", "")
        style = _STYLE.get(st)
        label = f"[{style}]{state_label(st)}[/{style}]" if style else state_label(st)
        table.add_row(
            s.get("submission_id", ""), (s.get("received_at") or "")[:16].replace("T", " "), s.get("title") or "",
            s.get("column") or "", label, s.get("reason") or "",
        )
    console().print(table)


def quota_line(report: dict, unit: str) -> tuple[str, bool]:
    from hnsubmit.i18n import _

    rows = [r for r in report.get("rows", []) if r.get("unit") == unit] or report.get("rows", [])[:1]
    sent = int(rows[0].get("sent", 0)) if rows else 0
    required = int(report.get("required_per_week", REQUIRED_PER_WEEK))
    met = sent >= required
    text = _("This week ({week}): {sent} sent, at least {required} required (南政办〔2015〕86号 五(四)).").format(
        week=report.get("week", ""), sent=sent, required=required)
    if not met:
        text += " " + _("{left} more to go.").format(left=required - sent)
    return text, met


def render_detail(s: dict) -> None:
    from rich.table import Table

    from hnsubmit.i18n import _

    out = console()
    out.print(f"[bold]{s.get('submission_id', '')}[/bold]  {s.get('title') or ''}")
    out.print(f"{_('state')}: {state_label(s.get('state', ''))}")
    if s.get("reason"):
        out.print(f"{_('reason')}: {s['reason']}", markup=False)
    out.print(f"{_('unit')}: {s.get('unit', '')}   {_('column')}: {s.get('column') or ''}   {_('category')}: {s.get('category') or ''}")
    out.print(f"{_('received')}: {s.get('received_at', '')}   {_('manifest digest')}: {s.get('manifest_digest', '')}")
    history = s.get("history") or []
    if history:
        table = Table(title=_("History"))
        for col in (_("time"), _("from"), _("to"), _("by"), _("reason")):
            table.add_column(col)
        for h in history:
            table.add_row(h.get("at", ""), state_label(h.get("from") or "") if h.get("from") else "-",
                          state_label(h.get("to", "")), h.get("by", ""), h.get("reason") or "")
        out.print(table)


def status(
    submission_id: Optional[str] = typer.Argument(None, help="One submission id (default: the unit's list)."),
    week: Optional[str] = typer.Option(None, "--week", help="ISO week YYYY-Www (default: all recent and this week's quota)."),
    state_filter: Optional[str] = typer.Option(None, "--state", help="Only this state: received, in_review, published, rejected, withdrawn."),
    limit: int = typer.Option(50, "--limit", min=1, max=1000, help="At most this many submissions."),
    endpoint: Optional[str] = typer.Option(None, "--endpoint", help=ENDPOINT_HELP),
    unit: Optional[str] = typer.Option(None, "--unit", help=UNIT_HELP),
    ca_bundle: Optional[str] = typer.Option(None, "--ca-bundle", help=CA_HELP),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json"),
) -> None:
    """Show what the unit sent, each item's state and the reviewer's reason, and this week's count against the quota."""
    from hnsubmit.cli.commands.login import open_client
    from hnsubmit.cli.commands.outbox import open_outbox
    from hnsubmit.i18n import _

    if fmt not in ("text", "json"):
        raise typer.BadParameter("--format takes text or json")
    client, cred = open_client(endpoint, unit, ca_bundle)
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
    waiting = [i for i in open_outbox().pending(endpoint=cred.endpoint) if not cred.unit or i.unit == cred.unit]
    me = cred.unit or next((r.get("unit") for r in report.get("rows", [])), "")
    text, met = quota_line(report, me)
    if fmt == "json":
        typer.echo(json.dumps({
            "submissions": listing.get("items", []), "total": listing.get("total", 0),
            "week": report.get("week"), "report": report.get("rows", []), "quota_met": met,
            "outbox_waiting": [{"id": i.id, "source": i.source, "state": i.state} for i in waiting],
        }, ensure_ascii=False, indent=2))
        return
    render_list(listing.get("items", []), _("Submissions of unit {unit} ({total} in all)").format(unit=me, total=listing.get("total", 0)))
    console().print(("[green]" if met else "[yellow]") + text + ("[/green]" if met else "[/yellow]"))
    if waiting:
        console().print(_("{count} item(s) still waiting in the outbox: `hnsubmit outbox retry` sends them.").format(count=len(waiting)))


def register(app: typer.Typer) -> None:
    app.command("status")(status)
