"""SARIF 2.1.0, for code-scanning dashboards."""

from __future__ import annotations

import json

from hnsubmit import __version__
from hnsubmit.rules.findings import Report
from hnsubmit.render.view import printable, view
from hnsubmit.rules.registry import get_rule

LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    """The artifact URI; bytes of a name that is not UTF-8 (or control characters) percent-encoded."""
    path = path.replace("\\", "/")
    if printable(path) == path:
        return path
    from urllib.parse import quote

    try:
        return quote(path.encode("utf-8", "surrogateescape"), safe="/:!")
    except UnicodeEncodeError:  # a lone surrogate that is not an escaped byte
        return quote(printable(path).encode("utf-8"), safe="/:!")


def render_sarif(report: Report, lang: str) -> str:
    codes = sorted({f.code for f in report.findings})
    rules = []
    for code in codes:
        rule = get_rule(code)
        rules.append(
            {
                "id": code,
                "name": rule.slug,
                "shortDescription": {"text": rule.render("title", lang)},
                "fullDescription": {"text": rule.render("explanation", lang)},
                "help": {"text": rule.render("hint", lang)},
                "defaultConfiguration": {"level": LEVEL[rule.severity.value]},
                "properties": {"clause": rule.clause, "fixable": rule.fixable},
            }
        )
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for f in report.findings:
        v = view(f, lang)
        loc = {"physicalLocation": {"artifactLocation": {"uri": _uri(f.path)}}}
        if f.location.line:
            loc["physicalLocation"]["region"] = {"startLine": f.location.line}
        if v.where:
            loc["logicalLocations"] = [{"fullyQualifiedName": v.where}]
        results.append(
            {
                "ruleId": v.code,
                "ruleIndex": index[v.code],
                "level": LEVEL[v.severity],
                "message": {"text": v.message},
                "locations": [loc],
                "partialFingerprints": {"hnsubmit/v1": v.fingerprint()},
            }
        )
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "hnsubmit", "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
