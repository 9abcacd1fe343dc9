"""The fast root help is exactly what Typer prints, and the console script uses it."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_stored_root_help_equals_typer_output():
    sys.path.insert(0, str(REPO / "scripts"))
    from render_root_help import render

    from hnsubmit.cli.roothelp import TEXT

    assert TEXT == render(), "run `python scripts/render_root_help.py` after changing commands"


def test_fast_paths_do_not_import_typer():
    code = (
        "import sys; sys.argv=['hnsubmit','--help']\n"
        "from hnsubmit.cli.entry import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0\n"
        "assert 'typer' not in sys.modules, 'typer imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Commands:" in proc.stdout and "check" in proc.stdout


def test_other_arguments_reach_the_real_cli(tmp_path):
    code = "import sys; sys.argv=['hnsubmit','explain','FMT001']\nfrom hnsubmit.cli.entry import main\nmain()\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 0 and "FMT001" in proc.stdout
