"""The data of the console's pages, read and changed through the exchange's services only.

The queue is `submissions.listing`, an item is `submissions.visible` + `submissions.detail`, an action is
`submissions.review` / `submissions.withdraw`, the weekly report is `reports.weekly_for`: the same
functions, and so the same authorisation, as the JSON API.  Names are given in the request's language
through a `gettext` callable (the server answers Chinese and English readers at once, so the process-wide
language of the command line does not apply here).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from pathlib import PurePosixPath
from typing import Any, Callable

from hnsubmit.exchange import reports, submissions
from hnsubmit.exchange.auth import Principal
from hnsubmit.exchange.context import Exchange
from hnsubmit.exchange.models import CATEGORIES
from hnsubmit.exchange.weeks import TZ, current_week, week_bounds
from hnsubmit.i18n import N_

PER_PAGE = 25
COLUMN_SCAN_LIMIT = 5000  # the store filters by unit, state and week; a column filter reads at most this many

STATES = {
    "awaiting_approval": N_("awaiting approval"), "returned": N_("returned by the approver"),
    "received": N_("received"), "in_review": N_("in review"), "published": N_("published"),
    "rejected": N_("rejected"), "withdrawn": N_("withdrawn"),
}
ROLES = {"reviewer": N_("reviewer"), "admin": N_("administrator"), "approver": N_("approver")}
YES, NO = N_("yes"), N_("no")
OFFICE = N_("the prefecture government office")
FILE_ROLES = {"body": N_("body"), "image": N_("photo"), "video": N_("video"), "attachment": N_("attachment"),
              "form": N_("form")}

CHANNELS = {"portal": N_("the portal"), "wechat": N_("the WeChat account")}

Gettext = Callable[[str], str]


def local_time(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


def week_label(week: str, lang: str) -> str:
    try:
        start, end = week_bounds(week)
    except ValueError:
        return week
    last = end - timedelta(days=1)
    year, number = start.isocalendar()[0], start.isocalendar()[1]
    if lang == "zh":
        return f"{year}年第{number}周({start.month}月{start.day}日—{last.month}月{last.day}日)"
    return f"week {number} of {year} ({start.day} {start:%b} – {last.day} {last:%b})"


def duration_label(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(round(seconds))
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}" if whole >= 3600 else f"{whole // 60}:{whole % 60:02d}"


def size_label(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


class Words:
    """Codes in people's words in one language: states, roles, units, columns, categories, actors."""

    def __init__(self, ex: Exchange, lang: str, gettext: Gettext) -> None:
        self.lang, self._ = lang, gettext
        self.units = {u.code: u for u in ex.storage.list_units()}
        self.columns = {c.id: c for c in ex.storage.list_columns()}

    def state(self, state: str | None) -> str:
        return self._(STATES[state]) if state in STATES else str(state or "")

    def role(self, role: str | None) -> str:
        return self._(ROLES[role]) if role in ROLES else str(role or "")

    def unit(self, code: str | None) -> str:
        unit = self.units.get(str(code or ""))
        return unit.name if unit else str(code or "")

    def column(self, column: str | None) -> str:
        c = self.columns.get(str(column or ""))
        if c is None:
            return str(column or "")
        return c.name_zh if self.lang == "zh" else c.name_en

    def category(self, code: str | None) -> str:
        c = CATEGORIES.get(str(code or ""))
        return (c["zh"] if self.lang == "zh" else c["en"]) if c else str(code or "")

    def actor(self, by: str | None) -> str:
        role, _sep, who = str(by or "").partition(":")
        if role in ("reviewer", "admin"):
            return self._(OFFICE)
        if role == "unit":
            return self.unit(who)
        if role == "approver":
            return self._(ROLES["approver"])
        return str(by or "")


# -- the queue ---------------------------------------------------------------------------------
def default_state(who: Principal) -> str:
    """What waits for this reader: an approver's unit's items awaiting approval; the office's received ones."""
    return "awaiting_approval" if who.role == "approver" else "received"


def queue(ex: Exchange, who: Principal, *, unit: str | None = None, column: str | None = None,
          state: str | None = None, week: str | None = None, page: int = 1, per_page: int = PER_PAGE) -> dict:
    """One page of the submissions the principal may see, newest first, with the count in each state."""
    if who.unit is not None:  # an approver sees its own unit's items only
        unit = who.unit.code
    state = state if state in STATES else None
    page = max(page, 1)
    if column:
        items, total = _by_column(ex, who, unit, column, state, week, page, per_page)
    else:
        out = submissions.listing(ex, who, week, state, unit, per_page, (page - 1) * per_page)
        items, total = out["items"], out["total"]
    counts = {s: submissions.listing(ex, who, week, s, unit, 1, 0)["total"] for s in STATES} if not column else \
        {s: _by_column(ex, who, unit, column, s, week, 1, 1)[1] for s in STATES}
    return {"items": items, "total": total, "counts": counts, "page": page,
            "pages": max(1, math.ceil(total / per_page)), "state": state, "unit": unit, "column": column, "week": week}


def _by_column(ex, who, unit, column, state, week, page, per_page) -> tuple[list[dict], int]:
    # the storage interface has no column filter: read the unit/state/week selection and keep the column's
    matches: list[dict] = []
    offset = 0
    while offset < COLUMN_SCAN_LIMIT:
        batch = submissions.listing(ex, who, week, state, unit, 500, offset)["items"]
        matches.extend(i for i in batch if i["column"] == column)
        if len(batch) < 500:
            break
        offset += 500
    start = (page - 1) * per_page
    return matches[start:start + per_page], len(matches)


# -- an item -----------------------------------------------------------------------------------
def files_of(detail: dict) -> list[dict]:
    out = []
    files = detail["manifest"].get("files", []) if isinstance(detail.get("manifest"), dict) else []
    for i, f in enumerate(files if isinstance(files, list) else []):
        if not isinstance(f, dict):
            continue
        name = PurePosixPath(str(f.get("path", ""))).name
        out.append({"index": i, "path": str(f.get("path", "")), "name": name, "role": str(f.get("role", "")),
                    "digest": str(f.get("digest", "")), "size": int(f.get("size") or 0),
                    "caption": f.get("caption") if isinstance(f.get("caption"), str) else "",
                    "ext": PurePosixPath(name).suffix.lower()})
    return out


RENDITION_KINDS = {"cover-2.35": N_("cover 2.35:1"), "cover-1:1": N_("cover 1:1"), "image": N_("smaller image"),
                   "video-mp4": N_("video MP4")}  # the words of `review show` (render/review.py)


def renditions_of(manifest: dict) -> list[dict]:
    """The manifest's channel renditions (issue 18), numbered in their order, as files_of numbers the files."""
    out = []
    listed = manifest.get("renditions") if isinstance(manifest, dict) else None
    for i, r in enumerate(listed if isinstance(listed, list) else []):
        if not isinstance(r, dict):
            continue
        name = PurePosixPath(str(r.get("path", ""))).name
        out.append({"index": i, "path": str(r.get("path", "")), "name": name, "kind": str(r.get("kind", "")),
                    "channel": str(r.get("channel", "")), "source": str(r.get("source", "")),
                    "digest": str(r.get("digest", "")), "size": int(r.get("size") or 0),
                    "ext": PurePosixPath(name).suffix.lower()})
    return out


def file_at(ex: Exchange, who: Principal, submission_id: str, index: int, which: str = "files") -> dict:
    """The submission's file (or, with which="renditions", rendition) number `index`, if the principal may see
    the submission (submissions.visible)."""
    import json

    from hnsubmit.exchange.problems import not_found

    s = submissions.visible(ex, who, submission_id)
    manifest = json.loads(s.manifest_json)  # no history or approval needed for a file
    files = renditions_of(manifest) if which == "renditions" else files_of({"manifest": manifest})
    found = next((f for f in files if f["index"] == index), None)
    if found is None:
        raise not_found("文件", "file")
    return found


def actions(who: Principal, state: str) -> dict:
    """Which buttons the item page shows: the same states the services accept."""
    office = who.role in ("reviewer", "admin")
    approver = who.role == "approver"
    return {
        "accept": office and state in submissions.REVIEW["accept"][0],
        "reject": office and state in submissions.REVIEW["reject"][0],
        "approve": approver and state in submissions.APPROVE["accept"][0],
        "return": approver and state in submissions.APPROVE["return"][0],
        "withdraw": who.role == "admin" and state in submissions.WITHDRAW_FROM,
    }


def item(ex: Exchange, who: Principal, submission_id: str, words: Words) -> dict:
    from hnsubmit.exchange.console import previews

    detail = submissions.detail(ex, submissions.visible(ex, who, submission_id))
    m = detail["manifest"]
    files = files_of(detail)
    body_html = None
    for f in files:
        f["size_label"] = size_label(f["size"])
        if f["role"] == "video":
            info = previews.video_info(ex, f["digest"]) if ex.blobs.has(f["digest"]) else {}
            f["duration"] = duration_label(info.get("duration"))
            f["has_poster"] = previews.poster(ex, f["digest"]) is not None if ex.blobs.has(f["digest"]) else False
        if f["role"] == "body" and f["ext"] == ".docx" and body_html is None and ex.blobs.has(f["digest"]):
            body_html = previews.word_body(ex, f["digest"])
    liaison = m.get("liaison") if isinstance(m.get("liaison"), dict) else {}
    approval = m.get("approval") if isinstance(m.get("approval"), dict) else {}
    history = [{"at": local_time(h["at"]), "from": words.state(h["from"]) if h["from"] else "",
                "to": words.state(h["to"]), "by": words.actor(h["by"]), "reason": h["reason"] or ""}
               for h in detail["history"]]
    return {
        "id": detail["submission_id"], "title": detail["title"], "state": detail["state"],
        "state_name": words.state(detail["state"]), "reason": detail["reason"] or "",
        "unit": detail["unit"], "unit_name": words.unit(detail["unit"]),
        "column": detail["column"], "column_name": words.column(detail["column"]),
        "category_name": words.category(detail["category"]),
        "liaison": f"{liaison.get('name', '')} {liaison.get('phone', '')}".strip(),
        "approver": str(approval.get("approver", "")), "approved_at": local_time(approval.get("approved_at", "")),
        "received_at": local_time(detail["received_at"]), "updated_at": local_time(detail["updated_at"]),
        "summary": m.get("summary") if isinstance(m.get("summary"), str) else "",
        "source": m.get("source") if isinstance(m.get("source"), str) else "",
        "author": m.get("author") if isinstance(m.get("author"), str) else "",
        "channels": [words._(CHANNELS[c]) if c in CHANNELS else c for c in m.get("channels", []) if isinstance(c, str)],
        "photos": [f for f in files if f["role"] == "image"],
        "videos": [f for f in files if f["role"] == "video"],
        "files": files, "body_html": body_html,
        "has_body": any(f["role"] == "body" for f in files),
        "renditions": _renditions(ex, who, detail, words),
        "history": history, "actions": actions(who, detail["state"]),
        "approval": _approval(detail.get("approval")),
    }


def _renditions(ex: Exchange, who: Principal, detail: dict, words: "Words") -> list[dict]:
    """Each original that has channel renditions, with them (renditions.renditions_for, issue 18)."""
    from hnsubmit.exchange.renditions import renditions_for

    numbered = {(r["path"], r["digest"]): r for r in renditions_of(detail["manifest"])}
    out = []
    for f in renditions_for(ex, who, detail["submission_id"])["files"]:
        made = []
        for r in f["renditions"]:
            entry = numbered.get((str(r.get("path", "")), str(r.get("digest", ""))))
            if entry is None:
                continue
            made.append({**entry, "kind_name": words._(RENDITION_KINDS[entry["kind"]]) if entry["kind"] in RENDITION_KINDS
                         else entry["kind"], "channel_name": words._(CHANNELS[entry["channel"]]) if entry["channel"] in CHANNELS
                         else entry["channel"], "size_label": size_label(entry["size"]),
                         "image": entry["ext"] in (".jpg", ".jpeg", ".png")})
        if made:
            out.append({"original": PurePosixPath(str(f.get("path", ""))).name, "renditions": made})
    return out


def _approval(record: Any) -> dict | None:
    """The approver's recorded acceptance (issue 15 §2): registered name and time."""
    if not isinstance(record, dict):
        return None
    return {"name": str(record.get("name") or ""), "at": local_time(record.get("at"))}


SEVERITIES = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}
PLACES = (("page", N_("page %(n)s")), ("paragraph", N_("paragraph %(n)s")), ("line", N_("line %(n)s")))


def _where(location: Any, gettext: Gettext) -> str:
    if not isinstance(location, dict):
        return ""
    bits = [str(location[k]) for k in ("part",) if location.get(k)]
    bits += [gettext(label) % {"n": location[k]} for k, label in PLACES if location.get(k) is not None]
    bits += [str(location[k]) for k in ("table_cell", "field_path") if location.get(k)]
    return " ".join(bits)


def findings(ex: Exchange, who: Principal, submission_id: str, lang: str, gettext: Gettext, worker: Any = None) -> dict:
    """The check and PRF findings the exchange stored at arrival (exchange/findings.py, issue 14), each
    rule's message filled in the reader's language."""
    from hnsubmit.exchange.findings import findings_for
    from hnsubmit.rules.registry import get_rule

    record = findings_for(ex, who, submission_id, worker=worker)
    items = []
    for f in record.get("findings", []):
        try:
            message = get_rule(f["code"]).render("message", lang, f.get("args") or {})
        except (KeyError, ValueError, TypeError):
            message = ""
        where = _where(f.get("location"), gettext)
        severity = str(f.get("severity", ""))
        items.append({"code": f.get("code", ""), "severity": severity,
                      "severity_name": gettext(SEVERITIES[severity]) if severity in SEVERITIES else severity,
                      "message": message,
                      "where": " · ".join(x for x in (f.get("path") or "", where) if x)})
    return {"state": record.get("state"), "error": record.get("error") or "", "items": items,
            "checked_at": local_time(record.get("checked_at")), "omitted": sum((record.get("omitted") or {}).values()),
            "skipped": [f"{s.get('path', '')}: {s.get('reason', '')}" for s in record.get("skipped", []) if isinstance(s, dict)]}


def act(ex: Exchange, who: Principal, submission_id: str, action: str, reason: str, now: datetime) -> dict:
    """Accept, reject or withdraw through the services (reason required where they require it)."""
    from hnsubmit.exchange.problems import ExchangeError, forbidden

    if action in ("accept", "reject"):
        if who.role not in ("reviewer", "admin"):
            raise forbidden()
        return submissions.review(ex, who, submission_id, action, reason, now)
    if action in ("approve", "return"):  # the unit's approver (issue 15 §2): submissions.approve checks the role
        return submissions.approve(ex, who, submission_id, "accept" if action == "approve" else "return", reason, now)
    if action == "withdraw":
        if who.role != "admin":
            raise forbidden()
        if not reason.strip():
            raise ExchangeError(422, "reason_required", "撤回须说明理由。", "A withdrawal needs a reason.")
        return submissions.withdraw(ex, who, submission_id, reason, now)
    raise ExchangeError(422, "invalid_request", f"未知操作:{action[:20]}", f"Unknown action: {action[:20]}")


# -- reports -----------------------------------------------------------------------------------
def weekly(ex: Exchange, who: Principal, week: str | None) -> dict:
    """The weekly supervision table (ValueError for a week that does not exist)."""
    report = reports.weekly_for(ex, who, week or current_week())
    if who.unit is not None:  # an approver: its own unit's row
        report = dict(report, rows=[r for r in report["rows"] if r["unit"] == who.unit.code])
    return report


WEEKLY_COLUMNS = (
    ("unit", N_("Unit code")), ("name", N_("Unit")), ("sent", N_("Sent")), ("approved", N_("Approved")),
    ("published", N_("Published")), ("accepted", N_("Published")), ("rejected", N_("Rejected")),
    ("withdrawn", N_("Withdrawn")), ("pending", N_("Pending")), ("met", N_("Met (3 or more a week)")),
)


def weekly_table(report: dict, gettext: Gettext) -> tuple[list[str], list[list[Any]]]:
    """The report's rows as a table in the reader's language: the columns the exchange's report has."""
    rows = report.get("rows", [])
    keys: list[tuple[str, str]] = []
    for key, label in WEEKLY_COLUMNS:
        if key == "accepted" and any(k == "published" for k, _l in keys):
            continue  # the older name of `published`
        if rows and all(key in r for r in rows) or (not rows and key in ("unit", "name", "sent", "met")):
            keys.append((key, label))
    headers = [gettext(label) for _k, label in keys]
    table = []
    for r in rows:
        table.append([(gettext(YES) if r[k] else gettext(NO)) if k == "met" else r[k] for k, _l in keys])
    return headers, table


# -- the column freshness report (issue 15 §3: exchange/columns.py) ------------------------------------
FRESHNESS_STATES = {"ok": N_("up to date"), "due_soon": N_("about to go stale"), "overdue": N_("stale")}
COLUMN_KINDS = {"news": N_("news and dynamic"), "notice": N_("notices and policy documents"), "other": N_("other")}
FRESHNESS_COLUMNS = (N_("Column"), N_("Type"), N_("Limit (days)"), N_("Last published"), N_("Published by"),
                     N_("Days since"), N_("Days left"), N_("State"), N_("Published this quarter"))


def freshness(ex: Exchange, who: Principal, quarter: str | None, lang: str, gettext: Gettext) -> dict:
    """The column report as the API gives it (columns.column_report, the same scope: an approver sees its
    unit's columns), with its rows in the reader's words. ValueError for a quarter that is not YYYY-Qn."""
    from hnsubmit.exchange.columns import column_report
    from hnsubmit.exchange.context import utcnow

    scope = who.unit.code if who.role not in ("reviewer", "admin") and who.unit is not None else None
    report = column_report(ex.storage, quarter or None, utcnow(), scope)
    rows = []
    for r in report["rows"]:
        last = r.get("last") or {}
        rows.append({
            "name": r["name"]["zh" if lang == "zh" else "en"], "kind": gettext(COLUMN_KINDS.get(r["kind"], r["kind"])),
            "max_days": r["max_days"], "last_title": last.get("title", ""), "last_at": local_time(last.get("published_at")),
            "last_unit": last.get("unit_name", ""), "days_since": r["days_since"], "days_left": r["days_left"],
            "state": r["state"], "state_name": gettext(FRESHNESS_STATES.get(r["state"], r["state"])),
            "quarter_published": r["quarter_published"],
        })
    return {"quarter": report["quarter"], "as_of": report["as_of"], "totals": report["totals"], "rows": rows}


def freshness_table(report: dict, gettext: Gettext) -> tuple[list[str], list[list[Any]]]:
    headers = [gettext(h) for h in FRESHNESS_COLUMNS]
    table = [[r["name"], r["kind"], r["max_days"], (f"{r['last_title']} ({r['last_at']})" if r["last_title"] else "—"),
              r["last_unit"] or "—", "—" if r["days_since"] is None else r["days_since"],
              "—" if r["days_left"] is None else r["days_left"], r["state_name"], r["quarter_published"]]
             for r in report["rows"]]
    return headers, table
