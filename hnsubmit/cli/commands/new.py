"""`hnsubmit new news|guide DIR`: write a submission.toml template, listing the files already there."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from hnsubmit.render.console import console


def new(
    kind: str = typer.Argument(..., help="news (信息) or guide (办事指南)."),
    directory: Path = typer.Argument(..., help="The submission folder (created if missing)."),
    unit: str = typer.Option("", "--unit", help="Unit code, e.g. 632521 (共和县)."),
    title: str = typer.Option("", "--title", help="Title of the item."),
    liaison: str = typer.Option("", "--liaison", help="Liaison's name (信息报送员)."),
    phone: str = typer.Option("", "--phone", help="Liaison's phone, e.g. 0974-8512655."),
    force: bool = typer.Option(False, "--force", help="Replace an existing submission.toml."),
) -> None:
    """Start a submission: write DIR/submission.toml for a news item or an office guide."""
    from rich.text import Text

    from hnsubmit.i18n import _
    from hnsubmit.submission.scaffold import scaffold

    from hnsubmit.cli.context import current

    unit = unit or str(current().get("unit") or "")  # the unit `hnsubmit login` recorded
    done = scaffold(directory, kind, force=force, unit=unit, title=title, liaison=liaison, phone=phone)
    out = console()
    out.print(Text(_("Written: {path}").format(path=done.path), style="green"))
    for rel, role in done.listed:
        out.print(f"  {role:<10} {rel}")
    for rel in done.ignored:
        out.print(Text("  " + _("ignored") + f"    {rel}", style="dim"))
    from hnsubmit.submission.model import MAX_FILES

    if len(done.listed) > MAX_FILES:  # SUB016 would refuse it later: say so while the folder is being made
        out.print(Text(_("Warning: the folder holds {count} files; one submission takes at most {limit}. "
                         "Split it into several folders, or keep only the files to publish.").format(
            count=len(done.listed), limit=MAX_FILES), style="yellow"))
    out.print(_("Fill in the empty fields, then run: hnsubmit check {path}").format(path=directory))


def register(app: typer.Typer) -> None:
    app.command("new")(new)
