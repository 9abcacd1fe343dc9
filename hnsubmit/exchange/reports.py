"""The office's supervision tables (督查通报, 考核): per unit and period, what it sent, what its leader
approved, what the portal published (采用) and rejected, the adoption rate and the office's points.

A period is an ISO week (Asia/Shanghai) or a quarter of them (weeks.quarter_weeks: the weeks whose
Thursday falls in the quarter), so a quarter is exactly the sum of its weeks.  The points come from
the exchange's policy, section [scoring] (policy/default.toml: the office sets them):
    score = weekly_minimum × weeks with ≥ 3 approved items (五(四))
          + per_published × published + per_rejected × rejected.

"Approved" (五(二): 经本单位责任领导审批): an item the unit's approver accepted (its history has an
`approver:` entry moving it on), or, where no approver step applies (approval = "declared"), an item
that carries its leader's declared approval in the manifest and never waited for an approver.  An item
still awaiting approval, or returned by the approver, is sent but not approved.

Rows are plain JSON-shaped dicts (the protocol's answer, §6): the command line renders the same
shape whether it read the data folder or the HTTP API (render/reports.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from hnsubmit.exchange.auth import Principal
from hnsubmit.exchange.context import Exchange
from hnsubmit.exchange.store.storage import Submission, SubmissionFilter
from hnsubmit.policy.model import Policy
from hnsubmit.exchange.weeks import current_quarter, current_week, quarter_bounds, quarter_weeks, week_bounds, week_of

# 五(四): 每周至少报送3条以上信息
REQUIRED_PER_WEEK = 3
# the states of an item that never reached the office's queue because the unit's approver holds it
# (issue 15 §2; absent from an exchange without the approver step, which is fine: no item has them)
BEFORE_APPROVAL = ("awaiting_approval", "returned")
PAGE = 1000


@dataclass
class _Tally:
    sent: int = 0
    approved: int = 0
    published: int = 0
    rejected: int = 0
    withdrawn: int = 0
    pending: int = 0  # with the office: received or in review
    awaiting: int = 0  # with the unit's approver
    approved_by_week: dict[str, int] = field(default_factory=dict)


def _approved(ex: Exchange, s: Submission) -> bool:
    """Whether the unit's leader approved the item (module docstring)."""
    if s.state in BEFORE_APPROVAL:
        return False
    if s.state != "withdrawn":
        # received, in review, published, rejected: only an approved item reaches the office's queue
        # (in declared mode every manifest carries the approval the protocol requires)
        return True
    history = ex.storage.history(s.submission_id)
    if any(t.by.startswith("approver:") and t.to_state not in BEFORE_APPROVAL for t in history):
        return True
    if any(t.to_state in BEFORE_APPROVAL for t in history):
        return False  # withdrawn while its approver still held it
    try:
        approval = json.loads(s.manifest_json).get("approval") or {}
    except (ValueError, AttributeError):
        return False
    return bool(isinstance(approval, dict) and approval.get("approver"))


def _tallies(ex: Exchange, weeks: list[str], only_unit: str | None) -> dict[str, _Tally]:
    """Every item received in the weeks, counted per unit: the store's per-week counts (one grouped index
    search a week), then the few items outside the office's queue — withdrawn, awaiting approval,
    returned — read one by one (an indexed search by state), since only they need a closer look."""
    out: dict[str, _Tally] = {}
    first, last = week_bounds(weeks[0])[0], week_bounds(weeks[-1])[1]
    for week in weeks:
        for c in ex.storage.weekly_counts(*week_bounds(week)):
            if only_unit is not None and c.unit != only_unit:
                continue
            t = out.setdefault(c.unit, _Tally())
            t.sent += c.sent
            t.published += c.accepted
            t.rejected += c.rejected
            t.withdrawn += c.withdrawn
            t.pending += c.pending
            # received, in review, published, rejected: only an approved item reaches the office's queue
            office = c.pending + c.accepted + c.rejected
            t.approved += office
            t.approved_by_week[week] = t.approved_by_week.get(week, 0) + office
    for state in ("withdrawn", *BEFORE_APPROVAL):
        offset = 0
        while True:
            items, total = ex.storage.list_submissions(SubmissionFilter(only_unit, state, first, last, PAGE, offset))
            for s in items:
                t = out.setdefault(s.unit, _Tally())
                t.awaiting += s.state == "awaiting_approval"
                if s.state == "withdrawn" and _approved(ex, s):
                    t.approved += 1
                    week = week_of(s.received_at)
                    t.approved_by_week[week] = t.approved_by_week.get(week, 0) + 1
            offset += len(items)
            if not items or offset >= total:
                break
    return out


def _points(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(float(value), 2)


def _rows(ex: Exchange, weeks: list[str], only_unit: str | None, scoring) -> list[dict]:
    tallies = _tallies(ex, weeks, only_unit)
    rows = []
    for unit in ex.storage.list_units():
        t = tallies.get(unit.code, _Tally())
        # a disabled unit is listed only for periods it still sent something in
        if (not unit.active and t.sent == 0) or (only_unit is not None and unit.code != only_unit):
            continue
        weeks_met = sum(1 for w in weeks if t.approved_by_week.get(w, 0) >= REQUIRED_PER_WEEK)
        score = scoring.weekly_minimum * weeks_met + scoring.per_published * t.published + scoring.per_rejected * t.rejected
        rows.append({
            "unit": unit.code, "name": unit.name, "sent": t.sent, "approved": t.approved, "published": t.published,
            "accepted": t.published,  # the protocol's older name of `published`, kept for older clients
            "rejected": t.rejected, "withdrawn": t.withdrawn, "pending": t.pending, "awaiting_approval": t.awaiting,
            "adoption_rate": round(t.published / t.sent, 4) if t.sent else None,
            "weeks_met": weeks_met, "met": weeks_met == len(weeks), "score": _points(score),
        })
    return rows


def _scoring(s) -> dict:
    return {"weekly_minimum": _points(s.weekly_minimum), "per_published": _points(s.per_published),
            "per_rejected": _points(s.per_rejected)}


def weekly(ex: Exchange, week: str | None = None, only_unit: str | None = None, policy: Policy | None = None) -> dict:
    """The report of an ISO week (Asia/Shanghai); ValueError for a week that does not exist.  The points
    follow `policy`'s [scoring], else the exchange's policy."""
    week = week or current_week()
    start, end = week_bounds(week)
    scoring = (policy or ex.policy).scoring
    return {"week": week, "start": start, "end": end, "required_per_week": REQUIRED_PER_WEEK,
            "scoring": _scoring(scoring), "rows": _rows(ex, [week], only_unit, scoring)}


def quarter(ex: Exchange, name: str | None = None, only_unit: str | None = None, policy: Policy | None = None) -> dict:
    """The report of a quarter (2026-Q4: its ISO weeks); ValueError for a malformed quarter."""
    name = name or current_quarter()
    weeks = quarter_weeks(name)
    start, end = quarter_bounds(name)
    scoring = (policy or ex.policy).scoring
    return {"quarter": name, "weeks": weeks, "start": start, "end": end, "required_per_week": REQUIRED_PER_WEEK,
            "scoring": _scoring(scoring), "rows": _rows(ex, weeks, only_unit, scoring)}


def weekly_for(ex: Exchange, who: Principal, week: str | None) -> dict:
    # a token bound to a unit sees its own row only; the office sees everyone's
    return weekly(ex, week, who.unit.code if who.unit else None)


def quarter_for(ex: Exchange, who: Principal, name: str | None) -> dict:
    return quarter(ex, name, who.unit.code if who.unit else None)
