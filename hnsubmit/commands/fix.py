"""`hnsubmit fix PATH...`: write repaired copies (or repair in place) and show what changed."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from hnsubmit.commands import state
from hnsubmit.commands.output import DelayedProgress, console


def fix(
    paths: List[Path] = typer.Argument(..., help="Files or folders to repair."),
    outdir: Path = typer.Option(Path("hnsubmit-fixed"), "-o", "--output-dir", help="Folder for the repaired copies."),
    in_place: bool = typer.Option(False, "--in-place", help="Replace the originals (only when you ask for it)."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Policy TOML file instead of the built-in default."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar."),
) -> None:
    """Repair what can be repaired safely: convert formats, strip GPS and personal metadata, fix extensions."""
    from hnsubmit.check import CheckOptions, selection_from
    from hnsubmit.commands.policy_source import resolve_policy
    from hnsubmit.exitcodes import ExitCode
    from hnsubmit.fix import FixOptions, run_fix, still_failing

    pol = resolve_policy(policy)
    options = FixOptions(CheckOptions(pol, selection_from(pol)), outdir=outdir, in_place=in_place)
    with DelayedProgress("fix", quiet=quiet) as progress:
        actions = run_fix(list(paths), options, progress)
    render_actions(actions)
    raise typer.Exit(int(ExitCode.CHECK_FAILED if still_failing(actions) else ExitCode.OK))


def render_actions(actions) -> None:
    from rich.table import Table

    from hnsubmit.i18n import _

    table = Table(title=_("Fix results"), show_lines=False)
    table.add_column(_("file"))
    table.add_column(_("result"))
    table.add_column(_("changes"))
    table.add_column(_("still found"))
    for a in actions:
        if a.error:
            result = "[red]" + _("failed") + f"[/red]: {a.error}"
        elif a.fixed:
            result = "[green]" + _("written") + f"[/green] {a.output}"
        elif a.left:
            result = "[yellow]" + _("not fixable automatically") + "[/yellow]"
        elif not state.verbose:
            continue
        else:
            result = _("nothing to fix")
        table.add_row(a.source, result, "\n".join(c.text(state.lang) for c in a.changes), " ".join(a.left))
    console().print(table)


def register(app: typer.Typer) -> None:
    app.command("fix")(fix)
