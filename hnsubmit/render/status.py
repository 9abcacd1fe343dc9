"""How `status`, `withdraw` and the demo show submissions: states in the user's words, lists, details, the weekly quota."""

from __future__ import annotations

from hnsubmit.render.console import console
from hnsubmit.render.terminal import plain, shown

REQUIRED_PER_WEEK = 3  # 南政办〔2015〕86号 五(四): 每周至少报送3条以上信息 (the server's figure wins when it sends one)


def state_label(state: str) -> str:
    from hnsubmit.i18n import _

    labels = {
        "awaiting_approval": _("awaiting approval"), "returned": _("returned by the approver"),
        "received": _("received"), "in_review": _("in review"), "published": _("published"),
        "rejected": _("rejected"), "withdrawn": _("withdrawn"),
    }
    return labels.get(state, shown(state, 40))


_STYLE = {"published": "green", "rejected": "red", "withdrawn": "dim", "in_review": "yellow",
          "awaiting_approval": "yellow", "returned": "red"}


def render_list(items: list[dict], title: str) -> None:
    from rich.table import Table

    from hnsubmit.i18n import _
    from hnsubmit.render.words import column_name, local_time

    table = Table(title=title)
    table.add_column(_("submission"), no_wrap=True)
    for col in (_("received"), _("title"), _("column"), _("state"), _("reason")):
        table.add_column(col)
    for s in items:
        st = str(s.get("state", ""))
        style = _STYLE.get(st)
        label = f"[{style}]{state_label(st)}[/{style}]" if style else state_label(st)
        table.add_row(
            shown(s.get("submission_id", ""), 40), shown(local_time(s.get("received_at"))),
            shown(s.get("title") or ""), shown(column_name(s.get("column"))), label, shown(s.get("reason") or ""),
        )
    console().print(table)


def quota_line(report: dict, unit: str) -> tuple[str, bool]:
    from hnsubmit.i18n import _
    from hnsubmit.render.words import week_label

    rows = [r for r in report.get("rows", []) if r.get("unit") == unit] or report.get("rows", [])[:1]
    row = rows[0] if rows else {}
    # what counts is what the unit's leader approved (the server's `approved`; an older server: sent)
    counted = row.get("approved") if isinstance(row.get("approved"), int) else row.get("sent", 0)
    sent = int(counted or 0)
    required = int(report.get("required_per_week", REQUIRED_PER_WEEK))
    met = sent >= required
    text = _("This week, {week}: {sent} sent, at least {required} required (南政办〔2015〕86号 五(四)).").format(
        week=week_label(shown(report.get("week", ""), 20)), sent=sent, required=required)
    waiting = row.get("awaiting_approval")
    if isinstance(waiting, int) and waiting > 0:  # approver mode: not counted until the approver accepts them
        text += " " + _("{count} more await the approver and count once approved.").format(count=waiting)
    if not met:
        text += " " + _("{left} more to go.").format(left=required - sent)
    return text, met


def render_detail(s: dict) -> None:
    from rich.table import Table

    from hnsubmit.i18n import _
    from hnsubmit.render.words import category_name, column_name, local_time, transition, unit_name

    out = console()
    out.print(f"[bold]{shown(s.get('submission_id', ''), 40)}[/bold]  {shown(s.get('title') or '')}")
    out.print(f"{_('state')}: {state_label(str(s.get('state', '')))}")
    if s.get("reason"):
        out.print(f"{_('reason')}: {plain(s['reason'])}", markup=False)
    out.print(f"{_('unit')}: {shown(unit_name(s.get('unit')))}   {_('column')}: {shown(column_name(s.get('column')))}   "
              f"{_('category')}: {shown(category_name(s.get('category')))}")
    out.print(f"{_('received')}: {shown(local_time(s.get('received_at')))}   {_('manifest digest')}: {shown(s.get('manifest_digest', ''))}")
    record = s.get("approval") if isinstance(s.get("approval"), dict) else None
    if record:  # approver mode: which approver token accepted it, and when (issue 15 §2)
        label = _("approval record")
        out.print(f"{label}: " + plain(_("{name} (approver token {token}), {time}").format(
            name=record.get("name", ""), token=record.get("token_id", ""), time=local_time(record.get("at")))), markup=False)
    history = [h for h in s.get("history") or [] if isinstance(h, dict)]
    if history:
        table = Table(title=_("History"))
        for col in (_("time"), _("change"), _("reason")):
            table.add_column(col)
        for h in history:
            table.add_row(shown(local_time(h.get("at"))), shown(transition(h)), shown(h.get("reason") or ""))
        out.print(table)
