"""Render `hnsubmit --help` and every subcommand's `--help` through Typer once per language and store them.

Why: importing Typer (and the pydantic it brings) costs most of a cold start, and help is what a liaison
runs first.  The entry point (hnsubmit/cli/entry.py) prints the stored text for a bare `hnsubmit`,
`hnsubmit --help`/`-h` and `hnsubmit COMMAND [SUBCOMMAND] --help` (with any global option, in the
language they choose) without importing Typer.  Written here:

- hnsubmit/cli/roothelp.py: TEXT (the root help per language) and COMMANDS (each top-level command
  and the module under hnsubmit/cli/commands/ that registers it: the real command line imports only
  that module for a command it knows);
- hnsubmit/cli/subhelp.py: HELP ("guide check" -> {lang: text}) for every command and subcommand.

tests/test_entry.py and tests/test_stored_help.py fail when a stored text differs from what the real
command line prints: run this script (`make help`) whenever a command, an option, its help or its
translation changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def render(lang: str, path: tuple[str, ...] = ()) -> str:
    """The help of `hnsubmit PATH…` (the root when empty) the real command line (through its error boundary)
    prints in `lang` at 80 columns."""
    import contextlib
    import io
    import os

    from hnsubmit.cli.app import app
    from hnsubmit.cli.boundary import run
    from hnsubmit.i18n import current_lang, set_lang

    before, argv0, columns = current_lang(), sys.argv[0], os.environ.get("COLUMNS")
    out = io.StringIO()
    sys.argv[0], os.environ["COLUMNS"] = "hnsubmit", "80"
    try:
        with contextlib.redirect_stdout(out):
            run(app, ["--lang", lang, *path, "--help"])
    finally:
        sys.argv[0] = argv0
        os.environ.pop("COLUMNS") if columns is None else os.environ.__setitem__("COLUMNS", columns)
        set_lang(before)
    return out.getvalue()


def command_paths() -> list[tuple[str, ...]]:
    """Every command and subcommand of the real command line, as paths of names, sorted."""
    import typer.main

    from hnsubmit.cli.app import app

    out: list[tuple[str, ...]] = []

    def walk(cmd, path: tuple[str, ...]) -> None:
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            out.append(path + (name,))
            walk(sub, path + (name,))

    walk(typer.main.get_command(app), ())
    return out


def command_modules() -> dict[str, str]:
    """Top-level command name -> the module under hnsubmit/cli/commands/ whose register() adds it."""
    import typer
    import typer.main

    from hnsubmit.cli.app import COMMAND_MODULES
    from importlib import import_module

    out: dict[str, str] = {}
    for module in COMMAND_MODULES:
        probe = typer.Typer()
        probe.callback()(lambda: None)  # a group even with one command
        import_module(f"hnsubmit.cli.commands.{module}").register(probe)
        for name in typer.main.get_command(probe).commands:
            out[name] = module
    return out


def stored() -> tuple[dict[str, str], dict[str, str], dict[str, dict[str, str]]]:
    """(root TEXT, COMMANDS, HELP) as the real command line renders them now."""
    from hnsubmit.i18n import LANGS

    texts = {lang: render(lang) for lang in LANGS}
    helps = {" ".join(path): {lang: render(lang, path) for lang in LANGS} for path in command_paths()}
    return texts, command_modules(), helps


def main() -> None:
    texts, commands, helps = stored()
    target = ROOT / "hnsubmit" / "cli" / "roothelp.py"
    target.write_text(
        '"""The root help text per language and the module of each command, rendered by\n'
        'scripts/render_root_help.py (`make help`; do not edit by hand)."""\n\n'
        f"TEXT = {texts!r}\n\n"
        f"COMMANDS = {commands!r}\n",
        encoding="utf-8",
    )
    print(f"wrote {target}")
    sub = ROOT / "hnsubmit" / "cli" / "subhelp.py"
    body = "".join(f"    {key!r}: {value!r},\n" for key, value in sorted(helps.items()))
    sub.write_text(
        '"""Every command\'s --help per language, rendered by scripts/render_root_help.py (`make help`; do not\n'
        'edit by hand)."""\n\n'
        f"HELP = {{\n{body}}}\n",
        encoding="utf-8",
    )
    print(f"wrote {sub} ({len(helps)} commands)")


if __name__ == "__main__":
    main()
