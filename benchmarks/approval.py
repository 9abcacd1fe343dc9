"""P11: what the approver step costs the exchange (issue 15 §2) — a submission taken in approver mode
(the manifest's approver checked against the unit's live approvers, the item kept awaiting approval)
against the same submission in declared mode, and an approver token's authentication (its registered
name read too) against a unit token's; alternated in one run, in this process, each on its own SQLite
database with the same units, blobs and tokens (`--approvers` registered per unit, 16 units).

Goal: approver mode ≤ 1.2x declared for a submission, an approver's authentication ≤ 1.5x a unit's.

    python benchmarks/approval.py [--items 300] [--approvers 4] [--runs 5]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import Figure

BODY = b"P11 body " * 64
DIGEST = "sha256:" + hashlib.sha256(BODY).hexdigest()


def _exchange(data: Path, mode: str, approvers: int):
    """An exchange in `mode` with the blob held by 632521, unit and approver tokens; (ex, unit, approver)."""
    from hnsubmit.exchange.auth import authenticate, issue_token
    from hnsubmit.exchange.context import open_exchange, utcnow
    from hnsubmit.policy.model import default_policy

    pol = default_policy()
    pol = pol.model_copy(update={"approval": pol.approval.model_copy(update={"mode": mode})})
    ex = open_exchange(data, pol)
    now = utcnow()
    upload = "u_" + "0" * 32
    ex.blobs.start(upload)
    appender = ex.blobs.appender(upload, 0)
    appender.write(BODY)
    appender.commit()
    ex.blobs.finish(upload, DIGEST)
    ex.storage.add_blob_ref("632521", DIGEST, len(BODY), now)
    unit_secret, _ = issue_token(ex.storage, "unit", "632521", "liaison", now)
    approver_secret = ""
    for u in ex.storage.list_units():
        for n in range(approvers):
            name = "王五" if (u.code, n) == ("632521", approvers - 1) else f"领导{n}"
            secret, _ = issue_token(ex.storage, "approver", u.code, "", now, name=name)
            if name == "王五":
                approver_secret = secret
    who = authenticate(ex.storage, "Bearer " + unit_secret, now)
    return ex, who, unit_secret, approver_secret


def _manifest(i: int) -> bytes:
    return json.dumps({
        "title": f"共和县第{i}条测试信息", "unit": "632521", "column": "county-news", "category": "meetings",
        "liaison": {"name": "李四", "phone": "0974-8512655"},
        "approval": {"approver": "王五", "approved_at": "2026-11-17T09:30:00+08:00"},
        "files": [{"path": "正文.docx", "role": "body", "digest": DIGEST, "size": len(BODY)}],
    }, ensure_ascii=False).encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--approvers", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from hnsubmit.exchange import submissions
    from hnsubmit.exchange.auth import authenticate
    from hnsubmit.exchange.context import utcnow

    with tempfile.TemporaryDirectory(prefix="hnsubmit-p11-") as tmp:
        declared, d_who, unit_secret, _ = _exchange(Path(tmp) / "declared", "declared", args.approvers)
        approver, a_who, _, approver_secret = _exchange(Path(tmp) / "approver", "approver", args.approvers)
        try:
            per_run = max(1, args.items // args.runs)
            sub_d, sub_a, auth_u, auth_a = [], [], [], []
            n = 0
            for _run in range(args.runs):  # alternated, so a burst of load hits both
                for ex, who, out, state in ((declared, d_who, sub_d, "received"), (approver, a_who, sub_a, "awaiting_approval")):
                    t = time.perf_counter()
                    for i in range(per_run):
                        status, receipt, _ = submissions.submit(ex, who, f"p11-{n}-{i}", _manifest(n * per_run + i), utcnow())
                        assert status == 201 and receipt["state"] == state, receipt
                    out.append((time.perf_counter() - t) / per_run)
                n += 1
                for secret, out in ((unit_secret, auth_u), (approver_secret, auth_a)):
                    t = time.perf_counter()
                    for _ in range(200):
                        authenticate(approver.storage, "Bearer " + secret, utcnow()) if secret == approver_secret else \
                            authenticate(declared.storage, "Bearer " + secret, utcnow())
                    out.append((time.perf_counter() - t) / 200)
        finally:
            declared.close()
            approver.close()
    ms = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    note = f"{args.approvers} approvers in each of 16 units, {per_run * args.runs} submissions per mode"
    figures = [
        Figure("P11 submit, approver mode", ms(sub_a), ms(sub_d), "ms", "the same in declared mode", "≤ 1.2x",
               ms(sub_a) <= 1.2 * ms(sub_d), note),
        Figure("P11 authenticate an approver", ms(auth_a), ms(auth_u), "ms", "a unit token", "≤ 1.5x",
               ms(auth_a) <= 1.5 * ms(auth_u), note),
    ]
    for f in figures:
        print(f.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
