"""Kinds 1–3: wrong words and idioms (PRF001), outdated organ names (PRF002) and expressions not
to be used (PRF003), all from the term lists through one automaton; plus 即是…又是 (PRF001), a
paired construction that no fixed string catches."""

from __future__ import annotations

import re
from typing import Iterator

from hnsubmit.checks.proofing.hits import Hit
from hnsubmit.checks.proofing.lists import Term
from hnsubmit.checks.proofing.matcher import Matcher, in_exception

# An organ's old name after 原/前 is history ("原国家工商行政管理总局"), not a mistake.
_HISTORY = ("原", "前", "旧")
# ... and so is a citation of what it issued (劳动和社会保障部令第28号, 国家工商行政管理总局关于…).
_CITATION = ("令", "〔", "[", "［", "第", "公告", "关于", "发布", "印发", "颁布", "制定", "文件")
# 即…又… where 既…又… is meant: 即 ("that is") does not pair with 又.
_JI_YOU = re.compile(r"即(是|要|有|能|可|不|为|无|在|具)([^。！？；\n]{1,30}?)又\1")


def _historical(text: str, start: int) -> bool:
    """原 or 前 before the name within its clause (原县环保局, 原国家工商行政管理总局)."""
    span = text[max(0, start - 6):start]
    for ch in reversed(span):
        if ch in _HISTORY:
            return True
        if not ("\u4e00" <= ch <= "\u9fff"):
            return False
    return False


class TermChecker:
    def __init__(self, terms: tuple[Term, ...]) -> None:
        self.terms = terms
        self.matcher = Matcher([t.wrong for t in terms])

    def check(self, text: str) -> Iterator[Hit]:
        for index, start, end in self.matcher.find(text):
            term = self.terms[index]
            if term.exceptions and in_exception(text, start, term.wrong, term.exceptions):
                continue
            if term.code == "PRF002" and (_historical(text, start) or text.startswith(_CITATION, end)):
                continue
            yield Hit(term.code, start, end, term.right, term.note, {"source": term.source})
        for m in _JI_YOU.finditer(text):
            yield Hit("PRF001", m.start(), m.start() + 1, "既", {"zh": "“既…又…”表示并列，“即”意为“就是”", "en": "既…又… pairs two things; 即 means “that is”"}, {"source": "built-in: 既…又…"})
