"""Issue 12 "Done when": the README's five-minute tour, run literally in processes on a fresh HOME with no
system keyring, against `hnsubmit serve`: serve → admin token issue → login --token-stdin (file store) →
new news → push → status → review accept → status.  Each step asserts its outcome."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO

pytestmark = pytest.mark.integration
PHOTOS = EXAMPLES / "positive" / "news-2026-11-20"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HNSUBMIT_", "XDG_")) and k not in ("CI", "LC_ALL", "LANGUAGE")}
    env.update(HOME=str(home), LANG="C.UTF-8", PYTHONPATH=str(REPO),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")  # a server with no keyring
    return env


@pytest.fixture
def tour(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    env = _env(home)
    procs = []

    def run(*args: str, input: str | None = None, code: int = 0) -> str:
        proc = subprocess.run([sys.executable, "-m", "hnsubmit", *args], input=input, capture_output=True, text=True,
                              encoding="utf-8", env=env, cwd=work, timeout=120)
        assert proc.returncode == code, f"hnsubmit {' '.join(args)} → {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        assert "Traceback" not in proc.stderr
        return proc.stdout + proc.stderr

    def serve() -> str:
        ready = tmp_path / "ready.json"
        log = open(tmp_path / "serve.log", "wb")
        procs.append(subprocess.Popen([sys.executable, "-m", "hnsubmit", "serve", "--port", "0", "--ready-file", str(ready)],
                                      stdout=log, stderr=subprocess.STDOUT, env=env, cwd=work))
        log.close()
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert procs[-1].poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.05)
        return json.loads(ready.read_text())["url"]

    run.serve = serve
    run.work = work
    run.home = home
    yield run
    for p in procs:
        p.terminate()
        p.wait(10)


def test_the_readme_tour_works_start_to_finish(tour):
    url = tour.serve()  # hnsubmit serve (a free port instead of 8765, so parallel runs never collide)
    token = tour("admin", "token", "issue", "--role", "unit", "--unit", "632521").strip().splitlines()[0].strip()
    assert re.fullmatch(r"[A-Za-z0-9._~+/=-]{16,}", token), token

    out = tour("login", "--endpoint", url, "--unit", "632521", "--token-stdin", input=token + "\n")
    assert "没有可用的系统密钥环" in out and "tokens.toml" in out  # said, and the file store used
    assert token not in out

    today = tour.work / "今日信息"
    shutil.copytree(PHOTOS, today)
    out = tour("new", "news", "今日信息/", "--title", "共和县召开冬春农牧业生产工作会议", "--liaison", "李海英",
               "--phone", "0974-8512655")
    assert "submission.toml" in out
    toml = today / "submission.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'unit = "632521"' in text  # from the profile login recorded
    # the liaison fills in the empty fields, as the template's comments say
    text = re.sub(r'^column = ""', 'column = "county-news"', text, flags=re.M)
    text = re.sub(r'^category = ""', 'category = "meetings"', text, flags=re.M)
    text = re.sub(r'^source = ""', 'source = "共和县人民政府办公室"', text, flags=re.M)  # SUB018: a news item names its source
    text = re.sub(r'^approver = ""', 'approver = "马国栋"', text, flags=re.M)
    text = re.sub(r'^# approved_at = (\S+)', r'approved_at = \1', text, flags=re.M)
    text = text.replace('caption = ""', 'caption = "会议现场"')
    toml.write_text(text, encoding="utf-8")

    out = tour("push", "今日信息/", "--quiet")  # no --endpoint, no --unit: login recorded them
    ids = re.findall(r"\bHN-\d{8}-[0-9A-Z]+\b", out)
    assert ids, out
    submission = ids[0]

    out = tour("status")
    assert submission in out and "已接收" in out

    out = tour("review", "accept", submission)
    out = tour("status")
    assert submission in out and ("已采用" in out or "已发布" in out), out
