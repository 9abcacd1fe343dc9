"""Ctrl-C while the client waits out a server's Retry-After leaves every item in the outbox, at once.

A real `hnsubmit push` process of two items sent side by side (-j 2) against a hostile server on
127.0.0.1 that forwards uploads to the real exchange but answers every submit `503` with
`Retry-After: 60`.  Once the client has said (in Chinese) what it waits for, SIGINT must end it within
seconds with exit 130 (not after the minute the worker threads sleep), and both items stay queued.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import ctrl_c_as_at_a_terminal
from hostile_server import Answer, HostileServer
from push_live import live  # noqa: F401  (the fixture)
from test_push_e2e import MEETING, copy_submission

from hnsubmit.client.outbox import Outbox

pytestmark = pytest.mark.integration
BUSY = {"error": {"code": "unavailable", "message": {"zh": "维护中", "en": "maintenance"}, "details": {}}}


def test_ctrl_c_during_a_retry_after_wait_keeps_the_items(live, tmp_path):
    env = dict(os.environ, HNSUBMIT_TOKEN=live.unit_token().reveal(), HNSUBMIT_LANG="zh", PYTHONUNBUFFERED="1")
    folders = [copy_submission(MEETING, tmp_path / f"m{i}", f"中断等待{i}") for i in range(2)]
    with HostileServer(live.url) as hostile:
        hostile.rule("POST", r"/api/v1/submissions", lambda req: Answer.json(503, BUSY, **{"Retry-After": "60"}))
        with ctrl_c_as_at_a_terminal():
            proc = subprocess.Popen([sys.executable, "-m", "hnsubmit", "push", *map(str, folders), "--endpoint",
                                     hostile.url, "--quiet", "-j", "2"], env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            seen = ""
            while "等待" not in seen and time.monotonic() < deadline and proc.poll() is None:
                seen += proc.stderr.readline()
            assert "等待 60 秒" in seen and "服务器暂时不可用" in seen, seen
            time.sleep(0.3)  # both workers are asleep now
            proc.send_signal(signal.SIGINT)
            started = time.monotonic()
            out, err = proc.communicate(timeout=30)
            stopped = time.monotonic() - started
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 130, out + err
    assert stopped < 5, f"Ctrl-C took {stopped:.1f} s"
    assert "Traceback" not in err
    items = Outbox().list()
    assert len(items) == 2 and all(i.state != "sent" for i in items)
