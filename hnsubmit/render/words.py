"""People's words for the codes the exchange speaks: columns, categories, unit kinds, weeks, times,
who moved a submission.  `status` (the liaison's side) and `review`/`report` (the office's side)
show the same thing the same way: Beijing time to the minute, 2026年第49周(12月1日—12月7日),
已接收 → 审核中(州政府办公室).  Names come from the exchange's built-in seed; a code it does not
know (an office's own column) is shown as it is.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from hnsubmit.i18n import N_, _, current_lang

OFFICE = N_("the prefecture government office")
KINDS = {"county": N_("county government"), "department": N_("prefecture department")}


@lru_cache(maxsize=1)
def _seed():
    from hnsubmit.errors import HnsubmitError
    from hnsubmit.exchange.seed import load_seed

    try:
        return load_seed()
    except HnsubmitError:  # pragma: no cover - the built-in seed ships with the package
        return None


def column_name(column: str | None, names: dict[str, str] | None = None) -> str:
    """A column's name in the user's language (县区动态), else its id."""
    column = str(column or "")
    if names and column in names:
        return names[column]
    seed = _seed()
    for c in seed.columns if seed else ():
        if c.id == column:
            return c.name_zh if current_lang() == "zh" else c.name_en
    return column


def category_name(code: str | None) -> str:
    """A kind of content of 南政办〔2015〕86号 三 in the user's language, else its code."""
    from hnsubmit.submission.categories import BY_CODE

    category = BY_CODE.get(str(code or ""))
    if category is None:
        return str(code or "")
    return category.zh if current_lang() == "zh" else category.en


def unit_name(code: str | None, names: dict[str, str] | None = None) -> str:
    code = str(code or "")
    if names and code in names:
        return names[code]
    seed = _seed()
    return next((u.name for u in (seed.units if seed else ()) if u.code == code), code)


def unit_called(code: str, report: dict | None = None) -> str:
    """`共和县人民政府(632521)`: the name the exchange's weekly report gives the unit (else the seed's),
    safe to show in a Rich title."""
    from hnsubmit.render.terminal import shown

    rows = [r for r in (report or {}).get("rows", []) if isinstance(r, dict) and r.get("unit") == code]
    name = str(rows[0].get("name") or "") if rows else ""
    name = name or unit_name(code)
    return shown(_("{name} ({code})").format(name=name, code=code) if name and name != code else code)


def kind_name(kind: str | None) -> str:
    return _(KINDS[kind]) if isinstance(kind, str) and kind in KINDS else str(kind or "")


def _moment(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def local_time(value) -> str:
    """An exchange time (datetime or ISO text, UTC) in Beijing time to the minute."""
    from hnsubmit.exchange.weeks import TZ

    moment = _moment(value)
    if moment is None:
        return str(value or "")
    if moment.tzinfo is None:
        from datetime import timezone

        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


def week_label(week: str | None) -> str:
    """`2026-W49` as 2026年第49周(12月1日—12月7日), or week 49 of 2026 (1 Dec – 7 Dec)."""
    from hnsubmit.exchange.weeks import week_bounds

    try:
        start, end = week_bounds(str(week or ""))
    except (ValueError, TypeError):
        return str(week or "")
    last = end - timedelta(days=1)
    year, number = start.isocalendar()[0], start.isocalendar()[1]
    if current_lang() == "zh":
        return f"{year}年第{number}周({start.month}月{start.day}日—{last.month}月{last.day}日)"
    return f"week {number} of {year} ({start.day} {start:%b} – {last.day} {last:%b})"


def quarter_label(quarter: str | None) -> str:
    """`2026-Q4` as 2026年第四季度(第40—53周), or Q4 2026 (weeks 40–53)."""
    from hnsubmit.exchange.weeks import quarter_weeks

    try:
        weeks = quarter_weeks(str(quarter or ""))
    except (ValueError, TypeError):
        return str(quarter or "")
    year, q = str(quarter)[:4], int(str(quarter)[-1])
    first, last = int(weeks[0][-2:]), int(weeks[-1][-2:])
    if current_lang() == "zh":
        return f"{year}年第{'一二三四'[q - 1]}季度(第{first}—{last}周)"
    return f"Q{q} {year} (weeks {first}–{last})"


def actor_name(by: str | None, names: dict[str, str] | None = None) -> str:
    """Who moved a submission: the office for a reviewer or admin, else the unit's name."""
    role, _sep, who = str(by or "").partition(":")
    if role in ("reviewer", "admin"):
        return _(OFFICE)
    if role == "unit":
        return unit_name(who, names)
    if role == "approver":  # the unit's approver (审批人), by token: its name is in the approval record
        return _(ROLES["approver"])
    return str(by or "")


STATES = {"awaiting_approval": N_("awaiting approval"), "returned": N_("returned by the approver"),
          "received": N_("received"), "in_review": N_("in review"), "published": N_("published"),
          "rejected": N_("rejected"), "withdrawn": N_("withdrawn")}


def state_name(state: str | None) -> str:
    return _(STATES[state]) if isinstance(state, str) and state in STATES else str(state or "")


def transition(entry: dict, names: dict[str, str] | None = None) -> str:
    """One history entry as 已接收 → 审核中(州政府办公室); plain text (the caller makes it safe to show)."""
    actor = actor_name(entry.get("by"), names)
    moved = state_name(entry.get("to"))
    if entry.get("from"):
        moved = f"{state_name(entry.get('from'))} → {moved}"
    return moved + (_("({who})").format(who=actor) if actor else "")


_SOURCES = (
    (r"default", N_("default")),
    (r"command line", N_("command line")),
    (r"config file (?P<path>.+) \[profiles\.(?P<profile>[^\]]+)\]", N_("config file {path}, profile {profile}")),
    (r"config file (?P<path>.+)", N_("config file {path}")),
    (r"environment (?P<name>\S+)", N_("environment variable {name}")),
    (r"keyring \(looked up when needed\)", N_("system keyring (looked up when needed)")),
    (r"keyring (?P<backend>.+)", N_("system keyring ({backend})")),
    (r"file (?P<path>.+)", N_("token file {path}")),
    (r"none stored", N_("none stored: run `hnsubmit login`")),
)
ROLES = {"unit": N_("reporting unit"), "approver": N_("approver"), "reviewer": N_("reviewer"), "admin": N_("administrator")}


def role_name(role: str | None) -> str:
    """A token's role (unit, reviewer, admin) in the user's language."""
    return _(ROLES[role]) if isinstance(role, str) and role in ROLES else str(role or "")


def source_label(source: str) -> str:
    """Where a setting came from (config.Setting.source, written in English) in the user's language."""
    import re

    for pattern, msgid in _SOURCES:
        match = re.fullmatch(pattern, source, re.S)
        if match:
            return _(msgid).format(**match.groupdict())
    return source
