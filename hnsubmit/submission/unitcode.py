"""Does a unit code look like one?  Its shape only: the exchange server decides membership.

Accepted shapes: a 6-digit administrative division code (GB/T 2260, e.g. 632521 共和县), a
division code with a department suffix (632500-fgw, a 州直部门 inside the prefecture), or an
18-character unified social credit code (GB 32100, check digit verified by python-stdnum).
"""

from __future__ import annotations

import re

# GB/T 2260 province-level prefixes: a code that starts otherwise is a typo.
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
     61, 62, 63, 64, 65, 71, 81, 82}
)
_DIVISION = re.compile(r"^(\d{6})(?:-([a-z][a-z0-9]{1,19}))?$")


def unit_code_problem(code: str) -> dict[str, str] | None:
    """Why `code` cannot be a unit code (bilingual), or None when its shape is fine."""
    value = code.strip()
    m = _DIVISION.match(value)
    if m:
        division = m.group(1)
        if int(division[:2]) not in PROVINCES:
            return {"zh": f"行政区划代码的前两位 {division[:2]} 不是省级代码", "en": f"{division[:2]} is not a province-level prefix of a division code"}
        return None
    if len(value) == 18:
        from stdnum.cn import uscc

        if uscc.is_valid(value):
            return None
        return {"zh": "统一社会信用代码的校验位不正确", "en": "the check digit of the unified social credit code is wrong"}
    return {
        "zh": "应为 6 位行政区划代码(如 632521)、带部门后缀的代码(如 632500-fgw)或 18 位统一社会信用代码",
        "en": "expected a 6-digit division code (e.g. 632521), one with a department suffix (e.g. 632500-fgw) or an 18-character unified social credit code",
    }
