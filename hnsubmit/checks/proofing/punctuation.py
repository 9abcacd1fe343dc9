"""Kind 6 (PRF006): half-width , ; : ? ! between Chinese characters in a paragraph that otherwise
uses full-width marks, doubled punctuation (，，
。。 — not …… and ——, which are written double), and brackets or quotation marks left open or
closed without a partner (“” 《》 （） () 【】) within one paragraph."""

from __future__ import annotations

import re
from typing import Iterator

from hnsubmit.checks.proofing.hits import Hit

_HAN = r"[\u4e00-\u9fff]"
_HAN_RE = re.compile(_HAN)
_HALF = re.compile(rf"(?<={_HAN})[,;:?!](?={_HAN})")
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_DOUBLE = re.compile(r"([，。、；：？！,])\1+|[，、；：][。，、；]|。[，、；：]")
_PAIRS = {"“": "”", "《": "》", "（": "）", "(": ")", "【": "】"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
# Named, not written: a suggestion (and the proof copy's comment) must not itself be unbalanced.
_NAMES = {
    "“": ("左引号", "opening quotation mark"), "”": ("右引号", "closing quotation mark"),
    "《": ("左书名号", "opening title mark"), "》": ("右书名号", "closing title mark"),
    "（": ("左括号", "opening bracket"), "）": ("右括号", "closing bracket"),
    "(": ("左括号", "opening bracket"), ")": ("右括号", "closing bracket"),
    "【": ("左方头括号", "opening square bracket"), "】": ("右方头括号", "closing square bracket"),
}


def _fix(missing: str, stray: str) -> dict[str, str]:
    return {"zh": f"补上配对的{_NAMES[missing][0]}，或删去多余的{_NAMES[stray][0]}",
            "en": f"add the matching {_NAMES[missing][1]} or delete the stray {_NAMES[stray][1]}"}
# "1）" "一)" "a)" at the start of a paragraph or after a space numbers an item: a lone closer is fine.
_ITEM = re.compile(r"(?:^|(?<=[\s：:。；]))[0-9０-９a-zA-Z一二三四五六七八九十]{1,3}[)）]")


def check(text: str) -> Iterator[Hit]:
    # Only where the paragraph otherwise uses Chinese punctuation: a half-width mark there is a slip
    # of the input method.  A paragraph typed throughout with half-width marks is left alone.
    mixed = any(c in text for c in "，；：？！")
    for m in (_HALF.finditer(text) if mixed else ()):
        full = _FULL[m.group()]
        yield Hit("PRF006", m.start(), m.end(), {"zh": f"改为全角“{full}”", "en": f"use the full-width “{full}”"},
                  {"zh": "汉字之间用了半角标点", "en": "half-width punctuation between Chinese characters"})
    for m in _DOUBLE.finditer(text):
        keep = m.group()[-1] if m.group()[0] != "。" else "。"
        yield Hit("PRF006", m.start(), m.end(), {"zh": f"只保留“{keep}”", "en": f"keep only “{keep}”"},
                  {"zh": "标点重复", "en": "doubled punctuation"})
    yield from _unbalanced(text)


def _unbalanced(text: str) -> Iterator[Hit]:
    # Chinese text only: an English paragraph's brackets are not ours to judge.
    if not any(c in text for c in "“”《》（）()【】") or not _HAN_RE.search(text):
        return
    items = {m.end() - 1 for m in _ITEM.finditer(text)}
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in _PAIRS:
            stack.append((ch, i))
        elif ch in _CLOSERS:
            if stack and stack[-1][0] == _CLOSERS[ch]:
                stack.pop()
            elif i in items:
                continue
            elif any(opener == _CLOSERS[ch] for opener, _ in stack):
                # an inner opener was left open: report it, close through to the partner
                while stack and stack[-1][0] != _CLOSERS[ch]:
                    opener, at = stack.pop()
                    yield _open(opener, at)
                stack.pop()
            else:
                yield Hit("PRF006", i, i + 1, _fix(_CLOSERS[ch], ch),
                          {"zh": "括号或引号不成对", "en": "unbalanced brackets or quotation marks"})
    for opener, at in stack:
        yield _open(opener, at)


def _open(opener: str, at: int) -> Hit:
    closer = _PAIRS[opener]
    return Hit("PRF006", at, at + 1, _fix(closer, opener),
               {"zh": "括号或引号不成对", "en": "unbalanced brackets or quotation marks"})
