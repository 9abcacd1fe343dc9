"""Human output: findings grouped by file, coloured by severity, then a summary table."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from hnsubmit.rules.findings import Report, Severity
from hnsubmit.i18n import _
from hnsubmit.render.view import printable, view

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def severity_label(sev: str) -> str:
    return {"error": _("error"), "warning": _("warning"), "info": _("info")}[sev]


def render_text(report: Report, lang: str, console: Console, verbose: bool = False) -> None:
    """Findings by file.  A hint repeated by many findings (300 photos, one problem) is printed once,
    under its first finding, with the count; with -v under every finding."""
    from collections import Counter

    hints = Counter((f.code, view(f, lang).hint) for r in report.files for f in r.findings) if not verbose else Counter()
    shown: set[tuple[str, str]] = set()
    for r in report.files:
        if not r.findings and not verbose:
            continue
        head = Text(printable(r.path), style="bold")
        head.append(f"  ({printable(r.describe(lang))})", style="dim")
        console.print(head)
        if not r.findings:
            console.print(Text("  ✓ " + _("no findings"), style="green"))
        for f in r.findings:
            v = view(f, lang)
            line = Text("  ")
            line.append(f"{v.code} ", style=STYLE[v.severity])
            line.append(f"{severity_label(v.severity)}: ", style=STYLE[v.severity])
            if v.where:
                line.append(f"[{v.where}] ", style="dim")
            line.append(v.message)
            console.print(line)
            key = (v.code, v.hint)
            if v.hint and key not in shown:
                count = hints.get(key, 1)
                if count > 1:
                    shown.add(key)
                    console.print(Text("      → " + v.hint + "  " + _("(the same for {count} findings of {code}; shown once)").format(
                        count=count, code=v.code), style="dim"))
                else:
                    console.print(Text("      → " + v.hint, style="dim"))
    render_summary(report, console)


def render_summary(report: Report, console: Console) -> None:
    table = Table(title=_("Summary"), show_header=True, header_style="bold")
    table.add_column(_("files"), justify="right")
    table.add_column(_("clean"), justify="right")
    table.add_column(_("errors"), justify="right", style="red")
    table.add_column(_("warnings"), justify="right", style="yellow")
    table.add_column(_("infos"), justify="right", style="cyan")
    table.add_column(_("result"))
    clean = sum(1 for r in report.files if not r.findings)
    verdict = Text(_("FAILED"), style="bold red") if report.failed else Text(_("PASSED"), style="bold green")
    table.add_row(
        str(len(report.files)),
        str(clean),
        str(report.count(Severity.ERROR)),
        str(report.count(Severity.WARNING)),
        str(report.count(Severity.INFO)),
        verdict,
    )
    console.print(table)


def render_plain(report: Report, lang: str) -> str:
    buf = io.StringIO()
    render_text(report, lang, Console(file=buf, width=120, no_color=True, highlight=False), verbose=True)
    return buf.getvalue()
