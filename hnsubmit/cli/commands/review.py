"""`hnsubmit review list|show|start|accept|reject`: the portal office reviews what the units sent."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from hnsubmit.cli.context import local_exchange
from hnsubmit.cli.options import DATA_HELP
from hnsubmit.render.terminal import plain, shown

review_app = typer.Typer(help="Review submissions: list, show, start, accept (publish), reject with a reason.", no_args_is_help=True)


def _office():
    from hnsubmit.exchange.auth import Principal

    # working on the data directory is the server operator's own access: recorded as admin:local
    return Principal("admin", "local", None)


def _state_label(state: str) -> str:
    from hnsubmit.i18n import _

    return {"received": _("received"), "in_review": _("in review"), "published": _("published"),
            "rejected": _("rejected"), "withdrawn": _("withdrawn")}.get(state, state)


@review_app.command("list")
def review_list(
    state: Optional[str] = typer.Option(None, "--state", help="received, in_review, published, rejected or withdrawn."),
    week: Optional[str] = typer.Option(None, "--week", help="ISO week, e.g. 2026-W47 (Asia/Shanghai)."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Only this unit."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """List submissions, newest first (default: those waiting for review)."""
    from rich.table import Table

    from hnsubmit.exchange.submissions import listing
    from hnsubmit.exchange.weeks import TZ
    from hnsubmit.i18n import _
    from hnsubmit.render.console import console

    with local_exchange(data) as ex:
        if state is None and week is None:
            items = listing(ex, _office(), None, "received", unit, 1000, 0)["items"]
            items += listing(ex, _office(), None, "in_review", unit, 1000, 0)["items"]
        else:
            items = listing(ex, _office(), week, state, unit, 1000, 0)["items"]
        names = {u.code: u.name for u in ex.storage.list_units()}
    table = Table()
    for title in (_("id"), _("received"), _("unit"), _("column"), _("title"), _("state")):
        table.add_column(title)
    for s in items:
        table.add_row(shown(s["submission_id"]), s["received_at"].astimezone(TZ).strftime("%m-%d %H:%M"),
                      shown(names.get(s["unit"], s["unit"])), shown(s["column"]), shown(s["title"]), _state_label(s["state"]))
    console().print(table)
    typer.echo(_("{n} submission(s)").format(n=len(items)), err=True)


def _show(detail: dict) -> None:
    from hnsubmit.exchange.models import CATEGORIES
    from hnsubmit.exchange.weeks import TZ
    from hnsubmit.i18n import _
    from hnsubmit.render.console import console

    m = detail["manifest"]
    out = console()
    out.print(f"[bold]{shown(detail['submission_id'])}[/bold]  {shown(m.get('title', ''))}")
    lines = [
        (_("state"), _state_label(detail["state"]) + (f" — {detail['reason']}" if detail.get("reason") else "")),
        (_("unit"), detail["unit"]), (_("column"), detail["column"]),
        (_("category"), CATEGORIES.get(detail["category"], {}).get("zh", detail["category"])),
        (_("liaison"), f"{m.get('liaison', {}).get('name', '')} {m.get('liaison', {}).get('phone', '')}"),
        (_("approved by"), f"{m.get('approval', {}).get('approver', '')} {m.get('approval', {}).get('approved_at', '')}"),
        (_("channels"), ", ".join(m.get("channels", []))),
        (_("manifest digest"), detail["manifest_digest"]),
    ]
    for key, value in lines:
        out.print(f"  {key}: {plain(value)}", markup=False)
    out.print("  " + _("files") + ":", markup=False)
    for f in m.get("files", []):
        caption = f"  ({f['caption']})" if f.get("caption") else ""
        out.print(plain(f"    [{f['role']}] {f['path']}  {f['size']} B  {f['digest'][:19]}…{caption}"), markup=False)
    out.print("  " + _("history") + ":", markup=False)
    for h in detail["history"]:
        reason = f" — {h['reason']}" if h.get("reason") else ""
        out.print(plain(f"    {h['at'].astimezone(TZ):%Y-%m-%d %H:%M}  {h['from'] or '-'} → {h['to']}  {h['by']}{reason}"), markup=False)


@review_app.command("show")
def review_show(submission_id: str = typer.Argument(...), data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP)) -> None:
    """Show one submission: metadata, files and the history of its states."""
    from hnsubmit.exchange.submissions import detail, visible

    with local_exchange(data) as ex:
        d = detail(ex, visible(ex, _office(), submission_id))
    _show(d)


def _act(submission_id: str, action: str, reason: str | None, data: Path | None) -> None:
    from hnsubmit.exchange.context import utcnow
    from hnsubmit.exchange.submissions import review

    with local_exchange(data) as ex:
        d = review(ex, _office(), submission_id, action, reason, utcnow())
    _show(d)


@review_app.command("start")
def review_start(submission_id: str = typer.Argument(...), data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP)) -> None:
    """Mark a submission as under review."""
    _act(submission_id, "start", None, data)


@review_app.command("accept")
def review_accept(
    submission_id: str = typer.Argument(...),
    note: Optional[str] = typer.Option(None, "--note", help="An optional note for the history."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """Accept (publish) a submission."""
    _act(submission_id, "accept", note, data)


@review_app.command("reject")
def review_reject(
    submission_id: str = typer.Argument(...),
    reason: str = typer.Option(..., "--reason", help="Why, for the liaison (required)."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """Reject a submission with a reason the liaison will see."""
    _act(submission_id, "reject", reason, data)


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
