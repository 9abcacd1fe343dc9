"""The console-script entry point: answers help and --version without importing Typer.

Importing Typer (and the pydantic it brings) is most of a cold start; a bare `hnsubmit`,
`hnsubmit --help`/`-h`, `hnsubmit COMMAND [SUBCOMMAND] --help` (with global options such as
`--lang en` anywhere) and `hnsubmit --version` print stored text instead (hnsubmit/cli/roothelp.py
and subhelp.py, one text per language, rendered by `make help` and kept equal to the real output by
tests/test_entry.py and tests/test_stored_help.py).  Everything else goes to the real command line.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    from hnsubmit.cli.streams import tolerate_unencodable

    tolerate_unencodable()  # a GBK console: replaced characters, never a UnicodeEncodeError
    argv = sys.argv[1:]
    if argv == ["--version"]:
        from hnsubmit import __version__

        sys.stdout.write(f"hnsubmit {__version__} (Python {sys.version.split()[0]})\n")
        sys.exit(0)
    from hnsubmit.cli.argv import choose_lang, split_globals

    found, rest = split_globals(argv)
    others = [a for a in rest if a not in ("--help", "-h")]
    asks_help = not argv or len(rest) - len(others) == 1
    if asks_help and found.lang in (None, "zh", "en"):
        path = _command_path(others)
        if path == "":
            from hnsubmit.cli.roothelp import TEXT

            sys.stdout.write(TEXT[choose_lang(found.lang, found.profile)])
            sys.exit(0)
        if path is not None:
            from hnsubmit.cli.subhelp import HELP

            if path in HELP:
                sys.stdout.write(HELP[path][choose_lang(found.lang, found.profile)])
                sys.exit(0)
    # pydantic looks for plugins by reading the metadata of every installed distribution on its first
    # model (~30 ms of each cold start with ~160 in the venv); hnsubmit uses none. An explicit setting wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from hnsubmit.cli.app import main as full_main

    try:
        full_main(argv)
    except SystemExit as exc:
        if exc.code == 130:  # ExitCode.INTERRUPTED: the one line is said, the files are closed
            _exit_interrupted()
        raise


def _exit_interrupted() -> None:
    """Exit 130 for certain. CPython 3.11 marks the process as killed by Ctrl-C when the KeyboardInterrupt
    was raised inside exec() of a string (a dataclass being made by a lazy import, say), even though the
    command handled it: at the very end the interpreter kills itself with SIGINT (exit -2), after the line
    that said what happened. So: run the exit handlers as a normal exit would, then leave with 130."""
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(130)


def _command_path(args: list[str]) -> str | None:
    """The command names left after the global options (already moved to the front), joined by spaces
    ("" for none), or None when anything else is there (an argument, an option: the real CLI decides)."""
    i = 0
    while i < len(args) and args[i] in ("--lang", "--profile", "-v", "--verbose"):
        i += 2 if args[i] in ("--lang", "--profile") and i + 1 < len(args) else 1
    names = args[i:]
    if any(not name or name.startswith("-") for name in names):
        return None
    return " ".join(names)
