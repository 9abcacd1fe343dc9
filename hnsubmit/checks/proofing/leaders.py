"""Kind 7: leaders' names and titles against the office's list (姓名,职务).

PRF007: a listed name right next to a title that is not the person's (李四州长 when 李四 is
副州长; a shortened title is fine when it drops no 副: 州委书记 may be called 书记).
PRF008: next to a listed leader's full title, a name one character away from that leader's name
(副州长李西 when the list has 副州长 李四): a likely misspelt name.
"""

from __future__ import annotations

from typing import Iterator

from hnsubmit.checks.proofing.hits import Hit
from hnsubmit.checks.proofing.lists import Leader
from hnsubmit.checks.proofing.matcher import Matcher

# Title words a name may stand next to, besides the listed leaders' own titles.
GENERIC_TITLES = (
    "书记", "副书记", "州长", "副州长", "县长", "副县长", "市长", "副市长", "省长", "副省长", "区长", "副区长",
    "乡长", "副乡长", "镇长", "副镇长", "主任", "副主任", "局长", "副局长", "部长", "副部长", "厅长", "副厅长",
    "主席", "副主席", "秘书长", "副秘书长", "院长", "副院长", "检察长", "副检察长", "庭长", "委员", "常委",
    "州委书记", "县委书记", "州委副书记", "县委副书记", "政协主席", "人大常委会主任", "调研员", "巡视员", "处长", "科长",
)


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def title_fits(found: str, titles: tuple[str, ...]) -> bool:
    """Is `found` one of `titles`, or a shortening that keeps its rank (书记 for 州委书记, not 书记 for 州委副书记)?"""
    for title in titles:
        if found == title:
            return True
        if title.endswith(found) and not title[: -len(found)].endswith("副") and not found.startswith("副"):
            return True
    return False


class LeaderChecker:
    def __init__(self, leaders: tuple[Leader, ...]) -> None:
        self.leaders = leaders
        self.by_name = {leader.name: leader for leader in leaders}
        titles = set(GENERIC_TITLES) | {t for leader in leaders for t in leader.titles}
        self.titles = sorted(titles, key=len, reverse=True)
        # A two-character name is often padded to the width of three in documents (李　四, 李 四).
        self.written = {leader.name: leader for leader in leaders}
        for leader in leaders:
            if len(leader.name) == 2:
                for pad in ("\u3000", " ", "  "):
                    self.written.setdefault(leader.name[0] + pad + leader.name[1], leader)
        self.names = Matcher(list(self.written))
        full = sorted({t for leader in leaders for t in leader.titles})
        self.full_titles = full
        self.title_matcher = Matcher(full)

    def _title_after(self, text: str, end: int) -> str:
        return next((t for t in self.titles if text.startswith(t, end)), "")

    def _title_before(self, text: str, start: int) -> str:
        return next((t for t in self.titles if start >= len(t) and text.startswith(t, start - len(t))), "")

    def check(self, text: str) -> Iterator[Hit]:
        if not self.leaders:
            return
        yield from self._wrong_titles(text)
        yield from self._misspelt_names(text)

    def _wrong_titles(self, text: str) -> Iterator[Hit]:
        for index, start, end in self.names.find(text):
            leader = self.written[self.names.patterns[index]]
            own = "、".join(leader.titles)
            after = self._title_after(text, end)
            if after and not title_fits(after, leader.titles):
                yield Hit("PRF007", start, end + len(after), leader.name + leader.titles[0],
                          {"zh": f"名单中{leader.name}的职务是{own}", "en": f"the list gives {leader.name}'s title as {own}"},
                          {"source": leader.source})
                continue
            before = self._title_before(text, start)
            # "副州长李四" : the title before must not just be the tail of a longer one ("州委副书记、州长")
            if before and not title_fits(before, leader.titles):
                yield Hit("PRF007", start - len(before), end, leader.titles[0] + leader.name,
                          {"zh": f"名单中{leader.name}的职务是{own}", "en": f"the list gives {leader.name}'s title as {own}"},
                          {"source": leader.source})

    def _misspelt_names(self, text: str) -> Iterator[Hit]:
        for index, start, end in self.title_matcher.find(text):
            title = self.title_matcher.patterns[index]
            for leader in self.leaders:
                if title not in leader.titles:
                    continue
                n = len(leader.name)
                for a, b in ((end, end + n), (start - n, start)):
                    if a < 0 or b > len(text):
                        continue
                    candidate = text[a:b]
                    if candidate == leader.name or candidate in self.by_name or not all(_han(c) for c in candidate):
                        continue
                    if sum(x != y for x, y in zip(candidate, leader.name)) == 1:
                        yield Hit("PRF008", a, b, leader.name,
                                  {"zh": f"名单中的{title}是{leader.name}", "en": f"the list's {title} is {leader.name}"},
                                  {"source": leader.source})
