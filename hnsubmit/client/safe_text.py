"""Text that came from a server, made safe to show on a terminal.

A hostile or broken server can put ESC sequences (colours, cursor moves, screen clears, OSC 8
links, a fake prompt), other C0/C1 control characters or bidi overrides into an error message, a
title, a reason or a file name.  `printable` turns every such character into a visible `\\xNN` /
`\\uNNNN` escape, so the text is still readable but can no longer steer the terminal, and bounds its
length.  The render layer adds Rich-markup escaping on top (render/terminal.py).
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls but tab, DEL, C1 controls; bidi embeddings, overrides and isolates; line/paragraph separators
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object, limit: int = 500, newlines: bool = False) -> str:
    """`value` as text with every terminal-steering character escaped, at most `limit` characters
    (`newlines`: keep line breaks, for a multi-line reason shown on its own)."""
    text = "" if value is None else str(value)
    if newlines:
        text = "\n".join(_UNSAFE.sub(_escape, line) for line in text.replace("\r\n", "\n").split("\n"))
    else:
        text = _UNSAFE.sub(_escape, text)
    # other format characters (Cf: zero-width joiners etc.) stay unless they were listed above;
    # unassigned or private-use code points are shown escaped too
    text = "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cn", "Co", "Cs") else c for c in text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
