"""The console-script entry point: answers the root help and --version without importing Typer.

Importing Typer is most of a cold start; a bare `hnsubmit`, `hnsubmit --help`/`-h` (with global
options such as `--lang en` anywhere) and `hnsubmit --version` print stored text instead
(hnsubmit/cli/roothelp.py, one text per language, kept equal to the real output by
tests/test_entry.py).  Everything else goes to the real command line.
"""

from __future__ import annotations

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
    if asks_help and _only_globals(others) and found.lang in (None, "zh", "en"):
        from hnsubmit.cli.roothelp import TEXT

        sys.stdout.write(TEXT[choose_lang(found.lang, found.profile)])
        sys.exit(0)
    from hnsubmit.cli.app import main as full_main

    full_main(argv)


def _only_globals(args: list[str]) -> bool:
    """Nothing but the global options (already moved to the front) is left."""
    i = 0
    while i < len(args):
        if args[i] in ("--lang", "--profile") and i + 1 < len(args):
            i += 2
        elif args[i] in ("-v", "--verbose"):
            i += 1
        else:
            return False
    return True
