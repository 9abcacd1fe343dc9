"""`hnsubmit review list|show|start|accept|reject`: the portal office reviews what the units sent."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

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
    from hnsubmit.i18n import _
    from hnsubmit.render.console import console
    from hnsubmit.render.words import column_name, local_time

    with local_exchange(data) as ex:
        if state is None and week is None:
            items = listing(ex, _office(), None, "received", unit, 1000, 0)["items"]
            items += listing(ex, _office(), None, "in_review", unit, 1000, 0)["items"]
        else:
            items = listing(ex, _office(), week, state, unit, 1000, 0)["items"]
        names = {u.code: u.name for u in ex.storage.list_units()}
        columns = _column_names(ex)
    table = Table()
    for title in (_("id"), _("received"), _("unit"), _("column"), _("title"), _("state")):
        table.add_column(title)
    for s in items:
        table.add_row(shown(s["submission_id"]), local_time(s["received_at"]),
                      shown(names.get(s["unit"], s["unit"])), shown(column_name(s["column"], columns)), shown(s["title"]),
                      _state_label(s["state"]))
    console().print(table)
    typer.echo(_("{n} submission(s)").format(n=len(items)), err=True)


def _column_names(ex) -> dict[str, str]:
    """The exchange's own column names (an office may have its own columns), in the user's language."""
    from hnsubmit.i18n import current_lang

    return {c.id: (c.name_zh if current_lang() == "zh" else c.name_en) for c in ex.storage.list_columns()}


def _reviewer(ex, history: list[dict]) -> str:
    """The office's reviewer (审核人) who acted last: the label of their token, else the office."""
    from hnsubmit.i18n import _
    from hnsubmit.render.words import OFFICE

    acted = [str(h.get("by", "")) for h in history if str(h.get("by", "")).split(":")[0] in ("reviewer", "admin")]
    if not acted:
        return ""
    token = ex.storage.get_token(acted[-1].partition(":")[2])
    return token.label if token is not None and token.label else _(OFFICE)


def _show(detail: dict, names: dict[str, str] | None = None, columns: dict[str, str] | None = None, reviewer: str = "") -> None:
    from hnsubmit.i18n import _
    from hnsubmit.render.console import console
    from hnsubmit.render.words import category_name, column_name, local_time, transition, unit_name

    m = detail["manifest"]
    out = console()
    out.print(f"[bold]{shown(detail['submission_id'])}[/bold]  {shown(m.get('title', ''))}")
    lines = [
        (_("state"), _state_label(detail["state"]) + (f" — {detail['reason']}" if detail.get("reason") else "")),
        (_("unit"), f"{unit_name(detail['unit'], names)} ({detail['unit']})"),
        (_("column"), column_name(detail["column"], columns)),
        (_("category"), category_name(detail["category"])),
        (_("liaison"), f"{m.get('liaison', {}).get('name', '')} {m.get('liaison', {}).get('phone', '')}"),
        # the unit's leader who approved it for publication (审核领导), not the office's reviewer (审核人)
        (_("approving leader"), f"{m.get('approval', {}).get('approver', '')} {local_time(m.get('approval', {}).get('approved_at', ''))}"),
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
        out.print(plain(f"    {local_time(h['at'])}  {transition(h, names)}{reason}"), markup=False)
    if reviewer:  # the office's reviewer (审核人), not the unit's approving leader (审核领导)
        out.print("  " + _("reviewer") + ": " + plain(reviewer), markup=False)


@review_app.command("show")
def review_show(
    submission_id: str = typer.Argument(...),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Policy TOML file instead of the built-in default."),
    terms: List[Path] = typer.Option([], "--terms", help="A term list (CSV) over the built-in proofreading lists; may repeat."),
    leaders: Optional[Path] = typer.Option(None, "--leaders", help="The office's leaders list (CSV 姓名,职务) for PRF007/PRF008."),
) -> None:
    """Show one submission: metadata, files and the history of its states."""
    from hnsubmit.checks.proofing.engine import with_lists
    from hnsubmit.cli.context import resolve_policy
    from hnsubmit.exchange.proofing import proofread_submission
    from hnsubmit.exchange.submissions import detail, visible

    pol = with_lists(resolve_policy(policy), [str(t) for t in terms], str(leaders) if leaders else None)
    with local_exchange(data) as ex:
        d = detail(ex, visible(ex, _office(), submission_id))
        names, columns, reviewer = {u.code: u.name for u in ex.storage.list_units()}, _column_names(ex), _reviewer(ex, d["history"])
        proofing = proofread_submission(ex, d, pol)
    _show(d, names, columns, reviewer)
    _show_proofing(proofing)


def _show_proofing(findings) -> None:
    """The PRF findings of the submission's texts and Word files, so a unit that skipped `check` is still caught."""
    from hnsubmit.cli.context import current
    from hnsubmit.i18n import _
    from hnsubmit.render.console import console
    from hnsubmit.rules.registry import get_rule

    out, lang = console(), current().lang
    out.print("  " + _("proofreading (PRF)") + ":" + ("" if findings else " " + _("nothing found")), markup=False)
    for f in findings:
        out.print(plain(f"    {f.code} {f.path}: {get_rule(f.code).render('message', lang, f.args)}"), markup=False)


def _act(submission_id: str, action: str, reason: str | None, data: Path | None) -> None:
    from hnsubmit.exchange.context import utcnow
    from hnsubmit.exchange.submissions import review

    with local_exchange(data) as ex:
        d = review(ex, _office(), submission_id, action, reason, utcnow())
        names, columns, reviewer = {u.code: u.name for u in ex.storage.list_units()}, _column_names(ex), _reviewer(ex, d["history"])
    _show(d, names, columns, reviewer)


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
