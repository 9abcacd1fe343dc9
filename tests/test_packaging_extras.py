"""A client-only install: the office's commands name the `server` extra (exit 2), the liaison's work.

The real proof is tests/test_packaging.py (the wheel in a clean venv without the extra, slow).  This
fast guard runs the command line in a subprocess whose import system refuses fastapi, starlette and
uvicorn (a meta-path blocker installed by `-c` before hnsubmit is imported): the project venv has
them installed, so hiding them is the only way to see the client-only behaviour in the default suite.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import EXAMPLES, REPO

BLOCKER = """
import sys
class _NoServer:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('fastapi', 'starlette', 'uvicorn'):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, _NoServer())
sys.argv = ['hnsubmit'] + sys.argv[1:]
from hnsubmit.cli.entry import main
main()
"""


def run_without_server(*args: str, cwd=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", BLOCKER, *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=cwd, timeout=120)


@pytest.mark.parametrize("args", [
    ("serve", "--port", "0"),
    ("demo",),
    ("admin", "unit", "list", "--data", "{data}"),
    ("admin", "token", "issue", "--role", "admin", "--data", "{data}"),
    ("review", "list", "--data", "{data}"),
    ("report", "weekly", "--data", "{data}"),
])
def test_office_commands_name_the_server_extra(tmp_path, args):
    data = tmp_path / "exchange"
    proc = run_without_server(*(a.format(data=data) for a in args), cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "不含服务器组件" in proc.stderr and 'pip install "hnsubmit[server]"' in proc.stderr
    assert "Traceback" not in proc.stderr and "ImportError" not in proc.stderr
    assert not data.exists()  # no empty exchange is made in the liaison's folders
    assert not (tmp_path / "hnsubmit-fixed").exists()  # demo stops before its first step


def test_the_liaisons_commands_work_without_the_server(tmp_path):
    proc = run_without_server("check", str(EXAMPLES / "positive"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run_without_server("--lang", "en", "explain", "FMT001", cwd=tmp_path)
    assert proc.returncode == 0 and "FMT001" in proc.stdout, proc.stderr
