"""What every reader returns: the raw guides it found, each with a Locator, and the file-level findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from hnsubmit.rules.findings import Finding, Location
from hnsubmit.guide.build import Locator

MAX_GUIDES = 5000  # guides in one file; a batch of a whole province is still far below this


@dataclass
class RawGuide:
    data: Mapping[str, Any]  # element labels as written → raw values
    locator: Locator
    label: str = ""  # how the per-guide table names it: "第7行", "[2]", ""
    anchor: Location = field(default_factory=Location)  # where the guide starts


@dataclass
class ReadResult:
    guides: list[RawGuide] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # GDE001, GDE019 on headers, GDE020
