"""The one currency between validators, renderers and CI output: a Finding with a rule code.

Validators build findings with :func:`finding`; the rule registry supplies the default severity,
and the runner applies the policy (overrides, select/ignore) afterwards.  Messages are not
rendered here: a finding carries the rule code and its arguments, and the text is produced at the
edge in the user's language (pylint's message templates).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from hnsubmit.rules.severity import Severity


@dataclass(frozen=True)
class Location:
    """Where in a file a finding points.  Every part is optional; `describe()` joins what is set."""

    page: int | None = None
    paragraph: int | None = None
    table_cell: str | None = None  # e.g. "table 2, row 3, column 1"
    part: str | None = None  # e.g. "word/document.xml", "header1", "text box", "EXIF GPS IFD"
    offset: int | None = None  # byte offset
    field_path: str | None = None  # e.g. "materials[2].name" or "Sheet1!C7"
    line: int | None = None

    def describe(self) -> str:
        bits: list[str] = []
        if self.part:
            bits.append(self.part)
        if self.page is not None:
            bits.append(f"p.{self.page}")
        if self.paragraph is not None:
            bits.append(f"¶{self.paragraph}")
        if self.table_cell:
            bits.append(self.table_cell)
        if self.field_path:
            bits.append(self.field_path)
        if self.line is not None:
            bits.append(f"line {self.line}")
        if self.offset is not None:
            bits.append(f"@{self.offset}")
        return " ".join(bits)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


NOWHERE = Location()


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    path: str
    location: Location = NOWHERE
    args: Mapping[str, Any] = field(default_factory=dict)

    def with_severity(self, severity: Severity) -> "Finding":
        return Finding(self.code, severity, self.path, self.location, self.args)

    def sort_key(self) -> tuple:
        return (self.path, -self.severity.rank, self.code, self.location.describe())


def finding(code: str, path: str, location: Location = NOWHERE, **args: Any) -> Finding:
    """Build a finding with the rule's default severity from the registry."""
    from hnsubmit.rules.registry import get_rule

    return Finding(code, get_rule(code).severity, str(path), location, dict(args))


@dataclass(frozen=True)
class FileResult:
    """What the runner learned about one file: its identified format and its findings."""

    path: str
    kind: str  # identified format, e.g. "jpeg", "docx", "png"
    size: int
    findings: tuple[Finding, ...] = ()
    detail: str = ""  # what the content really is, in English, e.g. "a PNG image 512×288"
    detail_zh: str = ""  # the same in Chinese

    def describe(self, lang: str) -> str:
        return (self.detail_zh if lang == "zh" and self.detail_zh else self.detail) or self.kind

    @property
    def worst(self) -> Severity | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: s.rank)


@dataclass(frozen=True)
class Report:
    """The outcome of one `check` run."""

    files: tuple[FileResult, ...]
    strict: bool = False

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def failed(self) -> bool:
        """True when the run should fail: any error, or any warning under --strict."""
        for f in self.findings:
            if f.severity is Severity.ERROR:
                return True
            if self.strict and f.severity is Severity.WARNING:
                return True
        return False
