"""Column freshness (栏目更新): the kinds of column, their default thresholds, and a column's state.

The 2019 national inspection indicators (《政府网站与政务新媒体检查指标》) fail a whole portal — a single
veto — when its news and dynamic columns (动态、要闻类) go more than 2 weeks, or its notices and policy
documents (通知公告、政策文件类) more than 6 months, without an update. Every other column gets a year,
our own starting point. The office sets each column's kind and days (`admin column set`).

A column is "about to go stale" (即将超期) when at most a fifth of its threshold is left, and never less
than 3 days: 3 days of 14, 36 of 180, 73 of 365.
"""

from __future__ import annotations

import math
from datetime import date

KINDS = ("news", "notice", "other")
DEFAULT_MAX_DAYS = {"news": 14, "notice": 180, "other": 365}
MAX_DAYS_LIMIT = 3660  # ten years: a larger figure is a typo
STATES = ("ok", "due_soon", "overdue")  # 正常 / 即将超期 / 已超期


def freshness_problem(kind: object, max_days: object) -> str | None:
    """Why a kind and threshold cannot be stored (English, for the seed's error), or None."""
    if kind not in KINDS:
        return f"kind must be one of {', '.join(KINDS)}"
    if isinstance(max_days, bool) or not isinstance(max_days, int) or not 1 <= max_days <= MAX_DAYS_LIMIT:
        return f"max_days must be a whole number of days from 1 to {MAX_DAYS_LIMIT}"
    return None


def warning_days(max_days: int) -> int:
    """How many days before its limit a column is about to go stale: a fifth of it, at least 3."""
    return max(3, math.ceil(max_days / 5))


def column_state(max_days: int, last: date | None, today: date) -> tuple[str, int | None, int | None]:
    """(state, days since the last published item, days left before the limit); a column never updated
    is overdue (an empty column counts as not updated), with no days."""
    if last is None:
        return "overdue", None, None
    since = max(0, (today - last).days)
    left = max_days - since
    if left < 0:
        return "overdue", since, left
    if left <= warning_days(max_days):
        return "due_soon", since, left
    return "ok", since, left
