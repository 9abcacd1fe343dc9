"""The exchange server killed with SIGKILL at chosen and random moments while packages are pushed.

A pass-through proxy (push_faults.FaultProxy, no faults of its own) watches the requests go by and
kills the server process in the middle of a PATCH body, just as a finish (PUT) or a submission (POST)
reached it, just as an upload session is created, or after a random delay.  While the server is down
its data directory is audited directly: every receipt the client already holds must be there, intact.
Then the server is restarted on the same data directory (a new port; the proxy is re-pointed) and the
client, retrying and then running the outbox again, must deliver every other item exactly once.
The seed is printed; HNSUBMIT_CHAOS_SEED=<seed> replays the choices.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from exchange.harness import start_server
from push_faults import FaultProxy
from push_load import queue_items, title_of
from store_audit import audit_store, check_receipts

pytestmark = pytest.mark.integration
MODES = ("patch", "finish", "submit", "create", "timer")


# read at import: the autouse fixture of conftest.py clears HNSUBMIT_* before each test runs
SEED = os.environ.get("HNSUBMIT_CHAOS_SEED")


def _seed() -> int:
    return int(SEED or random.SystemRandom().randrange(1 << 32))


class Killer:
    """Kills the server at the next moment of the drawn kind, audits the stopped store, restarts it."""

    def __init__(self, server, rng: random.Random, kills: int, outbox_root: Path) -> None:
        self.server, self.rng, self.kills, self.outbox_root = server, rng, kills, outbox_root
        self.proxy: FaultProxy | None = None
        self.done = 0
        self.modes: Counter = Counter()
        self.problems: list[str] = []
        self.receipts_checked = 0
        self.restart_seconds = 0.0
        self.lock = threading.Lock()
        self.killed = threading.Event()
        self.stop = threading.Event()
        self.armed = False
        self._arm()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _arm(self) -> None:
        self.mode = self.rng.choice(MODES)
        self.fraction = self.rng.uniform(0.05, 0.95)  # how far into a PATCH body
        self.delay = self.rng.uniform(0.0, 0.01) if self.mode != "timer" else self.rng.uniform(0.05, 1.0)
        self.armed = True

    def on_forward(self, method: str, route: str, sent: int, length: int) -> None:
        """Called by the proxy after it forwarded a request's head (sent=0) and each body piece."""
        with self.lock:
            if not self.armed or self.mode == "timer":
                return
            hit = (
                (self.mode == "patch" and method == "PATCH" and sent > 0 and sent >= self.fraction * length)
                or (self.mode == "finish" and method == "PUT" and route.startswith("/api/v1/uploads/"))
                or (self.mode == "submit" and method == "POST" and route == "/api/v1/submissions" and sent == length)
                or (self.mode == "create" and method == "POST" and route == "/api/v1/uploads" and sent == length)
            )
            if not hit:
                return
            self.armed = False
        time.sleep(self.delay)  # the server is committing, renaming, answering: somewhere in there
        self._kill()

    def _kill(self) -> None:
        proc = self.server.proc
        if proc is not None and proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        self.killed.set()

    def _run(self) -> None:
        from hnsubmit.client.outbox import Outbox

        box = Outbox(self.outbox_root)
        while self.done < self.kills and not self.stop.is_set():
            if self.mode == "timer":
                if self.stop.wait(self.delay):
                    return
                with self.lock:
                    self.armed = False
                self._kill()
            elif not self.killed.wait(0.2):
                continue
            # receipts the client holds at the moment of the crash: read before the store is looked at
            held = [i for i in box.list() if i.state == "sent"]
            self.server.stop(kill=True)  # reaps the killed process
            audit = audit_store(self.server.data_dir)
            self.problems += [f"after kill {self.done + 1} ({self.mode}): {p}" for p in audit.problems]
            self.problems += [f"after kill {self.done + 1} ({self.mode}): {p}" for p in check_receipts(audit, held)]
            self.receipts_checked += len(held)
            started = time.monotonic()
            self.server.start()
            self.restart_seconds += time.monotonic() - started
            self.proxy.upstream = ("127.0.0.1", int(self.server.url.rsplit(":", 1)[1]))
            self.modes[self.mode] += 1
            self.done += 1
            self.killed.clear()
            if self.done < self.kills:  # the last restart stays up
                with self.lock:
                    self._arm()


def run_with_server_kills(tmp_path: Path, pushes: int, kills: int, largest: int, budget: float) -> dict:
    from hnsubmit.client.api import ExchangeClient, RetryPolicy
    from hnsubmit.client.credentials import Secret
    from hnsubmit.client.outbox import Outbox
    from hnsubmit.client.push import push_items

    seed = _seed()
    print(f"crash seed {seed} (HNSUBMIT_CHAOS_SEED={seed} replays it)")
    rng = random.Random(seed)
    server = start_server(tmp_path / "data")
    killer = Killer(server, random.Random(rng.random()), kills, tmp_path / "outbox")
    proxy = FaultProxy(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), on_forward=killer.on_forward)
    killer.proxy = proxy
    started = time.monotonic()
    rounds = 0
    try:
        box = Outbox(tmp_path / "outbox")
        items = queue_items(box, proxy.url, "632521", pushes, rng, tmp_path, "crash", largest=largest)
        token = Secret(server.tokens["unit"])
        # less patience than a restart takes (~1.5 s), so items also fail and wait in the outbox: then the
        # outbox rounds, not only the in-request retries, have to deliver them exactly once
        policy = RetryPolicy(attempts=4, timeout=30, wait_initial=0.1, wait_max=0.5, wait_jitter=0.1)
        killer.thread.start()
        with ExchangeClient(proxy.url, token, retry=policy, timeout=10.0) as client:
            todo = list(items)
            while todo:
                n = rng.randint(1, 5)
                push_items(client, box, todo[:n], concurrency=2, secrets=(token.reveal(),))
                todo = todo[n:]
            # `hnsubmit outbox retry` until every item has its receipt; kills go on meanwhile
            while (box.pending() or killer.done < kills) and time.monotonic() - started < budget and rounds < 500:
                if box.pending():
                    rounds += 1
                    push_items(client, box, box.pending(), concurrency=2, secrets=(token.reveal(),))
                elif killer.done < kills:  # all delivered before the last kills: more work would be needed
                    break
        killer.stop.set()
        killer.thread.join(60)
        pending_after = box.pending()
        if pending_after and server.proc is not None:  # the last kill came after the last round
            with ExchangeClient(proxy.url, token, retry=policy, timeout=10.0) as client:
                rounds += 1
                push_items(client, box, pending_after, concurrency=2, secrets=(token.reveal(),))
        final = box.list()
    finally:
        killer.stop.set()
        proxy.close()
        server.stop()
    elapsed = time.monotonic() - started
    audit = audit_store(server.data_dir)
    stats = {
        "seed": seed, "pushes": pushes, "kills": killer.done, "modes": dict(killer.modes), "seconds": round(elapsed, 1),
        "restart_seconds": round(killer.restart_seconds, 1), "outbox_rounds": rounds,
        "item_attempts": sum(i.attempts for i in final), "receipts": sum(1 for i in final if i.state == "sent"),
        "receipts_checked_at_kills": killer.receipts_checked, "submissions": len(audit.submissions),
        "duplicates": sum(n - 1 for n in audit.by_title().values() if n > 1), "blob_files": audit.blob_files,
    }
    print("crash run:", stats)
    context = f"seed {seed}: {stats}"
    assert killer.problems == [], context
    assert audit.problems == [], context
    assert check_receipts(audit, final) == [], context
    assert audit.by_title() == Counter({title_of(i, "crash"): 1 for i in range(pushes)}), context
    # the pushes can all be delivered before the last kill lands: the count is a lower bound, not exact
    assert killer.done >= kills * 4 // 5, context
    assert stats["item_attempts"] > pushes, context  # some items were delivered by the outbox, after failing
    assert elapsed < budget, context
    return stats


def test_10_server_kills_during_20_pushes(tmp_path):
    run_with_server_kills(tmp_path, pushes=20, kills=10, largest=3_000_000, budget=150)


@pytest.mark.slow
def test_50_server_kills_during_50_pushes(tmp_path):
    run_with_server_kills(tmp_path, pushes=50, kills=50, largest=6_000_000, budget=900)
