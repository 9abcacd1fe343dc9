"""What a fixer receives and returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from hnsubmit.rules.findings import Finding
from hnsubmit.checks.formats.identify import FormatInfo
from hnsubmit.policy.model import Policy


@dataclass(frozen=True)
class Change:
    """One thing a fixer changed, in both languages."""

    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class FixContext:
    info: FormatInfo
    findings: tuple[Finding, ...]
    policy: Policy
    # progress of a long fixer (video transcoding): fraction 0..1 and a short label
    progress: Callable[[float, str], None] | None = None

    def has(self, *codes: str) -> bool:
        return any(f.code in codes for f in self.findings)
