"""The console-script entry point: answers the root help and --version without importing Typer.

Importing Typer is most of a cold start; a bare `hnsubmit`, `hnsubmit --help`/`-h` and
`hnsubmit --version` print stored text instead (hnsubmit/cli/roothelp.py, kept equal to Typer's own
output by tests/test_entry.py).  Everything else goes to the real command line.
"""

from __future__ import annotations

import sys


def main() -> None:
    from hnsubmit.cli.streams import tolerate_unencodable

    tolerate_unencodable()  # a GBK console: replaced characters, never a UnicodeEncodeError
    argv = sys.argv[1:]
    if argv in ([], ["--help"], ["-h"]):
        from hnsubmit.cli.roothelp import TEXT

        sys.stdout.write(TEXT)
        sys.exit(0)
    if argv == ["--version"]:
        from hnsubmit import __version__

        sys.stdout.write(f"hnsubmit {__version__} (Python {sys.version.split()[0]})\n")
        sys.exit(0)
    from hnsubmit.cli.app import main as full_main

    full_main(argv)
