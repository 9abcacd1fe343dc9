"""The eight kinds of content of 南政办〔2015〕86号 三, with the short codes of the exchange protocol."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str  # the id used in submission.toml and in the manifest (docs/protocol.md §4)
    number: int  # 三(一) … 三(八)
    zh: str
    en: str

    @property
    def clause(self) -> str:
        return f"三({NUMERALS[self.number - 1]})"


NUMERALS = "一二三四五六七八"

CATEGORIES: tuple[Category, ...] = (
    Category("implementation", 1, "方针政策贯彻落实情况", "implementation of policies and higher-level decisions"),
    Category("meetings", 2, "领导讲话、重要会议和重大活动", "leaders' speeches, major meetings and events"),
    Category("visits", 3, "领导及各界人士政务活动", "official visits by leaders and public figures"),
    Category("regulations", 4, "法规政策、规章制度、文件材料和办事流程", "laws, rules, documents and procedures"),
    Category("services", 5, "办事指南、招商引资、便民服务和公告公示", "office guides, investment, public services and notices"),
    Category("development", 6, "经济社会发展工作情况", "economic and social development"),
    Category("experience", 7, "新思路新经验、调研报告和成绩荣誉", "new approaches, research reports and achievements"),
    Category("other", 8, "其他新闻报道、影音和文件材料", "other news, audio-visual and documents"),
)

BY_CODE = {c.code: c for c in CATEGORIES}


def _key(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().lower()


_ALIASES: dict[str, Category] = {}
for _c in CATEGORIES:
    for _alias in (_c.code, str(_c.number), NUMERALS[_c.number - 1], _c.zh, _c.clause):
        _ALIASES[_key(_alias)] = _c


def lookup(value: object) -> Category | None:
    """The category a liaison meant: its code, its number (2 or 二), its clause (三(二)) or its name."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return _ALIASES.get(_key(str(value)))


def choices() -> dict[str, str]:
    """The accepted codes with their names, for messages."""
    return {
        "zh": ";".join(f"{c.code}({c.clause} {c.zh})" for c in CATEGORIES),
        "en": "; ".join(f"{c.code} ({c.clause} {c.en})" for c in CATEGORIES),
    }
