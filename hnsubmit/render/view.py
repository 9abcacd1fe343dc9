"""A finding as the user will read it: rule texts filled in the chosen language."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from hnsubmit.render.where import where
from hnsubmit.rules.findings import Finding
from hnsubmit.rules.registry import get_rule, localise_args


@dataclass(frozen=True)
class FindingView:
    code: str
    slug: str
    severity: str
    path: str
    where: str
    title: str
    message: str
    hint: str
    fixable: bool
    clause: str
    location: dict[str, Any]
    args: dict[str, Any]

    def fingerprint(self) -> str:
        return hashlib.sha256(f"{self.code}|{self.path}|{self.where}|{self.message}".encode()).hexdigest()


# Lone surrogates cannot be written as UTF-8; C0 controls (but tab and newlines) and DEL make XML
# invalid and can drive a terminal.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def printable(value: Any) -> Any:
    """`value` with every string safe to write as UTF-8 text, JSON, XML or to a terminal.

    A file name that is not UTF-8 (GBK from an old Windows share, or broken bytes) reaches Python
    with its bytes escaped as lone surrogates (PEP 383), and JSON text can carry lone surrogates
    too; written out they raise UnicodeEncodeError.  Such characters are shown as \\xNN (the byte
    that could not be decoded, or the control character) or \\uDxxx, so the user can still tell
    which file is meant.
    """
    if isinstance(value, str):
        return _UNWRITABLE.sub(_escape, value)
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(printable(v) for v in value)
    return value


def _escape(m: re.Match) -> str:
    n = ord(m.group())
    if 0xDC80 <= n <= 0xDCFF:
        return f"\\x{n - 0xDC00:02x}"
    return f"\\u{n:04x}" if n > 0xFF else f"\\x{n:02x}"


def view(f: Finding, lang: str) -> FindingView:
    rule = get_rule(f.code)
    return FindingView(
        code=f.code,
        slug=rule.slug,
        severity=f.severity.value,
        path=printable(f.path),
        where=printable(where(f.location, lang)),
        title=rule.render("title", lang),
        message=printable(rule.render("message", lang, f.args)),
        hint=printable(rule.render("hint", lang, f.args)),
        fixable=rule.fixable,
        clause=rule.clause,
        location=printable(f.location.as_dict()),
        args=printable(localise_args(f.args, lang)),
    )
