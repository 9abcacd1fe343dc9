"""The column report (栏目更新情况) and the list of expired items: pure functions of the storage.

`column_report` answers 001 第十五条(二) ("按季度通报栏目内容责任单位更新情况") and the 2019 indicators'
single veto on stale columns: each column, the units that feed it (分工表), its last published item, the
days since, its state (exchange/freshness.py) and the quarter's publications per unit. `expired_report`
lists published items past their 失效日期 (seed 003: 已经失效的文件要及时注销). Both return plain data
(str, int, list, dict; times as ISO text), the same over HTTP (GET /api/v1/reports/columns and
/reports/expired), from `--data`, and in the browser console.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

from hnsubmit.exchange.freshness import KINDS, MAX_DAYS_LIMIT, column_state, freshness_problem, warning_days
from hnsubmit.exchange.problems import ExchangeError
from hnsubmit.exchange.store.storage import Storage
from hnsubmit.exchange.weeks import TZ, current_quarter, quarter_bounds

_QUARTER = re.compile(r"^([0-9]{4})-?[Qq]([1-4])$")


def normal_quarter(text: str | None, now: datetime | None = None) -> str:
    """'2026Q4', '2026-Q4' or '2026-q4' → '2026-Q4'; None → this quarter; ValueError for anything else."""
    if text is None:
        return current_quarter(now)
    m = _QUARTER.match(text.strip())
    if not m:
        raise ValueError(f"not a quarter (YYYY-Qn): {text!r}")
    return f"{m.group(1)}-Q{m.group(2)}"


def local_today(now: datetime | None = None) -> date:
    return (now or datetime.now(timezone.utc)).astimezone(TZ).date()


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def column_report(storage: Storage, quarter: str | None = None, now: datetime | None = None,
                  unit: str | None = None) -> dict:
    """Every column's freshness as of `now` (default: now) and its publications in `quarter` (default: the
    current one); with `unit`, only that unit's columns and its own counts (what `status` shows a liaison).
    ValueError for a quarter that is not YYYY-Qn."""
    now = now or datetime.now(timezone.utc)
    quarter = normal_quarter(quarter, now)
    start, end = quarter_bounds(quarter)
    today = local_today(now)
    units = [u for u in storage.list_units() if u.active]
    names = {u.code: u.name for u in storage.list_units()}
    mine = next((u for u in units if u.code == unit), None) if unit is not None else None
    counts: dict[str, dict[str, int]] = {}
    for column_id, code, n in storage.published_counts(start, end):
        counts.setdefault(column_id, {})[code] = n
    rows = []
    for c in storage.list_columns():
        if unit is not None and (mine is None or c.id not in mine.columns):
            continue
        feeders = [{"code": u.code, "name": u.name} for u in units if c.id in u.columns]
        last = storage.last_published(c.id)
        last_out = None
        if last is not None:
            last_out = {"submission_id": last.submission_id, "title": last.title, "unit": last.unit,
                        "unit_name": names.get(last.unit, last.unit), "published_at": _iso(last.updated_at)}
            if unit is not None and last.unit != unit:
                del last_out["submission_id"]  # another unit's item: its title is public, its id is not ours
        state, since, left = column_state(c.max_days, last.updated_at.astimezone(TZ).date() if last else None, today)
        by_unit = counts.get(c.id, {})
        if unit is not None:
            by_unit = {k: v for k, v in by_unit.items() if k == unit}
        rows.append({
            "column": c.id, "name": {"zh": c.name_zh, "en": c.name_en}, "kind": c.kind, "max_days": c.max_days,
            "warning_days": warning_days(c.max_days), "units": feeders, "last": last_out,
            "days_since": since, "days_left": left, "state": state,
            "quarter_published": sum(counts.get(c.id, {}).values()) if unit is None else sum(by_unit.values()),
            "quarter_by_unit": dict(sorted(by_unit.items())),
        })
    totals = {s: sum(1 for r in rows if r["state"] == s) for s in ("ok", "due_soon", "overdue")}
    return {"as_of": today.isoformat(), "quarter": quarter, "quarter_start": start.isoformat(),
            "quarter_end": end.isoformat(), "totals": totals, "rows": rows}


def expired_report(storage: Storage, now: datetime | None = None, unit: str | None = None) -> dict:
    """Published items whose 失效日期 is before today (Asia/Shanghai), oldest first; of `unit` or all."""
    today = local_today(now)
    names = {u.code: u.name for u in storage.list_units()}
    items = []
    for s in storage.expired_published(today.isoformat(), unit):
        items.append({"submission_id": s.submission_id, "unit": s.unit, "unit_name": names.get(s.unit, s.unit),
                      "title": s.title, "column": s.column, "expires": s.expires,
                      "days_expired": (today - date.fromisoformat(s.expires)).days,
                      "published_at": _iso(s.updated_at)})
    return {"as_of": today.isoformat(), "items": items}


def set_column(storage: Storage, column_id: str, kind: str | None, max_days: int | None) -> dict:
    """The office changes a column's kind and/or threshold; a kind alone takes its default days."""
    from hnsubmit.exchange.freshness import DEFAULT_MAX_DAYS

    current = next((c for c in storage.list_columns() if c.id == column_id), None)
    if current is None:
        raise ExchangeError(404, "not_found", f"没有栏目“{column_id[:64]}”。", f"No column '{column_id[:64]}'.",
                            details={"columns": [c.id for c in storage.list_columns()]})
    if kind is None and max_days is None:
        raise ExchangeError(422, "invalid_request", "请给出栏目类型或更新期限(天)。", "Give the column's type or its days.")
    new_kind = kind if kind is not None else current.kind
    if new_kind not in KINDS:
        raise ExchangeError(422, "invalid_request", f"栏目类型须为 {'、'.join(KINDS)} 之一。",
                            f"The column type must be one of {', '.join(KINDS)}.", details={"kinds": list(KINDS)})
    days = max_days if max_days is not None else (DEFAULT_MAX_DAYS[new_kind] if kind is not None else current.max_days)
    if freshness_problem(new_kind, days):
        raise ExchangeError(422, "invalid_request", f"更新期限须为 1 到 {MAX_DAYS_LIMIT} 之间的整数天。",
                            f"The days must be a whole number from 1 to {MAX_DAYS_LIMIT}.")
    column = storage.set_column_freshness(column_id, new_kind, days)
    return column_out(column)


def column_out(c) -> dict:
    return {"id": c.id, "name": {"zh": c.name_zh, "en": c.name_en}, "description": c.description,
            "kind": c.kind, "max_days": c.max_days}
