"""The liaison's install, for real: `python -m build` → `twine check` → the wheel in a clean venv.

No editable install and no source tree on the path: the commands run from the venv's own site-packages
in a folder outside the clone, so a catalog, the policy, the seed, a template or the compiled
translations missing from the wheel fails here.  The default install must not bring the exchange
server (FastAPI, uvicorn); `serve` then names the extra, and after `pip install "…whl[server]"` the same
venv runs the exchange that the push goes to.  Slow (~1.5 min on a loaded 2-core VM, mostly pip): `make test-packaging`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO

pytestmark = pytest.mark.slow
MEETING = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"
DATA_FILES = (
    "hnsubmit/i18n/locale/zh_CN/LC_MESSAGES/hnsubmit.mo",
    "hnsubmit/policy/default.toml",
    "hnsubmit/exchange/seed.toml",
    "hnsubmit/rules/catalog/FMT.toml",
    "hnsubmit/rules/catalog/SUB.toml",
)
SERVER_ONLY = ("fastapi", "starlette", "uvicorn")


def run(cmd, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("timeout", 600)
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, encoding="utf-8", errors="replace", **kwargs)


def build_dists(out: Path) -> tuple[Path, Path]:
    """sdist, then the wheel built from that sdist (build's default): a file the sdist forgets fails too."""
    proc = run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, REPO])
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    wheel, sdist = next(out.glob("hnsubmit-*.whl")), next(out.glob("hnsubmit-*.tar.gz"))
    proc = run([sys.executable, "-m", "twine", "check", "--strict", wheel, sdist])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return wheel, sdist


def clean_env(venv: Path, home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = str(venv / ("Scripts" if os.name == "nt" else "bin")) + os.pathsep + env.get("PATH", "")
    env["HOME"] = str(home)
    return env


def test_wheel_installs_without_the_server_and_checks_explains_and_pushes(tmp_path):
    wheel, sdist = build_dists(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(DATA_FILES) <= names
    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
    assert set(DATA_FILES) <= members and "pyproject.toml" in members

    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", venv]).returncode == 0
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")  # the Windows job of release.yml runs this test too
    py, hn = bindir / "python", bindir / "hnsubmit"
    work = tmp_path / "work"
    work.mkdir()
    env = clean_env(venv, tmp_path / "home")

    proc = run([py, "-m", "pip", "install", "--quiet", wheel], env=env, cwd=work)
    assert proc.returncode == 0, proc.stderr[-3000:]
    installed = {p["name"].lower() for p in json.loads(run([py, "-m", "pip", "list", "--format", "json"], env=env).stdout)}
    assert "hnsubmit" in installed and not installed & set(SERVER_ONLY), installed
    where = run([py, "-c", "import hnsubmit; print(hnsubmit.__file__)"], env=env, cwd=work).stdout
    assert str(venv) in where and str(REPO) not in where  # the installed copy, not the clone

    # the liaison's commands: rule catalogs, policy and the compiled Chinese catalog come from the wheel
    proc = run([hn, "check", EXAMPLES / "positive"], env=env, cwd=work)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "通过" in proc.stdout  # PASSED, translated by the shipped .mo
    proc = run([hn, "check", EXAMPLES / "negative" / "截图-其实是PNG.jpg"], env=env, cwd=work)
    assert proc.returncode == 1 and "未通过" in proc.stdout and "FMT" in proc.stdout, proc.stdout + proc.stderr
    proc = run([hn, "explain", "FMT001"], env=env, cwd=work)
    assert proc.returncode == 0 and "FMT001" in proc.stdout, proc.stderr
    proc = run([hn, "new", "news", work / "新信息", "--unit", "632521", "--title", "测试"], env=env, cwd=work)
    assert proc.returncode == 0 and (work / "新信息" / "submission.toml").is_file(), proc.stderr

    # the office's command on a client install: the extra is named, in Chinese, exit 2
    proc = run([hn, "serve", "--port", "0"], env=env, cwd=work)
    assert proc.returncode == 2 and 'pip install "hnsubmit[server]"' in proc.stderr and "不含服务器组件" in proc.stderr, proc.stderr

    # the server extra into the same venv; its exchange (seeded from the wheel's seed.toml) takes the push
    proc = run([py, "-m", "pip", "install", "--quiet", f"hnsubmit[server] @ {wheel.as_uri()}"], env=env, cwd=work)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data, ready = tmp_path / "exchange", tmp_path / "ready.json"
    log = open(tmp_path / "serve.log", "wb")
    server = subprocess.Popen([str(hn), "serve", "--data", str(data), "--port", "0", "--ready-file", str(ready)],
                              env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.1)
        url = json.loads(ready.read_text())["url"]
        proc = run([hn, "admin", "token", "issue", "--role", "unit", "--unit", "632521", "--data", data], env=env, cwd=work)
        assert proc.returncode == 0, proc.stderr
        folder = shutil.copytree(MEETING, work / MEETING.name)
        push_env = dict(env, HNSUBMIT_TOKEN=proc.stdout.strip())
        proc = run([hn, "push", folder, "--endpoint", url, "--quiet"], env=push_env, cwd=work)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        proc = run([hn, "--lang", "en", "status", "--endpoint", url, "--unit", "632521", "--format", "json"], env=push_env, cwd=work)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "冬春农牧业生产工作会议" in proc.stdout
    finally:
        server.terminate()
        server.wait(30)
        log.close()
