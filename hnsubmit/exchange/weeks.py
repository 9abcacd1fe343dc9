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
