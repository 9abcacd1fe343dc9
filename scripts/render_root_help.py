"""Render `hnsubmit --help` through Typer once per language and store it in hnsubmit/cli/roothelp.py.

Why: importing Typer costs most of a cold start, and the root help is what a liaison runs first.
The entry point prints the stored text for a bare `hnsubmit`, `hnsubmit --help` or `-h` (with any
global option, in the language they choose) without importing Typer; tests/test_entry.py fails
when the stored text differs from what the real command line prints, so run this script (or
`make help`) whenever a command, its summary or its translation changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def render(lang: str) -> str:
    """The root help the real command line (through its error boundary) prints in `lang` at 80 columns."""
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
            run(app, ["--lang", lang, "--help"])
    finally:
        sys.argv[0] = argv0
        os.environ.pop("COLUMNS") if columns is None else os.environ.__setitem__("COLUMNS", columns)
        set_lang(before)
    return out.getvalue()


def main() -> None:
    from hnsubmit.i18n import LANGS

    texts = {lang: render(lang) for lang in LANGS}
    target = ROOT / "hnsubmit" / "cli" / "roothelp.py"
    target.write_text(
        '"""The root help text per language, rendered by scripts/render_root_help.py (do not edit by hand)."""\n\n'
        f"TEXT = {texts!r}\n",
        encoding="utf-8",
    )
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
