"""`hnsubmit demo`: the README's main job, run on the bundled examples."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from hnsubmit.commands import state
from hnsubmit.commands.output import console


def find_examples(given: Path | None) -> Path:
    from hnsubmit.errors import UsageError

    for candidate in (given, Path.cwd() / "examples", Path(__file__).resolve().parents[2] / "examples"):
        if candidate is not None and (candidate / "positive").is_dir():
            return candidate
    raise UsageError("The examples folder was not found; pass it with --examples DIR")


def demo(
    examples: Optional[Path] = typer.Option(None, "--examples", help="The examples folder (default: ./examples)."),
    outdir: Path = typer.Option(Path("hnsubmit-fixed"), "-o", "--output-dir", help="Where fixed copies go."),
) -> None:
    """Run the main job on the bundled examples: check them, fix what can be fixed, check the fixed copies."""
    from hnsubmit.check import CheckOptions, run_check, selection_from
    from hnsubmit.commands.fix import render_actions
    from hnsubmit.fix import FixOptions, run_fix
    from hnsubmit.i18n import _
    from hnsubmit.policy import default_policy
    from hnsubmit.render.text import render_text

    root = find_examples(examples)
    pol = default_policy()
    options = CheckOptions(pol, selection_from(pol))
    out = console()
    out.rule(_("1. check: the examples as a liaison would send them"))
    render_text(run_check([root / "positive", root / "negative"], options), state.lang, out, verbose=True)
    out.rule(_("2. fix: repaired copies in {path}").format(path=outdir))
    actions = run_fix([root / "negative"], FixOptions(options, outdir=outdir))
    render_actions(actions)
    out.rule(_("3. check the repaired copies"))
    if outdir.exists():
        render_text(run_check([outdir], options), state.lang, out, verbose=True)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
