"""A finding as the user will read it: rule texts filled in the chosen language."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from hnsubmit.findings import Finding
from hnsubmit.rules import get_rule, localise_args


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


def view(f: Finding, lang: str) -> FindingView:
    rule = get_rule(f.code)
    return FindingView(
        code=f.code,
        slug=rule.slug,
        severity=f.severity.value,
        path=f.path,
        where=f.location.describe(),
        title=rule.render("title", lang),
        message=rule.render("message", lang, f.args),
        hint=rule.render("hint", lang, f.args),
        fixable=rule.fixable,
        clause=rule.clause,
        location=f.location.as_dict(),
        args=localise_args(f.args, lang),
    )
