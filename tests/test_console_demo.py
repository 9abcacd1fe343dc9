"""`hnsubmit demo --keep-console` (issue 16): the printed one-time link signs a browser in to the demo's review
console, which shows the demo's items, and Ctrl-C then stops the exchange.  Slow (a whole demo run);
tests/test_demo.py checks the default run prints the address and the link."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest

from conftest import EXAMPLES, REPO


@pytest.mark.slow
def test_keep_console_serves_the_printed_link_until_ctrl_c(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO), COLUMNS="200", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "hnsubmit", "--lang", "en", "demo", "--examples", str(EXAMPLES),
                             "--keep-console"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    lines = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, "".join(lines)[-3000:]
            lines.append(line)
            if "press Ctrl-C to stop" in line:
                break
        text = "".join(lines)
        link = re.search(r"One-time sign-in link for the demo reviewer: (http://\S+)", text).group(1)
        with httpx.Client(follow_redirects=False, timeout=30) as c:
            page = c.get(link)
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
            assert c.post(link, data={"csrf": csrf}).status_code == 303
            queue = c.get(link.split("/console/")[0] + "/console/?state=all")
            assert queue.status_code == 200 and "待审队列" in queue.text and "HN-" in queue.text
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(30)
    assert proc.returncode in (0, 1), proc.returncode
