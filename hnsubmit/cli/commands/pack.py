"""`hnsubmit pack DIR -o FILE.zip`: check a submission folder and write its package (BagIt zip)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from hnsubmit.cli.context import current
from hnsubmit.render.console import console


def pack(
    directory: Path = typer.Argument(..., help="The submission folder (with submission.toml)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="The package to write (default: DIR.zip beside the folder)."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Policy TOML file instead of the built-in default."),
    strict: bool = typer.Option(False, "--strict", help="Warnings refuse the package too."),
    fmt: str = typer.Option("text", "--format", "-f", help="Output: text or json."),
) -> None:
    """Check a submission folder and pack it as a BagIt package; refuses when the check finds errors."""
    import json

    from hnsubmit.checks.pack import build_package
    from hnsubmit.cli.context import resolve_policy
    from hnsubmit.errors import UsageError
    from hnsubmit.render.text import render_text
    from hnsubmit.submission.bag.build import PackageRefused

    if fmt not in ("text", "json"):
        from hnsubmit.i18n import _

        raise typer.BadParameter(_("{option} takes one of: {choices}").format(option="--format", choices="text, json"))
    if not directory.is_dir():
        raise UsageError("No such folder: {path}", path=str(directory))
    target = output or directory.resolve().parent / (directory.resolve().name + ".zip")
    pol = resolve_policy(policy)
    try:
        info = build_package(directory, target, pol, strict=strict)
    except PackageRefused as exc:
        if fmt == "json":
            from hnsubmit.render.reporters import reporter

            typer.echo(reporter("json")(exc.report, current().lang), nl=False)
        else:
            render_text(exc.report, current().lang, console(), verbose=False)
        raise
    if fmt == "json":
        files = [{"path": f.path, "size": f.size, "digest": f.digest} for f in info.files]
        typer.echo(json.dumps({"path": str(info.path), "sha256": info.sha256, "size": info.size, "files": files}, ensure_ascii=False, indent=2))
        return
    if info.report is not None and info.report.findings:
        render_text(info.report, current().lang, console(), verbose=False)
    _render(info)


def _render(info) -> None:
    from rich.table import Table

    from hnsubmit.i18n import _

    table = Table(title=_("Package written: {path}").format(path=info.path))
    table.add_column(_("file"))
    table.add_column(_("bytes"), justify="right")
    table.add_column("SHA-256")
    for f in info.files:
        table.add_row(f.path, str(f.size), f.digest.removeprefix("sha256:")[:16] + "…")
    out = console()
    out.print(table)
    out.print(f"{info.sha256}  {info.size} " + _("bytes"))


def register(app: typer.Typer) -> None:
    app.command("pack")(pack)
