"""Issue 12, item 7: Ctrl-C during `push` or `fix` says in one line what was kept and which command continues.

Real processes sent a real SIGINT; the exchange is a listening socket that never answers, so the push is
caught in the middle of a request, at a known point."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO, ctrl_c_as_at_a_terminal
from factories import make_png

MEETING = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"


class SilentServer:
    """Accepts connections, reads what comes, never answers; counts the connections that sent a request."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.requests = 0
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        try:
            if conn.recv(65536):
                self.requests += 1
        except OSError:
            pass

    def close(self) -> None:
        self.sock.close()
        for c in self.held:
            c.close()


def _start(args, cwd: Path, home: Path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HNSUBMIT_")}
    env.update(PYTHONPATH=str(REPO), HOME=str(home), LANG="C.UTF-8", **extra)
    with ctrl_c_as_at_a_terminal():
        return subprocess.Popen([sys.executable, "-m", "hnsubmit", *args], cwd=cwd, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


def _wait(condition, proc, timeout=60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the moment to interrupt never came"
        time.sleep(0.05)


def _interrupt(proc) -> tuple[str, str]:
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, out + err
    assert "Traceback" not in err
    return out, err


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


def test_ctrl_c_while_sending_says_the_item_is_in_the_outbox(tmp_path, silent):
    folder = tmp_path / "今日信息"
    shutil.copytree(MEETING, folder)
    before = _digests(folder)
    policy = tmp_path / "policy.toml"
    policy.write_text(subprocess.run([sys.executable, "-m", "hnsubmit", "config", "policy"], capture_output=True, text=True,
                                     encoding="utf-8", env=dict(os.environ, PYTHONPATH=str(REPO)), check=True).stdout, encoding="utf-8")
    proc = _start(["push", str(folder), "--endpoint", silent.url, "--unit", "632521", "--policy", str(policy), "-q"],
                  tmp_path, tmp_path / "home", HNSUBMIT_TOKEN="abcdefghijklmnopqrstuvwx")
    _wait(lambda: silent.requests >= 1, proc)  # the first request of the send is waiting for an answer
    _out, err = _interrupt(proc)
    lines = [line for line in err.splitlines() if "中断" in line]
    assert len(lines) == 1, err
    assert "待发箱" in lines[0] and "原文件未改动" in lines[0] and "hnsubmit outbox retry" in lines[0]
    assert _digests(folder) == before


def test_ctrl_c_before_sending_says_nothing_was_sent(tmp_path, silent):
    folder = tmp_path / "今日信息"
    shutil.copytree(MEETING, folder)
    proc = _start(["push", str(folder), "--endpoint", silent.url, "--unit", "632521", "-q"],
                  tmp_path, tmp_path / "home", HNSUBMIT_TOKEN="abcdefghijklmnopqrstuvwx")
    _wait(lambda: silent.requests >= 1, proc)  # asking the server for its policy
    _out, err = _interrupt(proc)
    lines = [line for line in err.splitlines() if "中断" in line]
    assert len(lines) == 1, err
    assert "没有发送任何内容" in lines[0] and "hnsubmit push" in lines[0]


def test_ctrl_c_during_fix_says_the_originals_are_untouched(tmp_path):
    folder = tmp_path / "照片"
    folder.mkdir()
    first = make_png(folder / "照片000.png", size=(1200, 900))
    for n in range(1, 400):  # far more than can be fixed between the first copy and the signal
        shutil.copyfile(first, folder / f"照片{n:03}.png")
    before = _digests(folder)
    out_dir = tmp_path / "修复后"
    proc = _start(["fix", str(folder), "-o", str(out_dir), "-q"], tmp_path, tmp_path / "home")
    _wait(lambda: out_dir.exists() and any(out_dir.rglob("*.jpg")), proc)
    _out, err = _interrupt(proc)
    lines = [line for line in err.splitlines() if "中断" in line]
    assert len(lines) == 1, err
    assert "原文件未改动" in lines[0] and str(out_dir) in lines[0] and "hnsubmit fix" in lines[0]
    assert _digests(folder) == before


def test_ctrl_c_pressed_twice_during_fix_still_exits_130_with_one_line(tmp_path):
    folder = tmp_path / "照片"
    folder.mkdir()
    first = make_png(folder / "照片000.png", size=(1200, 900))
    for n in range(1, 400):
        shutil.copyfile(first, folder / f"照片{n:03}.png")
    out_dir = tmp_path / "修复后"
    proc = _start(["fix", str(folder), "-o", str(out_dir), "-q"], tmp_path, tmp_path / "home")
    _wait(lambda: out_dir.exists() and any(out_dir.rglob("*.jpg")), proc)
    proc.send_signal(signal.SIGINT)
    # the second press lands while the first is being handled: printing the line, closing, exiting
    for _ in range(20):
        time.sleep(0.005)
        if proc.poll() is not None:
            break
        proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, out + err
    assert "Traceback" not in err
    assert len([line for line in err.splitlines() if "中断" in line]) == 1, err
