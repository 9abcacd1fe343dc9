"""What each kind of check reports: a Hit, turned into a Finding by the scanner."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CONTEXT = 10  # characters shown on each side of the wrong text


@dataclass(frozen=True)
class Hit:
    code: str
    start: int
    end: int
    suggestion: Any  # a string, or {"zh": …, "en": …}
    note: Any = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _clean(s: str) -> str:
    return " ".join(s.replace("\t", " ").splitlines())


def around(text: str, start: int, end: int) -> dict[str, Any]:
    """The wrong text with ~10 characters either side, as finding arguments."""
    before = _clean(text[max(0, start - CONTEXT):start])
    after = _clean(text[end:end + CONTEXT])
    wrong = text[start:end]
    lead = "…" if start > CONTEXT else ""
    tail = "…" if end + CONTEXT < len(text) else ""
    return {
        "wrong": wrong,
        "before": before,
        "after": after,
        "offset": start,
        "excerpt": f"{lead}{before}【{_clean(wrong)}】{after}{tail}",
    }
