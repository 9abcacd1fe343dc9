"""Which rules run, and at what severity: flake8's select/ignore by code prefix, longest prefix wins."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from hnsubmit.rules.findings import Finding, Severity


def _longest(code: str, prefixes: tuple[str, ...]) -> int:
    """Length of the longest prefix of `code` in `prefixes`, or -1."""
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ()  # empty: everything
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)  # code or prefix -> severity

    def enabled(self, code: str) -> bool:
        selected = _longest(code, self.select or ("",))
        if selected < 0:
            return False
        # On a tie the explicit select wins, as in flake8's decision engine.
        return _longest(code, self.ignore) <= selected

    def severity_for(self, code: str, default: Severity) -> Severity:
        best, chosen = -1, default
        for prefix, sev in self.severity.items():
            if code.startswith(prefix) and len(prefix) > best:
                best, chosen = len(prefix), sev
        return chosen

    def apply(self, findings: list[Finding]) -> list[Finding]:
        out = []
        for f in findings:
            if not self.enabled(f.code):
                continue
            sev = self.severity_for(f.code, f.severity)
            out.append(f if sev is f.severity else f.with_severity(sev))
        return out
