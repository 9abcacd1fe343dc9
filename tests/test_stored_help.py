"""Start-up (issue 19, P1): every command's --help is stored text the entry point prints without importing
Typer, rich or pydantic, equal to what the real command line renders in both languages; a command being
run imports only its own command module."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

HEAVY = ("typer", "rich", "pydantic", "click")


@pytest.fixture(scope="module")
def rendered():
    sys.path.insert(0, str(REPO / "scripts"))
    from render_root_help import stored

    return stored()


def test_stored_help_equals_typer_output_for_every_command_in_both_languages(rendered):
    from hnsubmit.cli import roothelp, subhelp

    texts, commands, helps = rendered
    stale = sorted(set(helps) ^ set(subhelp.HELP)) + sorted(
        f"{key} ({lang})" for key in set(helps) & set(subhelp.HELP) for lang in helps[key]
        if subhelp.HELP[key].get(lang) != helps[key][lang])
    assert not stale, f"stored help is stale for: {', '.join(stale[:12])} — run `make help`"
    assert roothelp.COMMANDS == commands, "the stored command → module table is stale — run `make help`"
    assert roothelp.TEXT == texts, "the stored root help is stale — run `make help`"


def _run(code: str, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=REPO, timeout=120)


ENTRY = """
import sys
sys.argv = ['hnsubmit', *sys.argv[1:]]
from hnsubmit.cli.entry import main
try:
    main()
except SystemExit as e:
    code = e.code
heavy = [m for m in ('typer', 'rich', 'pydantic', 'click') if m in sys.modules]
sys.stdout.write('\\n@@' + repr((code, heavy)))
"""


@pytest.mark.parametrize("argv", [
    ["check", "--help"], ["push", "-h"], ["--lang", "en", "guide", "check", "--help"], ["admin", "--help", "--lang", "en"],
])
def test_subcommand_help_imports_no_typer_rich_or_pydantic(argv):
    proc = _run(ENTRY, *argv)
    out, _, tail = proc.stdout.rpartition("\n@@")
    code, heavy = eval(tail)  # noqa: S307  (our own repr)
    assert code == 0 and heavy == [], (code, heavy, proc.stderr)
    lang = "en" if "en" in argv else "zh"
    assert out.startswith("Usage: hnsubmit " if lang == "en" else "用法:hnsubmit "), out[:80]
    path = " ".join(a for a in argv if not a.startswith("-") and a != "en")
    assert f"hnsubmit {path} " in out.splitlines()[0]


def test_an_argument_or_unknown_option_goes_to_the_real_command_line():
    proc = _run(ENTRY, "check", "--no-such-option", "--help")
    out, _, tail = proc.stdout.rpartition("\n@@")
    code, heavy = eval(tail)  # noqa: S307
    assert "typer" in heavy  # Click decides what an unknown option next to --help means


def test_a_command_imports_only_its_own_command_module(tmp_path):
    from PIL import Image

    Image.new("RGB", (800, 600), (90, 120, 150)).save(tmp_path / "one.jpg", quality=90)
    code = ("import sys\nsys.argv = ['hnsubmit', 'check', sys.argv[1], '-q', '--format', 'json']\n"
            "from hnsubmit.cli.app import main\ntry:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
            "sys.stdout.write('\\n@@' + repr((code, sorted(m for m in sys.modules if m.startswith('hnsubmit.cli.commands.')))))\n")
    proc = _run(code, str(tmp_path / "one.jpg"))
    out, _, tail = proc.stdout.rpartition("\n@@")
    code, modules = eval(tail)  # noqa: S307
    assert code == 0, proc.stderr
    assert modules == ["hnsubmit.cli.commands.check"]
    assert '"files"' in out or "one.jpg" in out


def test_an_unknown_command_still_gets_the_whole_command_line():
    code = ("import sys\nfrom hnsubmit.cli.app import app_for, _registered, COMMAND_MODULES\n"
            "app_for(['chekc', 'x'])\nprint(len(_registered) == len(COMMAND_MODULES))\n")
    proc = _run(code)
    assert proc.stdout.strip() == "True", proc.stderr
