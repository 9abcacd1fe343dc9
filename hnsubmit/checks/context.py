"""What a validator receives and may hand back besides findings (text for the sensitive-content scan)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from hnsubmit.checks.formats.identify import FormatInfo
from hnsubmit.checks.walk import Entry
from hnsubmit.policy.model import Policy
from hnsubmit.rules.findings import FileResult, Finding, Location


@dataclass(frozen=True)
class TextSegment:
    """A piece of text a validator extracted, with where it stands (for the TXT scan's findings)."""

    text: str
    location: Location


@dataclass
class FileContext:
    path: Path  # the file on disk
    display: str  # how the file is named in findings
    info: FormatInfo
    policy: Policy
    deep: bool = False
    # Checks a file found inside this one (a package's payload, a guide's linked form) as a loose file:
    # set by the runner, so validators never import it.
    check_nested: Callable[[Entry], FileResult] | None = None
    texts: list[TextSegment] = field(default_factory=list)
    # The text scanners' hits by text, shared by every file of one run that sets it (guide check: a batch
    # repeats its hours, addresses and conditions row after row, and a text's hits do not depend on where
    # it stands). None: every text is scanned.
    memo: dict | None = None

    @property
    def kind(self) -> str:
        return self.info.kind

    def check_file(self, path: Path, display: str) -> FileResult:
        """`check_nested` for a file on disk named `display` in findings."""
        if self.check_nested is None:
            raise RuntimeError("check_nested is set by the check runner")
        return self.check_nested(Entry(path, display))

    def add_text(self, text: str, location: Location) -> None:
        if text and text.strip():
            self.texts.append(TextSegment(text, location))


# A validator: takes the context, yields findings, never prints, never raises on bad input.
Validator = Callable[[FileContext], Iterable[Finding]]
