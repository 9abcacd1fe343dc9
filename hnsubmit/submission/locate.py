"""Findings about submission.toml, located by TOML key and line."""

from __future__ import annotations

from dataclasses import dataclass, field

from hnsubmit.rules.findings import Finding, Location, finding
from hnsubmit.submission.lines import line_of


@dataclass
class Locator:
    display: str  # how submission.toml is named in findings
    lines: dict[str, int] = field(default_factory=dict)

    def at(self, code: str, field_path: str = "", line: int | None = None, **args) -> Finding:
        if line is None and field_path:
            line = line_of(self.lines, field_path)
        return finding(code, self.display, Location(field_path=field_path or None, line=line), **args)
