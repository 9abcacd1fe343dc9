"""ISO weeks in Asia/Shanghai time: the period of the ≥ 3 items a week of 南政办〔2015〕86号 五(四)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")  # 海南州 keeps Beijing time
_WEEK = re.compile(r"^([0-9]{4})-W([0-9]{2})$")


def parse_week(text: str) -> tuple[int, int]:
    """'2026-W47' → (2026, 47); ValueError for anything that is not a real ISO week."""
    m = _WEEK.match(text.strip())
    if not m:
        raise ValueError(f"not an ISO week (YYYY-Www): {text!r}")
    year, week = int(m.group(1)), int(m.group(2))
    if not 1900 <= year <= 9998:  # the stores keep UTC times: year 1's first week begins before year 1 there
        raise ValueError(f"no week of the year {year} is reported: {text!r}")
    date.fromisocalendar(year, week, 1)  # raises ValueError for W00, W54, W53 in a 52-week year
    return year, week


def week_bounds(text: str) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00, Asia/Shanghai."""
    year, week = parse_week(text)
    monday = date.fromisocalendar(year, week, 1)
    start = datetime(monday.year, monday.month, monday.day, tzinfo=TZ)
    return start, start + timedelta(days=7)


def week_of(moment: datetime) -> str:
    iso = moment.astimezone(TZ).isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def current_week(now: datetime | None = None) -> str:
    from datetime import timezone

    return week_of(now or datetime.now(timezone.utc))


_QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])$")


def quarter_weeks(text: str) -> list[str]:
    """'2026-Q4' → its ISO weeks: those whose Thursday falls in October–December (the ISO rule that gives
    a week to the year of its Thursday), so every week, and every item, belongs to exactly one quarter and
    a quarter is the sum of its weeks; ValueError for anything else."""
    m = _QUARTER.match(text.strip())
    if not m:
        raise ValueError(f"not a quarter (YYYY-Qn): {text!r}")
    year, q = int(m.group(1)), int(m.group(2))
    if not 1900 <= year <= 9998:  # the stores keep UTC times: year 1's first week begins before year 1 there
        raise ValueError(f"no quarter of the year {year} is reported: {text!r}")
    first, after = date(year, 3 * q - 2, 1), date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    weeks = []
    while thursday < after:
        iso = thursday.isocalendar()
        weeks.append(f"{iso[0]:04d}-W{iso[1]:02d}")
        thursday += timedelta(days=7)
    return weeks


def quarter_bounds(text: str) -> tuple[datetime, datetime]:
    """The Monday 00:00 of a quarter's first ISO week to the Monday after its last, Asia/Shanghai."""
    weeks = quarter_weeks(text)
    return week_bounds(weeks[0])[0], week_bounds(weeks[-1])[1]


def quarter_of(moment: datetime) -> str:
    """The quarter a moment's ISO week belongs to (by the week's Thursday)."""
    local = moment.astimezone(TZ).date()
    thursday = local + timedelta(days=3 - local.weekday())
    return f"{thursday.year}-Q{(thursday.month - 1) // 3 + 1}"


def current_quarter(now: datetime | None = None) -> str:
    from datetime import timezone

    return quarter_of(now or datetime.now(timezone.utc))
