"""Candidate patterns on width-folded text: number chains (digit groups), e-mail addresses."""

from __future__ import annotations

import re

# Full-width forms (０-９, ＋, －, ＠, ．, Ｘ …) and the odd dashes and spaces Word inserts are folded to
# ASCII one character for one, so every offset in the folded text is an offset in the original too.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({cp: ord("-") for cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63)})
# No-break, thin, ideographic and zero-width spaces: a number split by one is still one number.
_FOLD.update({cp: ord(" ") for cp in (0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x200B, 0x202F, 0x3000)})
# Line breaks inside one text (Word's soft break is a vertical tab, a .doc table cell ends with BEL).
_FOLD.update({cp: ord("\n") for cp in (0x0B, 0x0C, 0x07, 0x85, 0x2028, 0x2029, ord("\r"))})


def fold(text: str) -> str:
    """Width-fold `text` without changing its length."""
    return text.translate(_FOLD)


# A chain of digit groups, as people write long numbers: "13800138000", "138-0013-8000",
# "6222 0212 3456 7890 123", "632521 19900101 123X", "+86 138 0013 8000".  Groups are joined by one
# or two spaces or a hyphen; an ID's check character X may end the chain.  The chain must not touch
# letters, digits or URL/path characters, so a number inside a longer code, a URL or a decimal
# ("13800138000.5") is not a candidate.
NUMBER_CHAIN = re.compile(
    r"(?<![0-9A-Za-z_@.%/\\=&#+-])"
    r"\+?\d+(?:(?: {1,2}| ?- ?)\d+)*[Xx]?"
    r"(?![0-9A-Za-z_@%/\\]|\.\d)"
)
DIGIT_GROUP = re.compile(r"\+?\d+[Xx]?")

# Local part and dot-separated domain labels; the top-level label must be letters (checked after
# the match).  No nested ambiguity, so the match is linear in the text length.
EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])"
    r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}"
    r"(?![A-Za-z0-9-])"
)
TLD = re.compile(r"[A-Za-z]{2,24}")
