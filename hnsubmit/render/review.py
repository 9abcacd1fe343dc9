"""The office's review screens (`review list`, `review show`, and the submission after start/accept/reject).

Fed the JSON shapes of the protocol (a listing, a submission, the reviewer's view: exchange/office.py),
whether they came from the data folder or over the HTTP API, so both modes print the same.
"""

from __future__ import annotations

from hnsubmit.i18n import _
from hnsubmit.render.console import console
from hnsubmit.render.terminal import plain, shown


def unit_names(units: list[dict]) -> dict[str, str]:
    return {str(u.get("code")): str(u.get("name") or u.get("code")) for u in units if isinstance(u, dict)}


def column_names(columns: list[dict]) -> dict[str, str]:
    """The exchange's own column names (an office may have its own columns), in the user's language."""
    from hnsubmit.i18n import current_lang

    out = {}
    for c in columns:
        if isinstance(c, dict):
            name = c.get("name") if isinstance(c.get("name"), dict) else {}
            out[str(c.get("id"))] = str(name.get("zh" if current_lang() == "zh" else "en") or c.get("id"))
    return out


def render_review_list(items: list[dict], units: dict[str, str], columns: dict[str, str]) -> None:
    from rich.table import Table

    from hnsubmit.render.words import column_name, local_time, state_name

    table = Table()
    for title in (_("id"), _("received"), _("unit"), _("column"), _("title"), _("state")):
        table.add_column(title)
    for s in items:
        table.add_row(shown(s["submission_id"]), local_time(s.get("received_at")),
                      shown(units.get(s.get("unit"), s.get("unit") or "")), shown(column_name(s.get("column"), columns)),
                      shown(s.get("title") or ""), state_name(s.get("state")))
    console().print(table)


def render_submission(detail: dict, units: dict[str, str], columns: dict[str, str], reviewer: str = "") -> None:
    """One submission: metadata, files, history, and the office's reviewer who acted last."""
    from hnsubmit.render.findings import rendition_lines
    from hnsubmit.render.words import OFFICE, category_name, column_name, local_time, state_name, transition, unit_name

    m = detail.get("manifest") or {}
    out = console()
    out.print(f"[bold]{shown(detail['submission_id'])}[/bold]  {shown(m.get('title', ''))}")
    approval = m.get("approval") or {}
    liaison = m.get("liaison") or {}
    lines = [
        (_("state"), state_name(detail.get("state")) + (f" — {detail['reason']}" if detail.get("reason") else "")),
        (_("unit"), f"{unit_name(detail.get('unit'), units)} ({detail.get('unit')})"),
        (_("column"), column_name(detail.get("column"), columns)),
        (_("category"), category_name(detail.get("category"))),
        (_("liaison"), f"{liaison.get('name', '')} {liaison.get('phone', '')}"),
        # the unit's leader who approved it for publication (审核领导), not the office's reviewer (审核人)
        (_("approving leader"), f"{approval.get('approver', '')} {local_time(approval.get('approved_at', ''))}"),
        (_("channels"), ", ".join(m.get("channels", []))),
        (_("manifest digest"), detail.get("manifest_digest") or ""),
    ]
    record = detail.get("approval") if isinstance(detail.get("approval"), dict) else None
    if record:  # approver mode: who accepted it with their own token (issue 15 §2)
        lines.insert(6, (_("approval record"), _("{name} (approver token {token}), {time}").format(
            name=record.get("name", ""), token=record.get("token_id", ""), time=local_time(record.get("at")))))
    for key, value in lines:
        out.print(f"  {key}: {plain(value)}", markup=False)
    out.print("  " + _("files") + ":", markup=False)
    for f in m.get("files", []):
        caption = f"  ({f['caption']})" if f.get("caption") else ""
        out.print(plain(f"    [{f['role']}] {f['path']}  {f['size']} B  {str(f['digest'])[:19]}…{caption}"), markup=False)
        for line in rendition_lines(m, f.get("path")):  # a channel's copies beside their original (issue 18)
            out.print(line, markup=False)
    out.print("  " + _("history") + ":", markup=False)
    for h in detail.get("history") or []:
        reason = f" — {h['reason']}" if h.get("reason") else ""
        out.print(plain(f"    {local_time(h.get('at'))}  {transition(h, units)}{reason}"), markup=False)
    acted = any(str(h.get("by", "")).split(":")[0] in ("reviewer", "admin") for h in detail.get("history") or [])
    if acted:  # the office's reviewer (审核人), not the unit's approving leader (审核领导)
        out.print("  " + _("reviewer") + ": " + plain(reviewer or _(OFFICE)), markup=False)


def render_proofing(findings: list[dict] | None, state: dict | None = None) -> None:
    """The PRF findings of the submission's texts and Word files, so a unit that skipped `check` is still caught;
    `state` says whether the server stored them on arrival (issue 14: render/findings.py)."""
    from hnsubmit.i18n import current_lang
    from hnsubmit.render.findings import proofing_status_lines
    from hnsubmit.rules.registry import get_rule

    out = console()
    findings = findings or []
    unsure = isinstance(state, dict) and state.get("state") in ("pending", "failed")
    out.print("  " + _("proofreading (PRF)") + ":" + ("" if findings or unsure else " " + _("nothing found")), markup=False)
    for line in proofing_status_lines(state):
        out.print("    " + line, markup=False)
    for f in findings:
        try:
            message = get_rule(f["code"]).render("message", current_lang(), f.get("args") or {})
        except (KeyError, LookupError):  # a code this client does not know yet: its code alone
            message = ""
        out.print(plain(f"    {f['code']} {f.get('path', '')}: {message}"), markup=False)


def render_review_view(view: dict, units: dict[str, str], columns: dict[str, str]) -> None:
    render_submission(view["submission"], units, columns, view.get("reviewer") or "")
    if view.get("proofing") is not None:
        render_proofing(view["proofing"], view.get("proofing_state"))
