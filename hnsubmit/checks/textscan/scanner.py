"""scan_text: every sensitive item in one text, with its span, a masked value and a masked excerpt."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Callable

from hnsubmit.checks.textscan.bankcard import bank_card
from hnsubmit.checks.textscan.idcard import id15, id18
from hnsubmit.checks.textscan.marks import find_marks
from hnsubmit.checks.textscan.masking import mask_email, mask_mobile, mask_number, mask_unknown
from hnsubmit.checks.textscan.mobile import mobile
from hnsubmit.checks.textscan.patterns import DIGIT_GROUP, EMAIL, NUMBER_CHAIN, TLD, fold

MARK, ID_CARD, BANK_CARD, MOBILE, EMAIL_ADDRESS = "mark", "id-card", "bank-card", "mobile", "email"
CONTEXT = 12  # characters of excerpt on each side of a hit
MAX_GROUPS = 6  # "6325 2119 9001 0112 38" is five groups; nobody writes a number in more than six
UNKNOWN_MIN_DIGITS = 10  # any other number this long is masked in excerpts (a mistyped ID is still private)
# A chain shorter than this holds no hit (every kind needs 11 characters or more: a mobile's 11 digits,
# an ID's 15 or 18, a card's 16–19) and fewer than UNKNOWN_MIN_DIGITS digits, so it is skipped unsplit.
SHORT_CHAIN = min(UNKNOWN_MIN_DIGITS, 11)


@dataclass(frozen=True)
class Hit:
    """One finding of the scan.  It never holds the raw value: only its span and masked forms."""

    kind: str  # MARK, ID_CARD, BANK_CARD, MOBILE or EMAIL_ADDRESS
    start: int  # span in the scanned text
    end: int
    value: str  # masked value ("6325**********1238"); a mark is shown as written ("机密★1年")
    excerpt: str  # the text around it, with every number and address in it masked
    variant: str = ""  # for ID_CARD: "18" or "15" (the legacy form)


# (kind, variant, test, mask) in order of precedence: an 18-character ID is not reported as a card.
_NUMBER_KINDS: tuple[tuple[str, str, Callable[[str], bool], Callable[[str], str]], ...] = (
    (ID_CARD, "18", id18, lambda c: mask_number(c.upper())),
    (ID_CARD, "15", id15, mask_number),
    (BANK_CARD, "", bank_card, mask_number),
    (MOBILE, "", mobile, mask_mobile),
)


def _classify(compact: str) -> tuple[str, str, str] | None:
    for kind, variant, test, mask in _NUMBER_KINDS:
        if test(compact):
            return kind, variant, mask(compact)
    return None


def _numbers(folded: str) -> tuple[list[tuple[str, str, int, int, str]], list[tuple[int, int, str]]]:
    """Hits among the number chains, and the other long numbers (to be masked in excerpts)."""
    hits: list[tuple[str, str, int, int, str]] = []
    others: list[tuple[int, int, str]] = []
    for chain in NUMBER_CHAIN.finditer(folded):
        if chain.end() - chain.start() < SHORT_CHAIN:
            continue  # "第3段", "2026年": nothing to classify and too few digits to mask
        groups = [(chain.start() + g.start(), chain.start() + g.end(), g.group()) for g in DIGIT_GROUP.finditer(chain.group())]
        i, loose = 0, []
        # Try the widest window of groups first, so "6222 0212 3456 7890 123" is one card and not
        # a shorter number inside it; windows end at group boundaries, never inside a digit run.
        while i < len(groups):
            for j in range(min(len(groups), i + MAX_GROUPS), i, -1):
                found = _classify("".join(g[2] for g in groups[i:j]))
                if found:
                    hits.append((found[0], found[1], groups[i][0], groups[j - 1][1], found[2]))
                    i = j
                    break
            else:
                loose.append(groups[i])
                i += 1
        if sum(len(g[2].lstrip("+")) for g in loose) >= UNKNOWN_MIN_DIGITS:
            for start, end, text in loose:
                others.append((start, end, mask_unknown(text) if len(text) >= 5 else text))
    return hits, others


def _emails(folded: str) -> list[tuple[str, str, int, int, str]]:
    out = []
    for m in EMAIL.finditer(folded):
        address = m.group()
        if TLD.fullmatch(address.rsplit(".", 1)[1]):
            out.append((EMAIL_ADDRESS, "", m.start(), m.end(), mask_email(address)))
    return out


class _Masked:
    """The folded text with every number and address replaced by its masked form, and a map of
    positions from the folded text into it."""

    def __init__(self, folded: str, replacements: list[tuple[int, int, str]]):
        parts: list[str] = []
        self._ends: list[int] = []  # end of each replaced span in the folded text, ascending
        self._shift: list[int] = [0]  # total change of length up to and including span i
        pos = 0
        for start, end, text in sorted(replacements):
            if start < pos:  # overlapping spans cannot occur (the patterns exclude each other); be safe
                continue
            parts.append(folded[pos:start])
            parts.append(text)
            self._ends.append(end)
            self._shift.append(self._shift[-1] + len(text) - (end - start))
            pos = end
        parts.append(folded[pos:])
        self.text = "".join(parts)

    def at(self, pos: int) -> int:
        """Where `pos` (a start or end of a replaced span, or outside every span) lands."""
        return pos + self._shift[bisect.bisect_right(self._ends, pos)]


def _excerpt(masked: str, start: int, end: int) -> str:
    left = masked[max(0, start - CONTEXT):start]
    right = masked[end:end + CONTEXT]
    text = ("…" if start > CONTEXT else "") + left + masked[start:end] + right + ("…" if end + CONTEXT < len(masked) else "")
    return " ".join(text.split())


def scan_text(text: str) -> list[Hit]:
    """Every classification mark, resident ID, bank card, mobile number and e-mail address in `text`.

    Pure and bounded by the length of `text` (every pattern is linear).  Full-width digits and
    separators count as their ASCII forms.  The hits carry masked values and excerpts only.
    """
    folded = fold(text)
    found = _emails(folded)
    numbers, others = _numbers(folded)
    found += numbers
    marks = find_marks(folded)
    if not found and not marks:  # most texts: nothing to report, no excerpt to mask
        return []
    masked = _Masked(folded, [(s, e, v) for _, _, s, e, v in found] + others)
    hits = []
    for kind, variant, start, end, value in found:
        hits.append(Hit(kind, start, end, value, _excerpt(masked.text, masked.at(start), masked.at(end)), variant))
    for start, end in marks:
        # A mark itself is shown as written; a number next to it in the excerpt is masked.
        excerpt = _excerpt(masked.text, masked.at(start), masked.at(end))
        hits.append(Hit(MARK, start, end, " ".join(folded[start:end].split()), excerpt))
    hits.sort(key=lambda h: (h.start, h.kind))
    return hits
