"""The fast root help is exactly what the real command line prints, in each language, and the
console script uses it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stored_root_help_equals_typer_output(lang):
    sys.path.insert(0, str(REPO / "scripts"))
    from render_root_help import render

    from hnsubmit.cli.roothelp import TEXT

    assert TEXT[lang] == render(lang), "run `make help` (scripts/render_root_help.py) after changing commands"


def _entry(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    code = (
        f"import sys; sys.argv=['hnsubmit', *{list(argv)!r}]\n"
        "from hnsubmit.cli.entry import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "assert 'typer' not in sys.modules, 'typer imported'\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60,
                          env={**os.environ, **(env or {})})


def test_fast_paths_do_not_import_typer():
    proc = _entry("--help")
    assert proc.returncode == 0, proc.stderr
    assert "命令:" in proc.stdout and "check" in proc.stdout


@pytest.mark.parametrize("argv", [["--help", "--lang", "en"], ["--lang", "en", "-h"], ["-v", "--lang=en", "--help"]])
def test_fast_root_help_in_the_language_asked_for(argv):
    proc = _entry(*argv)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Usage: hnsubmit [OPTIONS]") and "Commands:" in proc.stdout


def test_fast_root_help_follows_the_environment():
    proc = _entry(env={"HNSUBMIT_LANG": "en"})
    assert proc.returncode == 0 and proc.stdout.startswith("Usage:"), proc.stderr


def test_other_arguments_reach_the_real_cli(tmp_path):
    code = "import sys; sys.argv=['hnsubmit','explain','FMT001']\nfrom hnsubmit.cli.entry import main\nmain()\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 0 and "FMT001" in proc.stdout
