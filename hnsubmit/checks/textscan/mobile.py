"""Personal mobile numbers, as libphonenumber classifies them (office lines with an area code are fixed lines)."""

from __future__ import annotations


def mobile(compact: str) -> bool:
    """True for a mobile number: 11 digits 1[3-9]x in China, optionally +86/0086/86 before it, or a
    foreign mobile written with +.  0974-8512345 (area code + line) and hotlines such as 12345 are
    not mobiles."""
    digits = compact.lstrip("+")
    if not digits.isdigit() or not 11 <= len(digits) <= 15:
        return False
    # imported here, by the few texts that hold a candidate: ~30 ms every `check` would pay at start
    import phonenumbers
    from phonenumbers import PhoneNumberType

    try:
        number = phonenumbers.parse(compact, "CN")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) == PhoneNumberType.MOBILE
