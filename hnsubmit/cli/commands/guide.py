"""`hnsubmit guide new|check|export|schema`: office guides (办事指南) in YAML/JSON, the Word template or Excel."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from hnsubmit.cli.context import current
from hnsubmit.cli.output import DelayedProgress
from hnsubmit.render.console import console

guide_app = typer.Typer(
    help="Office guides (办事指南): blank templates, checks, export and the JSON Schema.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

PROFILE_HELP = "Office-guide profile: portal-2015 (the portal's elements) or national (GB/T 39046—2020). Default: the policy's [guide] profile."
EXTENSIONS = {"yaml": ".yaml", "docx": ".docx", "xlsx": ".xlsx"}


@guide_app.command("new")
def new(
    fmt: str = typer.Option("yaml", "--format", "-f", help="Template format: docx, yaml or xlsx."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Where to write it (default: 办事指南.<format>)."),
    profile: Optional[str] = typer.Option(None, "--profile", help=PROFILE_HELP),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a blank office guide to fill in (Word template, YAML or an Excel batch)."""
    from hnsubmit.errors import UsageError
    from hnsubmit.guide.api import blank_template
    from hnsubmit.i18n import _

    if fmt not in EXTENSIONS:
        raise typer.BadParameter(_("{option} takes one of: {choices}").format(option="--format", choices="docx, yaml, xlsx"))
    target = output or Path("办事指南" + EXTENSIONS[fmt])
    if target.exists() and not force:
        raise UsageError("{path} already exists.", hint="Use --force to overwrite it, or -o to choose another name.", path=str(target))
    blank_template(fmt, target, profile or _policy_profile())
    typer.echo(_("Wrote {path}").format(path=target))


def _policy_profile(policy: Optional[Path] = None) -> str:
    from hnsubmit.cli.context import resolve_policy

    return resolve_policy(policy).guide.profile


def _run_check(paths: List[Path], profile: Optional[str], policy: Optional[Path], strict: bool, quiet: bool,
               keep_guides: bool = True):
    from hnsubmit.checks.guides import check_guides
    from hnsubmit.cli.context import resolve_policy

    pol = resolve_policy(policy)
    with DelayedProgress("guide check", quiet=quiet) as progress:
        return check_guides(list(paths), profile=profile, policy=pol, strict=strict, progress=progress,
                            keep_guides=keep_guides)


def _render_text(report) -> None:
    from rich.table import Table
    from rich.text import Text

    from hnsubmit.i18n import _
    from hnsubmit.render.text import STYLE, severity_label
    from hnsubmit.render.view import view
    from hnsubmit.rules.findings import Severity

    out = console()
    table = Table(title=_("Office guides"), show_header=True, header_style="bold")
    for col in (_("file"), _("where"), _("item name"), _("guide profile")):
        table.add_column(col, overflow="fold")
    table.add_column(_("errors"), justify="right", style="red")
    table.add_column(_("warnings"), justify="right", style="yellow")
    for g in report.guides:
        table.add_row(g.source, g.label, g.name or _("(no name)"), g.profile,
                      str(g.count(Severity.ERROR)), str(g.count(Severity.WARNING)))
    out.print(table)

    def show(findings) -> None:
        for f in findings:
            v = view(f, current().lang)
            line = Text("  ")
            line.append(f"{v.code} ", style=STYLE[v.severity])
            line.append(f"{severity_label(v.severity)}: ", style=STYLE[v.severity])
            if v.where:
                line.append(f"[{v.where}] ", style="dim")
            line.append(v.message)
            out.print(line)
            if v.hint and current().verbose:
                out.print(Text("      → " + v.hint, style="dim"))

    for r in report.files:
        if r.findings:
            out.print(Text(r.path, style="bold"))
            show(r.findings)
    for g in report.guides:
        if g.findings:
            head = Text(g.source, style="bold")
            head.append(f"  {g.label} {g.name}".rstrip(), style="dim")
            out.print(head)
            show(g.findings)
    verdict = Text(_("FAILED"), style="bold red") if report.failed else Text(_("PASSED"), style="bold green")
    summary = Text(_("{guides} guides, {errors} errors, {warnings} warnings: ").format(
        guides=len(report.guides), errors=report.count(Severity.ERROR), warnings=report.count(Severity.WARNING)))
    summary.append(verdict)
    out.print(summary)


def _render_json(report) -> str:
    import json

    from hnsubmit import __version__
    from hnsubmit.render.view import view
    from hnsubmit.rules.findings import Severity

    def views(findings):
        return [view(f, current().lang).__dict__ for f in findings]

    doc = {
        "tool": {"name": "hnsubmit", "version": __version__},
        "profile": report.profile,
        "summary": {
            "guides": len(report.guides),
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "failed": report.failed,
        },
        "guides": [
            {"source": g.source, "label": g.label, "name": g.name, "profile": g.profile,
             "errors": g.count(Severity.ERROR), "warnings": g.count(Severity.WARNING), "findings": views(g.findings)}
            for g in report.guides
        ],
        "files": [{"path": r.path, "kind": r.kind, "findings": views(r.findings)} for r in report.files],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


@guide_app.command("check")
def check(
    paths: List[Path] = typer.Argument(..., help="Guide files (YAML/JSON, Word template, Excel batch) or folders."),
    profile: Optional[str] = typer.Option(None, "--profile", help=PROFILE_HELP),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Policy TOML file instead of the built-in default."),
    fmt: str = typer.Option("text", "--format", "-f", help="Output: text or json."),
    strict: bool = typer.Option(False, "--strict", help="Warnings fail the check too."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when the check fails."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar."),
) -> None:
    """Check office guides: one row per guide (name, profile, errors, warnings), then the findings."""
    from hnsubmit.errors import exit_code_for_report

    if fmt not in ("text", "json"):
        from hnsubmit.i18n import _

        raise typer.BadParameter(_("{option} takes one of: {choices}").format(option="--format", choices="text, json"))
    report = _run_check(paths, profile, policy, strict, quiet, keep_guides=False)  # findings, not records
    if fmt == "json":
        typer.echo(_render_json(report), nl=False)
    else:
        _render_text(report)
    raise typer.Exit(int(exit_code_for_report(report.failed, exit_zero)))


@guide_app.command("export")
def export(
    paths: List[Path] = typer.Argument(..., help="Guide files or folders."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder for the JSON and DOCX files."),
    profile: Optional[str] = typer.Option(None, "--profile", help=PROFILE_HELP),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Policy TOML file instead of the built-in default."),
    json_out: bool = typer.Option(True, "--json/--no-json", help="Write the normalised JSON (what push uploads)."),
    docx_out: bool = typer.Option(True, "--docx/--no-docx", help="Write a printable Word document."),
    force: bool = typer.Option(False, "--force", help="Export guides with errors too."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar."),
) -> None:
    """Write each guide as normalised JSON and a printable DOCX (guides with errors are skipped)."""
    from hnsubmit.errors import ExitCode
    from hnsubmit.guide.api import export_guides
    from hnsubmit.i18n import _

    report = _run_check(paths, profile, policy, False, quiet)
    exported, skipped = export_guides(report, output, write_json=json_out, write_docx=docx_out, include_failed=force)
    for e in exported:
        for f in e.files:
            typer.echo(_("Wrote {path}").format(path=f))
    for g in skipped:
        typer.echo(_("Skipped {source} {label} {name}: it has errors (run `hnsubmit guide check`).").format(
            source=g.source, label=g.label, name=g.name), err=True)
    bad_files = [r for r in report.files if any(f.severity.value == "error" for f in r.findings)]
    for r in bad_files:
        typer.echo(_("{source} has errors of its own (run `hnsubmit guide check`).").format(source=r.path), err=True)
    raise typer.Exit(int(ExitCode.CHECK_FAILED if (skipped or bad_files) else ExitCode.OK))


@guide_app.command("schema")
def schema(
    profile: Optional[str] = typer.Option(None, "--profile", help=PROFILE_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of the screen."),
) -> None:
    """Print the JSON Schema of an exported office guide under a profile."""
    import json

    from hnsubmit.guide.profiles import guide_schema

    text = json.dumps(guide_schema(profile or _policy_profile()), ensure_ascii=False, indent=2) + "\n"
    if output:
        from hnsubmit.cli.output import write_text_file

        write_text_file(output, text)
    else:
        typer.echo(text, nl=False)


def register(app: typer.Typer) -> None:
    app.add_typer(guide_app, name="guide")
