"""`hnsubmit demo` end to end in a subprocess: exit 0, the whole story told, under a minute, nothing left running."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

from conftest import EXAMPLES, REPO


def test_demo_runs_the_main_job_and_leaves_nothing_behind(tmp_path, isolated_environment):
    env = dict(os.environ, PYTHONPATH=str(REPO), COLUMNS="200")
    env.pop("HNSUBMIT_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "hnsubmit", "--lang", "en", "demo", "--examples", str(EXAMPLES)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group: every child it started is findable afterwards
    )
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, out[-4000:] + err[-4000:]  # how long it takes: benchmarks, not this test
    # the story: office sets up, liaison pushes, same push again sends nothing, review, status, report
    assert "Office: registered unit 632500-ybj" in out
    # approver mode (issue 15 §2): each unit's leader approves with their own token before the office reviews
    assert re.search(r"Approver 马国栋 \(632521\) approved \d+ item\(s\); e\.g\. HN-\S+: 马国栋\s+\(approver token t_[0-9a-f]{12}\)", out)
    receipts = re.findall(r"HN-\d{8}-[0-9A-Z]{6}", out)
    news = len(list((EXAMPLES / "submissions").glob("*/submission.toml")))
    assert len(set(receipts)) > news  # the example submissions and the batch of office guides
    assert "(already received)" in out
    assert re.search(r"Reviewer accepted HN-", out) and re.search(r"Reviewer rejected HN-\S+ .*图片说明不完整", out, re.S)
    assert "published" in out and "rejected" in out
    assert "This week, week " in out and "Submissions by unit, week " in out and "共和县人民政府" in out
    # the column report (issue 15 §3): the column the accepted item went to is up to date, a column nobody fed is stale
    assert re.search(r"Column updates, Q\d \d{4} \(weeks \d+–\d+\), as of \d{4}-\d{2}-\d{2}", out)
    assert re.search(r"Video .*共和县冬季文旅宣传.*up to date", out) and re.search(r"Policy documents .*never updated.*stale", out)
    # the review console (issue 16): its address and a one-time sign-in link for the demo reviewer
    assert re.search(r"Review console: http://127\.0\.0\.1:\d+/console/", out)
    assert re.search(r"One-time sign-in link for the demo reviewer: http://127\.0\.0\.1:\d+/console/link/[\w-]{43}", out)
    assert "Traceback" not in out + err
    # nothing left running: no process in its group, nobody listening on the exchange's port
    try:
        os.killpg(proc.pid, 0)
        alive = True
    except ProcessLookupError:
        alive = False
    assert not alive
    port = int(re.search(r"Exchange running at http://127\.0\.0\.1:(\d+)", out).group(1))
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0
    # and nothing of the user's touched: no outbox in the user data dir
    assert not (isolated_environment / ".local" / "share" / "hnsubmit" / "outbox").exists()
