"""A GBK console (Windows code page 936, PYTHONIOENCODING=gbk): characters it lacks become '?', never a crash.

Each command runs in a subprocess with PYTHONIOENCODING=gbk, as on a liaison's PC, with text GBK cannot
hold where it really occurs: an emoji in a file and a folder name, 'ğ' in a title, '¶' in the DOC010
hint, and the push's Rich bars on a terminal (a pseudo-terminal here).  The output must decode as GBK
and show the replacement; the machine has no zh_CN.GBK locale, so the locale stays C.UTF-8.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO
from factories import make_jpeg

MEETING = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"
PNG_AS_JPG = EXAMPLES / "negative" / "截图-其实是PNG.jpg"


def gbk_env(**more: str) -> dict:
    env = dict(os.environ, PYTHONIOENCODING="gbk", PYTHONPATH=str(REPO), COLUMNS="120")
    env.update(more)
    return env


# the console script's entry (hnsubmit/cli/entry.py), as `hnsubmit.exe` runs it; `python -m hnsubmit` goes through app.main
ENTRY = ["-c", "import sys; sys.argv[0] = 'hnsubmit'; from hnsubmit.cli.entry import main; main()"]


def hnsubmit(*args, cwd: Path, entry: bool = False, **env) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, *(ENTRY if entry else ["-m", "hnsubmit"]), *map(str, args)], capture_output=True, cwd=cwd,
                          env=gbk_env(**env), timeout=120)
    encoding = env.get("PYTHONIOENCODING", "gbk")
    out, err = proc.stdout.decode(encoding), proc.stderr.decode(encoding)  # strict: the bytes are GBK
    assert "UnicodeEncodeError" not in err and "Traceback" not in err, err
    return proc.returncode, out, err


def on_a_terminal(args, cwd: Path, **env) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal, so Rich draws its live bars."""
    master, slave = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "hnsubmit", *map(str, args)], stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=slave, cwd=cwd, env=gbk_env(TERM="xterm", **env))
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    code = proc.wait(120)
    text = b"".join(chunks).decode("gbk")
    assert "UnicodeEncodeError" not in text and "Traceback" not in text, text
    return code, text


def test_check_and_fix_of_a_file_name_gbk_lacks(tmp_path):
    shutil.copy(PNG_AS_JPG, tmp_path / "照片📷.jpg")
    code, out, err = hnsubmit("check", ".", cwd=tmp_path)
    assert code == 1 and "照片?.jpg" in out and "FMT002" in out, out + err
    code, out, err = hnsubmit("--lang", "en", "check", ".", "--format", "text", cwd=tmp_path, entry=True)
    assert code == 1 and "照片?.jpg" in out, out + err
    code, out, err = hnsubmit("fix", "照片📷.jpg", "-o", "fixed", cwd=tmp_path)
    assert code == 0 and "照片?" in out + err, out + err
    assert (tmp_path / "fixed" / "照片📷.jpg").is_file()  # the file keeps its real name; only the console shows '?'


def test_rules_and_explain_with_a_sign_gbk_lacks(tmp_path):
    code, out, _err = hnsubmit("explain", "DOC010", cwd=tmp_path)
    assert code == 0 and "编辑标记(?)" in out, out
    code, out, _err = hnsubmit("--lang", "en", "explain", "DOC010", cwd=tmp_path)
    assert code == 0 and "Show/Hide ?" in out, out
    code, out, _err = hnsubmit("rules", cwd=tmp_path)
    assert code == 0 and "DOC010" in out and "FMT001" in out


@pytest.mark.integration
def test_push_bars_and_status_of_a_title_gbk_lacks(tmp_path, exchange_server):
    folder = shutil.copytree(MEETING, tmp_path / "会议📷")
    (folder / "会场照片1.jpg").unlink()
    # a photo of this test's own, so the server lacks it whatever other tests pushed before: a bar appears
    make_jpeg(folder / "会场照片📷.jpg", size=(1600, 1200), seed=int.from_bytes(os.urandom(4), "big"))
    toml = folder / "submission.toml"
    text = toml.read_text(encoding="utf-8").replace('path = "会场照片1.jpg"', 'path = "会场照片📷.jpg"')
    text = re.sub(r'^title = "([^"]*)"', r'title = "\1(Erdoğan 访问)"', text, count=1, flags=re.M)
    toml.write_text(text, encoding="utf-8")
    token = dict(HNSUBMIT_TOKEN=exchange_server.tokens["unit"])
    code, shown = on_a_terminal(["push", folder.name, "--endpoint", exchange_server.url], cwd=tmp_path, **token)
    assert code == 0, shown
    assert "会议?: 会场照片?.jpg" in shown, shown  # a bar names the item (its folder) and the file
    assert "\\U0001f4f7" not in shown, shown  # not stderr's default backslash escape
    receipt = re.search(r"HN-\d{8}-[0-9A-Z]{6}", shown)
    assert receipt, shown
    # the item's own page: a list of many items would cut the title to fit 80 columns
    code, out, err = hnsubmit("status", receipt.group(0), "--endpoint", exchange_server.url, "--unit", "632521",
                              cwd=tmp_path, **token)
    assert code == 0 and "(Erdo?an" in out, out + err


def test_the_stored_root_help_on_a_console_without_chinese(tmp_path):
    """`hnsubmit --help` is answered by entry.py before the app (and its guard) is imported."""
    code, out, _err = hnsubmit("--help", cwd=tmp_path, entry=True, PYTHONIOENCODING="ascii")
    assert code == 0 and "hnsubmit [" in out and "--lang" in out and "???" in out, out  # the Chinese root help, '?' for what ascii lacks
