"""The root command: global options, the command groups, and the one error boundary.

Command modules import only Typer at module level; the library is imported inside each command so
that `hnsubmit --help` stays fast.  `pretty_exceptions_show_locals=False`: locals may hold tokens.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Optional

import typer

from hnsubmit import __version__

app = typer.Typer(
    name="hnsubmit",
    help="海南州门户网站信息报送工具 — check, fix, pack and push content for the portal (南政办〔2015〕86号).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Each entry: module under hnsubmit.cli.commands; it exposes `register(app)`.
COMMAND_MODULES = (
    "check",
    "proof",
    "rules",
    "fix",
    "config",
    "demo",
    "new",
    "pack",
    "login",
    "outbox",
    "push",
    "status",
    "withdraw",
    "serve",
    "admin",
    "review",
    "approve",
    "report",
    "guide",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hnsubmit {__version__} (Python {sys.version.split()[0]})")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    lang: Optional[str] = typer.Option(None, "--lang", help="Language of messages: zh (default) or en."),
    profile: Optional[str] = typer.Option(None, "--profile", help="Profile from the config file."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Show more detail."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    from hnsubmit.cli.context import build_context, enter

    if lang is not None and lang not in ("zh", "en"):
        from hnsubmit.i18n import _

        raise typer.BadParameter(_("{option} takes one of: {choices}").format(option="--lang", choices="zh, en"))
    # `login` is how a new profile comes to be: `hnsubmit --profile 新单位 login --endpoint …` creates it
    ctx.obj = enter(build_context(lang, profile, verbose, new_profile_ok=ctx.invoked_subcommand == "login"))


for _name in COMMAND_MODULES:
    import_module(f"hnsubmit.cli.commands.{_name}").register(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app inside the one error boundary."""
    from hnsubmit.cli.boundary import run
    from hnsubmit.cli.streams import tolerate_unencodable

    tolerate_unencodable()  # also for `python -m hnsubmit`; entry.main did it already for the console script

    sys.exit(run(app, argv))
