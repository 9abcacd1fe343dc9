"""The root command: global options, the command groups, and the one error boundary.

Command modules import only Typer at module level; the library is imported inside each command so
that `hnsubmit --help` stays fast.  `pretty_exceptions_show_locals=False`: locals may hold tokens.

`app` (the whole command line) registers every command module when first asked for; `main` registers
only the module of the command being run when roothelp.COMMANDS (written by `make help`) knows it, so
`hnsubmit check one.jpg` does not import the other eighteen command modules and what they pull in.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Optional

import typer

from hnsubmit import __version__

_root = typer.Typer(
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


@_root.callback()
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


_registered: list[str] = []


def _register(modules) -> typer.Typer:
    for name in modules:
        if name not in _registered:
            import_module(f"hnsubmit.cli.commands.{name}").register(_root)
            _registered.append(name)
    return _root


def __getattr__(name: str):
    if name == "app":  # the whole command line (help rendering, tests): every command module, in order
        if len(_registered) < len(COMMAND_MODULES):
            extra = [m for m in _registered if m not in COMMAND_MODULES]
            if _registered:  # registered out of order by main(): start over so the command order is the same
                _reset()
            _register(COMMAND_MODULES + tuple(extra))
        return _root
    raise AttributeError(name)


def _reset() -> None:
    _root.registered_commands.clear()
    _root.registered_groups.clear()
    _registered.clear()


def app_for(argv: list[str]) -> typer.Typer:
    """The command line with just the module of the command in `argv` when `make help` recorded it
    (roothelp.COMMANDS); every module otherwise (an unknown name, a typo, no command at all)."""
    from hnsubmit.cli.argv import split_globals
    from hnsubmit.cli.roothelp import COMMANDS

    _found, rest = split_globals(list(argv))
    i = 0
    while i < len(rest) and rest[i].startswith("-"):
        i += 2 if rest[i] in ("--lang", "--profile") else 1
    module = COMMANDS.get(rest[i]) if i < len(rest) else None
    if module is None or module not in COMMAND_MODULES:
        return __getattr__("app")
    return _register([module])


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app inside the one error boundary."""
    from hnsubmit.cli.boundary import run
    from hnsubmit.cli.streams import tolerate_unencodable

    tolerate_unencodable()  # also for `python -m hnsubmit`; entry.main did it already for the console script
    from hnsubmit.cli.interrupt import first_ctrl_c_only

    first_ctrl_c_only()  # the process's own entry only: an in-process caller (a test) keeps its handler

    argv = list(sys.argv[1:] if argv is None else argv)
    sys.exit(run(app_for(argv), argv))
