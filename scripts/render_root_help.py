"""Render `hnsubmit --help` through Typer once and store it in hnsubmit/cli/roothelp.py.

Why: importing Typer costs most of a cold start, and the root help is what a liaison runs first.
The entry point prints the stored text for a bare `hnsubmit`, `hnsubmit --help` or `-h` without
importing Typer; tests/test_entry.py fails when the stored text differs from Typer's own output,
so run this script (or `make help`) whenever a command is added or its summary changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def render() -> str:
    from typer.testing import CliRunner

    from hnsubmit.cli.app import app
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "80", "TERM": "dumb", "NO_COLOR": "1"}, terminal_width=80)
    return result.output


def main() -> None:
    text = render()
    target = ROOT / "hnsubmit" / "_roothelp.py"
    target.write_text(
        '"""The root help text, rendered by scripts/render_root_help.py (do not edit by hand)."""\n\n'
        f"TEXT = {text!r}\n",
        encoding="utf-8",
    )
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
