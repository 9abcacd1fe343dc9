"""Classification marks (GB/T 9704 密级 and 保密期限) and the "internal only" stamps, as marks, not as words.

A mark is what a document carries in its corner: "机密★1年", "秘密★", "绝密★启用前", "密级:秘密",
"【内部资料】", "内部资料 注意保存".  The same words inside a sentence are not marks: "保守国家秘密",
"数据的机密性", "请注意保存受理回执", "不宜公开的经济信息" (the wording of the rules themselves), so:

* 绝密/机密/秘密 count when followed by ★ or ☆ (the star GB/T 9704 prescribes between the level and the
  period), after "密级:", inside brackets, or alone on their line;
* 内部资料/内部文件/注意保存/不宜公开 count inside brackets, next to a star, next to one another or
  to a companion ("内部资料,注意保存", "内部文件 请勿外传"), or alone on their line (a stamp in a
  header, a text box, a cover page).  A companion (仅供参考, 请勿外传 …) alone is no mark.
"""

from __future__ import annotations

import re

LEVELS = "绝密|机密|秘密"
PHRASES = "内部资料|内部文件|注意保存|不宜公开"
# Words that go with a stamp ("内部资料 仅供参考", "内部文件,请勿外传") but are no mark on their own.
COMPANIONS = "仅供参考|请勿外传|严禁外传|不得外传|注意保密|妥善保管"
_ANY = f"{LEVELS}|{PHRASES}"
_ALL = f"{_ANY}|{COMPANIONS}"
_OPEN = re.escape("【[(〔「『<《〈")
_CLOSE = re.escape("】])〕」』>》〉")
_PERIOD = r"(?:\s*(?:启用前|长期|[0-9一二三四五六七八九十两]+\s*(?:年|个月|月|天|日)))?"
_JOIN = r"[\s,,、;;·•/]{0,3}"

_INLINE = re.compile(
    "|".join(
        [
            rf"(?:{LEVELS})\s*[★☆]{_PERIOD}",
            rf"密级\s*[::]?\s*[{_OPEN}]?\s*(?:{LEVELS})(?:\s*[★☆]{_PERIOD})?\s*[{_CLOSE}]?",
            rf"[{_OPEN}]\s*(?:{_ANY})\s*[{_CLOSE}]",
            rf"[★☆]\s*(?:{PHRASES})|(?:{PHRASES})\s*[★☆]",
            rf"(?:{PHRASES}){_JOIN}(?:{PHRASES}|{COMPANIONS})",
            rf"(?:{COMPANIONS}){_JOIN}(?:{PHRASES})",
        ]
    )
)
# A line that holds nothing but marks and their companions (and punctuation or stars around them).
_ALONE = re.compile(rf"^[\W_]*(?:{_ALL})(?:[\W_]*(?:{_ALL}))*[\W_]*$")
_WORD = re.compile(_ALL)
_MARK_WORD = re.compile(_ANY)
_LINE = re.compile(r"[^\n]+")


def find_marks(folded: str) -> list[tuple[int, int]]:
    """Spans of classification marks in width-folded text, overlapping spans merged."""
    spans = [(m.start(), m.end()) for m in _INLINE.finditer(folded)]
    for line in _LINE.finditer(folded):
        if len(line.group()) <= 60 and _ALONE.match(line.group()) and _MARK_WORD.search(line.group()):
            words = list(_WORD.finditer(line.group()))
            spans.append((line.start() + words[0].start(), line.start() + words[-1].end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
