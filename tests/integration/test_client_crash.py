"""`hnsubmit push` of a batch killed with SIGKILL mid-batch; `hnsubmit outbox retry` delivers the rest once.

Both commands run as real processes against the real server, over a throttled proxy (a slow county
link) so the kill lands while items are still uploading.  The verdict is read from the server's data
directory and the outbox: one submission per item, every receipt matching what was stored.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO
from exchange.harness import start_server
from push_faults import FaultProxy
from push_load import item_folder, title_of
from store_audit import audit_store, check_receipts

pytestmark = pytest.mark.integration
SUBMIT = ("POST", "/api/v1/submissions")


# read at import: the autouse fixture of conftest.py clears HNSUBMIT_* before each test runs
SEED = os.environ.get("HNSUBMIT_CHAOS_SEED")


def _seed() -> int:
    return int(SEED or random.SystemRandom().randrange(1 << 32))


def _hnsubmit(args: list[str], env: dict, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "hnsubmit", *args], env=env, cwd=str(cwd),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _kill_after_submissions(proc: subprocess.Popen, proxy: FaultProxy, count: int, delay: float) -> int:
    """SIGKILL `proc` `delay` s after the proxy has seen `count` submission POSTs; returns the count then."""
    deadline = time.monotonic() + 120
    while proxy.requests[SUBMIT] < count:
        assert proc.poll() is None, "the batch ended before it could be killed:\n" + proc.stdout.read().decode()[-2000:]
        assert time.monotonic() < deadline, "no submission within 120 s"
        time.sleep(0.01)
    time.sleep(delay)
    seen = proxy.requests[SUBMIT]
    assert proc.poll() is None, "the batch ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    proc.stdout.close()
    return seen


def run_client_kills(tmp_path: Path, count: int, kills: int) -> dict:
    from hnsubmit.client.outbox import Outbox

    seed = _seed()
    print(f"client-crash seed {seed} (HNSUBMIT_CHAOS_SEED={seed} replays it)")
    rng = random.Random(seed)
    server = start_server(tmp_path / "data")
    proxy = FaultProxy(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), throttle=3_000_000)
    folders = [item_folder(tmp_path / "folders", i, int(rng.uniform(500_000, 2_500_000)), rng, "client")
               for i in range(count)]
    env = dict(os.environ, HNSUBMIT_TOKEN=server.tokens["unit"], PYTHONPATH=str(REPO))
    killed_at = []
    started = time.monotonic()
    try:
        # 1. the batch is killed after its first items reached the server, in the middle of the next ones
        proc = _hnsubmit(["push", *map(str, folders), "--endpoint", proxy.url, "--quiet", "--concurrency", "2"],
                         env, tmp_path)
        # early enough that several items are still on their way (at 3 MB/s each takes 0.15-0.8 s)
        killed_at.append(_kill_after_submissions(proc, proxy, rng.randint(1, max(1, count // (kills + 1))),
                                                 rng.uniform(0.0, 0.15)))
        states = Counter(i.state for i in Outbox().list())
        assert len(Outbox().list()) == count and states["uploading"] >= 1, states  # the dead process's items, kept
        # 2. later runs of `outbox retry` are killed too, then one is left to finish
        for _ in range(kills - 1):
            before = proxy.requests[SUBMIT]
            proc = _hnsubmit(["outbox", "retry", "--quiet", "--concurrency", "2"], env, tmp_path)
            killed_at.append(_kill_after_submissions(proc, proxy, before + 1, rng.uniform(0.0, 0.15)))
        proxy.throttle = None
        proc = _hnsubmit(["outbox", "retry", "--quiet", "--concurrency", "2"], env, tmp_path)
        out, _ = proc.communicate(timeout=180)
        assert proc.returncode == 0, out.decode()[-3000:]
        final = Outbox().list()
    finally:
        proxy.close()
        server.stop()
    audit = audit_store(server.data_dir)
    stats = {
        "seed": seed, "items": count, "kills": len(killed_at), "submission_posts_at_kills": killed_at,
        "submission_posts": proxy.requests[SUBMIT], "seconds": round(time.monotonic() - started, 1),
        "item_attempts": sum(i.attempts for i in final), "receipts": sum(1 for i in final if i.state == "sent"),
        "submissions": len(audit.submissions), "duplicates": sum(n - 1 for n in audit.by_title().values() if n > 1),
    }
    print("client-crash run:", stats)
    context = f"seed {seed}: {stats}"
    assert audit.problems == [], context
    assert check_receipts(audit, final) == [], context
    assert audit.by_title() == Counter({title_of(i, "client"): 1 for i in range(count)}), context
    assert not any(i.package.exists() for i in final), context  # delivered: the outbox freed its copies
    assert server.tokens["unit"] not in server.log(), context
    return stats


def test_push_killed_mid_batch_then_outbox_retry_delivers_the_rest_once(tmp_path):
    run_client_kills(tmp_path, count=5, kills=1)


@pytest.mark.slow
def test_a_batch_killed_five_times_is_delivered_once(tmp_path):
    run_client_kills(tmp_path, count=12, kills=5)
