"""`hnsubmit check PATH...`: validate files and folders against the policy."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from hnsubmit.cli.context import current
from hnsubmit.cli.output import OUTPUT_FORMATS, DelayedProgress, parse_output_files, write_text_file
from hnsubmit.render.console import console


def _parse_severities(specs: list[str]):
    from hnsubmit.i18n import _
    from hnsubmit.rules.findings import Severity

    out = {}
    for spec in specs:
        code, sep, level = spec.partition("=")
        try:
            out[code.strip().upper()] = Severity(level.strip().lower())
        except ValueError:
            raise typer.BadParameter(_("{option} takes CODE=error|warning|info; not {value}").format(option="--severity", value=repr(spec))) from None
        if not sep:
            raise typer.BadParameter(_("{option} takes CODE=error|warning|info; not {value}").format(option="--severity", value=repr(spec)))
    return out


def _split(values: list[str]) -> list[str]:
    return [p.strip() for v in values for p in v.split(",") if p.strip()]


def check(
    paths: List[Path] = typer.Argument(..., help="Files or folders to check (folders recursively; links are not followed)."),
    fmt: List[str] = typer.Option(["text"], "--format", "-f", help="Output format, may repeat: text, json, junit, sarif, github, gitlab."),
    output_file: List[str] = typer.Option([], "--output-file", "-o", help="Also write FORMAT=PATH (may repeat)."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Policy TOML file instead of the built-in default."),
    strict: bool = typer.Option(False, "--strict", help="Warnings fail the check too."),
    select: List[str] = typer.Option([], "--select", help="Only rules with these code prefixes (comma-separated)."),
    ignore: List[str] = typer.Option([], "--ignore", help="Skip rules with these code prefixes (longest prefix wins)."),
    severity: List[str] = typer.Option([], "--severity", help="Override a rule's severity: CODE=error|warning|info."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when the check fails (report-only CI)."),
    deep: bool = typer.Option(False, "--deep", help="Also decode whole media files (slower)."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar."),
    terms: List[Path] = typer.Option([], "--terms", help="A term list (CSV) over the built-in proofreading lists; may repeat."),
    leaders: Optional[Path] = typer.Option(None, "--leaders", help="The office's leaders list (CSV 姓名,职务) for PRF007/PRF008."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Check files in N processes at once (default: the number of cores, at most 4)."),
) -> None:
    """Check files against the portal's format rules (南政办〔2015〕86号 六(五))."""
    from hnsubmit.checks.run import CheckOptions, default_jobs, run_check, selection_from
    from hnsubmit.cli.context import resolve_policy
    from hnsubmit.errors import exit_code_for_report
    from hnsubmit.render.reporters import reporter
    from hnsubmit.render.text import render_text

    from hnsubmit.i18n import _

    for f in fmt:
        if f not in OUTPUT_FORMATS:
            raise typer.BadParameter(_("{option} takes one of: {choices}; not {value}").format(option="--format", choices=", ".join(OUTPUT_FORMATS), value=repr(f)))
    files = parse_output_files(output_file)
    pol = resolve_policy(policy)
    if terms or leaders or pol.proofing.reads_files:
        from hnsubmit.checks.proofing.engine import with_lists

        pol = with_lists(pol, [str(t) for t in terms], str(leaders) if leaders else None)
    options = CheckOptions(
        policy=pol,
        selection=selection_from(pol, _split(select), _split(ignore), _parse_severities(severity)),
        strict=strict,
        deep=deep,
    )
    with DelayedProgress("check", quiet=quiet) as progress:
        report = run_check(list(paths), options, progress, jobs=jobs or default_jobs())
    for f in fmt:
        if f == "text":
            render_text(report, current().lang, console(), verbose=current().verbose)
        else:
            typer.echo(reporter(f)(report, current().lang), nl=False)
    for f, path in files:
        write_text_file(path, reporter(f)(report, current().lang))
    raise typer.Exit(int(exit_code_for_report(report.failed, exit_zero)))


def register(app: typer.Typer) -> None:
    app.command("check")(check)
