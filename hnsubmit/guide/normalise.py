"""Normalise values as liaisons type them (full-width digits, em-dashes, 是/否, "20个工作日") before judging.

Real guides carry full-width digits, em-dashes and placeholders ("无", "—", "暂无", "详见…"): these
functions turn a value into what it means, or say it is a placeholder, so that rules judge the
meaning and not the typing.  Free text is only stripped: its punctuation is the author's.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

# Dash-like characters Word and WPS produce for "-" in phone numbers and ranges.
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc"
_DASH_TABLE = str.maketrans({ch: "-" for ch in DASHES})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

# Placeholders seen in published guides where a real value belongs.
PLACEHOLDERS = frozenset(
    {"无", "暂无", "没有", "空", "略", "待定", "待补充", "未定", "不详", "见附件", "另行通知", "null", "none", "n/a", "na", "/", "\\", "-", "--", "?", "？"}
)
PLACEHOLDER_PREFIXES = ("详见", "参见", "见附件", "请见", "具体见", "具体详见")

# "1." "1、" "(1)" "（一）" "一、" "①" at the start of a numbered item.
NUMBERING = re.compile(
    r"^\s*(?:\d{1,3}\s*[.、．:：)）]|[（(]\s*\d{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*、|[（(][一二三四五六七八九十]{1,3}[)）]|[①-⑳])\s*"
)
TIME_LIMIT = re.compile(r"^(?P<n>\d{1,5})\s*(?P<unit>个?\s*(?:工作日|自然日|日|天))?$")
IMMEDIATE = ("当场办结", "即时办结", "立即办结", "即办", "当场", "即时")
TRUE = frozenset({"是", "true", "yes", "y", "1", "对", "有", "收费", "支持", "√"})
FALSE = frozenset({"否", "false", "no", "n", "0", "不", "无", "不收费", "免费", "不支持", "×"})
DATE_FORMS = (
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?$"),
)


# str.translate looks every character up in a dict: a text holding none of them is passed by one search
_HAS_INVISIBLE = re.compile("[" + "".join(chr(c) for c in _INVISIBLE) + "]").search
_HAS_DASH = re.compile("[" + DASHES + "]").search


def clean_text(value: str) -> str:
    """Free text: drop invisible characters, unify line ends, strip.  Punctuation stays as written."""
    if _HAS_INVISIBLE(value):
        value = value.translate(_INVISIBLE)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.strip()


def half_width(value: str) -> str:
    """Codes, numbers, phones and URLs: full-width digits/letters to ASCII, every dash to '-'."""
    value = unicodedata.normalize("NFKC", clean_text(value))
    return value.translate(_DASH_TABLE) if _HAS_DASH(value) else value


def is_placeholder(value: object) -> bool:
    """True for "无", "—", "暂无", "详见…" and the like, and for an empty numbered item ("2、")."""
    if not isinstance(value, str):
        return False
    return _placeholder_text(value)


@lru_cache(maxsize=8192)
def _placeholder_text(value: str) -> bool:
    # cached: a batch asks it of the same hours, conditions and procedure steps row after row
    text = clean_text(value)
    if not text:
        return False
    stripped = NUMBERING.sub("", text, count=1).strip()
    if not stripped:
        return True  # an empty numbered item: "3、"
    norm = half_width(stripped).strip("。.;；,，").lower()
    if not norm or set(norm) <= set("-_—–.…·~ "):
        return True
    return norm in PLACEHOLDERS or stripped.startswith(PLACEHOLDER_PREFIXES)


def split_items(text: str) -> list[str]:
    """A numbered list typed into one cell ("1. …\\n2. …") as its items, numbering removed."""
    lines = [ln.strip() for ln in clean_text(text).split("\n")]
    items = [NUMBERING.sub("", ln, count=1).strip() for ln in lines if ln]
    return items


def split_values(text: str) -> list[str]:
    """Several values in one cell: "自然人、企业法人" or one per line."""
    return [p.strip() for p in re.split(r"[、,，;；/\n]+", clean_text(text)) if p.strip()]


def split_files(text: str) -> list[str]:
    """File references in one cell, one per line or separated by ; 、 (names may contain spaces)."""
    return [p.strip() for p in re.split(r"[;；、\n]+", clean_text(text)) if p.strip()]


def parse_time_limit(value: object) -> tuple[int, str | None] | None:
    """20 → (20, None); "20个工作日" → (20, "工作日"); "当场办结" → (0, None); anything else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value, None
    if isinstance(value, float) and value.is_integer():
        return int(value), None
    if not isinstance(value, str):
        return None
    text = half_width(value).replace(" ", "")
    if text in IMMEDIATE:
        return 0, None
    m = TIME_LIMIT.match(text)
    if not m:
        return None
    unit = m.group("unit")
    if unit:
        unit = unit.lstrip("个")
        unit = {"日": "自然日", "天": "自然日"}.get(unit, unit)
    return int(m.group("n")), unit


def parse_count(value: object) -> int | None:
    """2, "2", "2份", "2 次", "２" → 2."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{1,5})\s*[份次张本套个]?", half_width(value))
        if m:
            return int(m.group(1))
    return None


def parse_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        key = half_width(value).lower()
        if key in TRUE:
            return True
        if key in FALSE:
            return False
    return None


def parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = half_width(value).replace(" ", "")
        for form in DATE_FORMS:
            m = form.match(text)
            if m:
                try:
                    return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
                except ValueError:
                    return None
    return None


def normalise_code(value: str) -> str:
    """Codes (基本编码, 实施编码, 统一社会信用代码): half-width, no spaces, upper case."""
    return "".join(half_width(value).split()).upper()
