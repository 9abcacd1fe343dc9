"""Bank card numbers: 16 to 19 digits, Luhn check, and an issuer prefix seen on cards in China."""

from __future__ import annotations

# Any long number passes Luhn one time in ten, so a candidate must also start like a card: 62
# (UnionPay, nearly every domestic card), 60 (older domestic debit, e.g. 6013), 95 (19-digit passbook
# cards such as 9558/95599), 4 (Visa), 51–55 and 2221–2720 (Mastercard), 35 (JCB).  This keeps
# dates, timestamps (20…) and serial numbers that merely happen to pass Luhn out.
_PREFIXES_2 = {"62", "60", "95", "51", "52", "53", "54", "55", "35"}


def _issuer_prefix(digits: str) -> bool:
    if digits[0] == "4" or digits[:2] in _PREFIXES_2:
        return True
    return 2221 <= int(digits[:4]) <= 2720


def bank_card(compact: str) -> bool:
    if not (16 <= len(compact) <= 19 and compact.isdigit()):
        return False
    # python-stdnum imported by the few texts that hold a candidate (~40 ms at start, pydoc included)
    from stdnum import luhn
    from stdnum.cn import uscc

    # An all-digit 统一社会信用代码 (18 characters, GB 32100) is an organisation's public code.
    if len(compact) == 18 and uscc.is_valid(compact):
        return False
    return _issuer_prefix(compact) and luhn.is_valid(compact)
