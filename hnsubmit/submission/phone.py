"""Is the liaison's phone a number the office can call?  A mainland fixed line (0974 海南州 or any
other area code) or a mobile number; parsed and validated by phonenumbers, never by a regex."""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumberType

CALLABLE = {PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def phone_problem(raw: str) -> dict[str, str] | None:
    """Why `raw` is not a callable phone number (bilingual), or None when it is one."""
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return {"zh": "无法识别为电话号码", "en": "it cannot be read as a phone number"}
    if phonenumbers.region_code_for_number(number) not in ("CN", None):
        return {"zh": "不是中国大陆的电话号码", "en": "it is not a mainland China number"}
    if not phonenumbers.is_valid_number(number):
        return {"zh": "号码位数或区号不正确", "en": "the number of digits or the area code is wrong"}
    if phonenumbers.number_type(number) not in CALLABLE:
        return {"zh": "应为固定电话或手机号码(不接受 400/800 等服务号码)", "en": "expected a fixed line or a mobile number (not a 400/800 service number)"}
    return None
