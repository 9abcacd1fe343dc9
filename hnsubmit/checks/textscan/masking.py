"""Masked forms of what the scan finds: enough to locate it in the document, never the whole value."""

from __future__ import annotations


def _keep(value: str, first: int, last: int) -> str:
    # At least half of the characters are always hidden, whatever the length.
    hidden = max(len(value) - first - last, (len(value) + 1) // 2)
    first = min(first, (len(value) - hidden + 1) // 2)
    last = len(value) - hidden - first
    return value[:first] + "*" * hidden + (value[len(value) - last:] if last else "")


def mask_number(compact: str) -> str:
    """ID and card numbers: first 4 and last 4 (6325**********1234); shorter runs proportionally."""
    plus = "+" if compact.startswith("+") else ""
    return plus + _keep(compact.lstrip("+"), 4, 4)


def mask_mobile(compact: str) -> str:
    """Mobiles the way Chinese services print them: 138****8000 (an international prefix is kept)."""
    digits = compact.lstrip("+")
    prefix, national = "", digits
    for cc in ("0086", "86"):
        if len(digits) > 11 and digits.startswith(cc):
            prefix, national = ("+" if compact.startswith("+") else "") + cc + " ", digits[len(cc):]
            break
    if len(national) == 11:
        return prefix + national[:3] + "****" + national[-4:]
    return ("+" if compact.startswith("+") else "") + _keep(digits, 3, 4)


def mask_email(address: str) -> str:
    """z***@example.com: the first character of the mailbox and the whole domain."""
    local, _, domain = address.partition("@")
    return local[:1] + "***@" + domain


def mask_unknown(compact: str) -> str:
    """A long number that is none of the above (a mistyped ID, say) is still hidden in excerpts."""
    return _keep(compact, 2, 2)
