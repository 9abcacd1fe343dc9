"""The server side of an upload without HTTP: append N MiB in 1 MiB chunks, commit every 64 MiB (as the
client's PATCHes do), then finish. Ours (hashing while receiving, issue 19) against the blob store of an
earlier revision (which read the whole staged file back at finish), alternated in one run.

    python benchmarks/upload_finish.py [--mib 512] [--rounds 3] [--before 3a9c445^]

Prints the finish alone and the whole append + finish, medians, with the load average.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _store_class_at(rev: str):
    source = subprocess.run(["git", "show", f"{rev}:hnsubmit/exchange/store/blobs.py"], cwd=REPO, check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "blobs_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("blobs_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LocalBlobStore


def _one(store_class, root: Path, chunk: bytes, mib: int, digest: str) -> tuple[float, float]:
    store = store_class(root)
    uid = "u_" + os.urandom(16).hex()
    store.start(uid)
    start = time.perf_counter()
    offset = 0
    for part in range(0, mib, 64):
        a = store.appender(uid, offset)
        for _ in range(min(64, mib - part)):
            a.write(chunk)
        offset = a.commit()
    before_finish = time.perf_counter()
    actual, size = store.finish(uid, digest)
    end = time.perf_counter()
    assert actual == digest and size == mib << 20
    os.unlink(store._blob(digest))
    return end - before_finish, end - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mib", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", default="3a9c445^", help="the revision whose blob store is the peer")
    args = parser.parse_args()
    from hnsubmit.exchange.store.blobs import LocalBlobStore

    before = _store_class_at(args.before)
    chunk = os.urandom(1 << 20)
    h = hashlib.sha256()
    for _ in range(args.mib):
        h.update(chunk)
    digest = "sha256:" + h.hexdigest()
    load = os.getloadavg()
    times: dict[str, list[tuple[float, float]]] = {"ours": [], "before": []}
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        for _ in range(args.rounds):
            for name, cls in (("ours", LocalBlobStore), ("before", before)):
                times[name].append(_one(cls, Path(tmp) / name, chunk, args.mib, digest))
    fin = {k: statistics.median(t[0] for t in v) for k, v in times.items()}
    whole = {k: statistics.median(t[1] for t in v) for k, v in times.items()}
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {args.mib} MiB, {args.rounds} rounds")
    print(f"finish alone: ours {fin['ours']:.3f} s vs {args.before} {fin['before']:.3f} s = {fin['ours'] / fin['before']:.2f}x")
    print(f"append + finish: ours {whole['ours']:.3f} s ({args.mib / whole['ours']:.0f} MiB/s) vs {args.before} "
          f"{whole['before']:.3f} s ({args.mib / whole['before']:.0f} MiB/s) = {whole['ours'] / whole['before']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
