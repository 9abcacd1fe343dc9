"""Machine-readable outputs for CI: JSON, JUnit XML, GitHub annotations, GitLab Code Quality."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from hnsubmit import __version__
from hnsubmit.rules.findings import Report, Severity
from hnsubmit.render.view import printable, view


def render_json(report: Report, lang: str) -> str:
    files = []
    for r in report.files:
        files.append(
            {
                "path": printable(r.path),
                "kind": r.kind,
                "detail": printable(r.detail),
                "detail_zh": printable(r.detail_zh),
                "size": r.size,
                "findings": [view(f, lang).__dict__ for f in r.findings],
            }
        )
    doc = {
        "tool": {"name": "hnsubmit", "version": __version__},
        "summary": {
            "files": len(report.files),
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "infos": report.count(Severity.INFO),
            "failed": report.failed,
        },
        "files": files,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_junit(report: Report, lang: str) -> str:
    failing = {Severity.ERROR} | ({Severity.WARNING} if report.strict else set())
    suite = ET.Element(
        "testsuite",
        name="hnsubmit check",
        tests=str(len(report.files)),
        failures=str(sum(1 for r in report.files if any(f.severity in failing for f in r.findings))),
        errors="0",
        skipped="0",
    )
    for r in report.files:
        case = ET.SubElement(suite, "testcase", classname="hnsubmit." + r.kind, name=printable(r.path))
        bad = [view(f, lang) for f in r.findings if f.severity in failing]
        if bad:
            failure = ET.SubElement(case, "failure", message=f"{bad[0].code} {bad[0].message}", type=bad[0].code)
            failure.text = "\n".join(f"{v.code} [{v.severity}] {v.where} {v.message} — {v.hint}".strip() for v in bad)
        others = [view(f, lang) for f in r.findings if f.severity not in failing]
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(f"{v.code} [{v.severity}] {v.message}" for v in others)
    root = ET.Element("testsuites")
    root.append(suite)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, lang: str) -> str:
    level = {"error": "error", "warning": "warning", "info": "notice"}
    lines = []
    for f in report.findings:
        v = view(f, lang)
        lines.append(
            f"::{level[v.severity]} file={_escape_prop(v.path)},title={_escape_prop(v.code + ' ' + v.title)}"
            f"::{_escape_data(v.message + (' — ' + v.hint if v.hint else ''))}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


def render_gitlab(report: Report, lang: str) -> str:
    level = {"error": "critical", "warning": "minor", "info": "info"}
    issues = []
    for f in report.findings:
        v = view(f, lang)
        issues.append(
            {
                "description": f"{v.code} {v.message}",
                "check_name": v.code,
                "fingerprint": v.fingerprint(),
                "severity": level[v.severity],
                "location": {"path": v.path, "lines": {"begin": f.location.line or 1}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
