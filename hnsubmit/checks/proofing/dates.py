"""Kind 4 (PRF004): a date that does not exist (2026年2月30日, 二〇二六年二月三十日) and a weekday
that contradicts its date (2026年12月6日(星期一)).  Without a year only day-of-month is judged
(2月30日 never exists; 2月29日 might)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Iterator

from hnsubmit.checks.proofing.hits import Hit

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "〇○零Ｏ一二三四五六七八九十"
_NUM = rf"(?:\d{{1,4}}|[０-９]{{1,4}}|[{_CN}]{{1,4}})"
_DATE = re.compile(
    rf"(?<![\d０-９{_CN}])(?:(?P<y>\d{{4}}|[０-９]{{4}}|[〇○零Ｏ一二三四五六七八九]{{4}})\s*年\s*)?"
    rf"(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*[日号]"
    r"(?P<wk>\s*[（(]?\s*(?:星期|礼拜|周)(?P<w>[一二三四五六日天])\s*[）)]?)?"
)
_WEEKDAYS = "一二三四五六日"


def _cn_number(s: str) -> int | None:
    """二十八 → 28, 三十一 → 31, 十二 → 12; digit by digit for years (二〇二六)."""
    if "十" in s:
        tens, _, ones = s.partition("十")
        if len(tens) > 1 or len(ones) > 1:
            return None
        t = _CN_DIGITS.get(tens, None) if tens else 1
        o = _CN_DIGITS.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    value = 0
    for ch in s:
        if ch not in _CN_DIGITS:
            return None
        value = value * 10 + _CN_DIGITS[ch]
    return value


def _number(s: str) -> int | None:
    s = s.translate({0xFF10 + i: ord("0") + i for i in range(10)})
    return int(s) if s.isdigit() else _cn_number(s)


def check(text: str) -> Iterator[Hit]:
    if "月" not in text:
        return
    for m in _DATE.finditer(text):
        month, day = _number(m.group("m")), _number(m.group("d"))
        year = _number(m.group("y")) if m.group("y") else None
        if year is not None and not 1 <= year <= 9999:  # 0000年: no calendar to judge it by
            year = None
        if month is None or day is None:
            continue
        if not 1 <= month <= 12 or day < 1:
            yield Hit("PRF004", m.start(), m.end("d") + 1, {"zh": "核对日期：没有这一天", "en": "check the date: there is no such day"})
            continue
        days = calendar.monthrange(year if year else 2024, month)[1]  # 2024: a leap year allows 2月29日
        if day > days:
            yield Hit("PRF004", m.start(), m.end("d") + 1, {"zh": f"核对日期：{month}月只有{days}天", "en": f"check the date: that month has {days} days"})
            continue
        if year and m.group("w") and 1900 <= year <= 2200:
            actual = _WEEKDAYS[dt.date(year, month, day).weekday()]
            written = "日" if m.group("w") == "天" else m.group("w")
            if actual != written:
                yield Hit("PRF004", m.start(), m.end(), {"zh": f"{year}年{month}月{day}日是星期{actual}", "en": f"{year}-{month:02d}-{day:02d} is a {dt.date(year, month, day):%A}"})
