"""Judge the phone numbers of a guide as people type them: area-code form, several per field, short hotlines.

海南州's area code is 0974 and local numbers have 7 digits; a landline without its area code cannot be
dialled from outside the prefecture.  Government hotlines (12345, 12315, 12348 …) are short numbers,
valid as such.  phonenumbers does the judging; this module only splits and cleans what was typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from hnsubmit.guide.normalise import half_width

SEPARATORS = re.compile(r"[、,，;；/|\n]|或|和|及")
NUMBER_RUN = re.compile(r"\+?[\d][\d\- ()]*\d|\d")


@dataclass(frozen=True)
class PhoneProblem:
    number: str
    reason: dict[str, str]


def numbers_in(text: str) -> list[str]:
    """Each number written in a phone field ("0974-8512345、12345" → two), as typed after normalising."""
    out = []
    for piece in SEPARATORS.split(half_width(text)):
        runs = NUMBER_RUN.findall(piece.replace("(", " (").replace(")", ") "))
        digits = [r for r in runs if sum(ch.isdigit() for ch in r) >= 3]
        if digits:
            out.append(max(digits, key=len).strip())
        elif piece.strip():
            out.append(piece.strip())
    return out


def judged(text: str) -> list[PhoneProblem]:
    """problems(text), once per text for a run: a batch repeats its hotlines row after row."""
    return [PhoneProblem(p.number, dict(p.reason)) for p in _problems(text)]


@lru_cache(maxsize=4096)
def _problems(text: str) -> tuple[PhoneProblem, ...]:
    return tuple(problems(text))


def problems(text: str, region: str = "CN") -> list[PhoneProblem]:
    import phonenumbers
    from phonenumbers import shortnumberinfo

    found = numbers_in(text)
    if not found:
        return [PhoneProblem(text, {"zh": "没有电话号码", "en": "no phone number"})]
    out = []
    for number in found:
        digits = re.sub(r"[^\d+]", "", number)
        if not re.fullmatch(r"\+?\d{3,15}", digits):
            out.append(PhoneProblem(number, {"zh": "不是电话号码", "en": "not a phone number"}))
            continue
        try:
            parsed = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            out.append(PhoneProblem(number, {"zh": "不是电话号码", "en": "not a phone number"}))
            continue
        if len(digits) <= 6:
            if not shortnumberinfo.is_valid_short_number_for_region(parsed, region):
                out.append(PhoneProblem(number, {"zh": "不是有效的服务短号", "en": "not a valid short service number"}))
            continue
        if phonenumbers.is_valid_number(parsed):
            landline = phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.FIXED_LINE
            if landline and not digits.startswith(("0", "+")):
                # "9748512345": the 0 before the area code was lost (a number-formatted Excel cell)
                cut = phonenumbers.length_of_geographical_area_code(parsed) or 3
                fixed = f"0{digits[:cut]}-{digits[cut:]}"
                out.append(PhoneProblem(number, {"zh": f"区号前缺少 0,应写成 {fixed}",
                                                 "en": f"the 0 before the area code is missing; write {fixed}"}))
            continue
        if not digits.startswith(("0", "1", "+")) and len(digits) in (7, 8):
            reason = {"zh": "缺少区号,应写成 0974-" + digits + " 这样的形式", "en": f"no area code; write it as 0974-{digits}"}
        else:
            reason = {"zh": "号码位数或区号不正确", "en": "wrong length or area code"}
        out.append(PhoneProblem(number, reason))
    return out
