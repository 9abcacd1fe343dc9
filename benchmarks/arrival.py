"""Receipts while the server checks on arrival (issue 14): does the check delay the receipt?

    python benchmarks/arrival.py [--items 10]

Against the real server (`hnsubmit serve` on 127.0.0.1, as the tests start it), with one ~100,000
character Word body (about 100 pages) uploaded once and named by every submission:
  - idle: post a submission and time its receipt, then wait until its check is done, so the arrival
    worker is idle at the next post; the time from the receipt to "done" is the check's own cost;
  - busy: post the same number back to back, each receipt timed while the worker is checking the
    ones before.
Printed: the medians, receipt busy / receipt idle (the goal: about 1.0, the check never waits in
front of a receipt), and check / receipt idle.  The load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

POOL = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"


def big_docx(path: Path, chars: int = 100_000) -> Path:
    import docx

    rng = random.Random(14)
    d = docx.Document()
    written = 0
    while written < chars:
        text = "".join(rng.choices(POOL, k=180)) + "，各单位再接再励。"
        d.add_paragraph(text)
        written += len(text)
    d.save(path)
    return path


def _post(s, digest: str, size: int) -> tuple[str, float]:
    m = s.manifest("unit", b"", title="共和县冬春生产" + uuid.uuid4().hex[:8])
    m["files"] = [{"path": "正文.docx", "role": "body", "digest": digest, "size": size}]
    t = time.perf_counter()
    r = s.submit("unit", m, str(uuid.uuid4()))
    took = time.perf_counter() - t
    assert r.status_code == 201, r.text
    return r.json()["submission_id"], took


def _wait_done(s, sid: str) -> float:
    t = time.perf_counter()
    with s.client("reviewer") as c:
        while c.get(f"/api/v1/submissions/{sid}/findings").json()["state"] == "pending":
            time.sleep(0.01)
    return time.perf_counter() - t


def main() -> None:
    from exchange.harness import start_server

    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=10)
    n = ap.parse_args().items
    with tempfile.TemporaryDirectory() as tmp:
        body = big_docx(Path(tmp) / "正文.docx").read_bytes()
        s = start_server(Path(tmp) / "data")
        try:
            digest = s.upload("unit", body)
            _wait_done(s, _post(s, digest, len(body))[0])  # warm: the lists' automaton is built once
            idle, checks = [], []
            for _ in range(n):
                sid, took = _post(s, digest, len(body))
                idle.append(took)
                checks.append(_wait_done(s, sid))
            busy, sids = [], []
            for _ in range(n):
                sid, took = _post(s, digest, len(body))
                busy.append(took)
                sids.append(sid)
            for sid in sids:
                _wait_done(s, sid)
        finally:
            s.stop()
    ri, rb, ck = statistics.median(idle), statistics.median(busy), statistics.median(checks)
    print(f"load average {os.getloadavg()[0]:.1f}; {len(body) // 1024} KiB body, {n} items per phase")
    print(f"receipt, worker idle: {ri * 1000:.1f} ms (median)")
    print(f"receipt, worker busy: {rb * 1000:.1f} ms (median)   busy/idle {rb / ri:.2f}x")
    print(f"check on arrival:     {ck * 1000:.1f} ms (median, receipt to done)   check/receipt {ck / ri:.1f}x")


if __name__ == "__main__":
    main()
