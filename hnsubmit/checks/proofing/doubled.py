"""Kind 5 (PRF005): a function word written twice by slip (的的, 了了, 是是), not the legitimate
reduplications and idioms around them (的的确确, 目的的, 不了了之, 是是非非, 关键是是否)."""

from __future__ import annotations

import re
from typing import Iterator

from hnsubmit.checks.proofing.hits import Hit
from hnsubmit.checks.proofing.matcher import in_exception

# doubled character → contexts that hold it legitimately
DOUBLES: dict[str, tuple[str, ...]] = {
    "的的": ("的的确确", "的的确", "目的的", "标的的", "有的的确"),
    "了了": ("不了了之", "小时了了", "了了心", "了了一", "了了这", "了了那", "了了此", "了了多年", "明了了", "了了却"),
    "是是": ("是是非非", "是是非", "是是否", "是是不是"),
    "和和": ("和和美美", "和和气气", "和和睦睦"),
    "与与": (),
    "就就": ("成就就", "迁就就", "造就就"),
    "把把": ("一把把", "把把关", "把把脉"),
    "被被": ("被被子", "被被褥"),
    "并并": ("合并并", "兼并并"),
    "及及": ("及及时",),
    "或或": (),
    "也也": (),
    "将将": ("将将就", "大将将", "主将将"),
    "向向": ("方向向", "导向向", "动向向", "意向向", "走向向", "转向向", "趋向向", "倾向向", "取向向", "面向向"),
}
_PATTERN = re.compile("|".join(DOUBLES))


def check(text: str) -> Iterator[Hit]:
    for m in _PATTERN.finditer(text):
        pair = m.group()
        if in_exception(text, m.start(), pair, DOUBLES[pair]):
            continue
        yield Hit("PRF005", m.start(), m.end(), pair[0])
