"""P10: the exchange on PostgreSQL + S3 beside the embedded default, in one run (issue 17).

    python benchmarks/province.py [--clients 64] [--items 256] [--upload-mib 1024] [--skip-upload]

Engines: a private PostgreSQL cluster (Debian's binaries) and moto's S3 server on 127.0.0.1, started as the
tests start them (tests/exchange/engines.py). Figures:
  P10a  --clients concurrent clients pushing --items small items (a 2 KiB body each: create the upload session,
       one PATCH, finish, submit), spread over every unit of the seed, against
         - one SQLite + blob-folder server (today's default: the peer),
         - one PostgreSQL + S3 server,
         - two PostgreSQL + S3 servers on different ports sharing both, clients alternating between them;
       items/s, p50/p99 of one item's four requests, and errors.
  P10b  one --upload-mib upload (64 MiB PATCHes, then finish) to a PostgreSQL + S3 server vs the same upload to a
       blob-folder server. moto keeps objects in memory and is a Python server: the S3 figure measures moto as
       much as the store; a real MinIO is expected to do better.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))

from exchange.engines import start_postgres, start_s3, store_of  # noqa: E402
from exchange.harness import ExchangeServer, start_server  # noqa: E402

MIB = 1 << 20


def unit_tokens(data_dir: Path, locations=None) -> list[tuple[str, str, str]]:
    """(token, unit code, a column it feeds) for every active unit that feeds a column."""
    from hnsubmit.exchange.auth import issue_token
    from hnsubmit.exchange.context import open_exchange, utcnow

    ex = open_exchange(data_dir, locations=locations)
    try:
        return [(issue_token(ex.storage, "unit", u.code, "bench", utcnow())[0], u.code, u.columns[0])
                for u in ex.storage.list_units() if u.active and u.columns]
    finally:
        ex.close()


async def push_one(client, token: str, unit: str, column: str, n: int) -> float:
    body = f"{unit} item {n} {os.urandom(8).hex()} ".encode() * 64
    digest = "sha256:" + hashlib.sha256(body).hexdigest()
    h = {"Authorization": f"Bearer {token}"}
    t = time.perf_counter()
    r = await client.post("/api/v1/uploads", json={"digest": digest, "size": len(body)}, headers=h)
    r.raise_for_status()
    uid = r.json()["upload_id"]
    (await client.patch(f"/api/v1/uploads/{uid}", content=body, headers={**h, "Upload-Offset": "0"})).raise_for_status()
    (await client.put(f"/api/v1/uploads/{uid}", params={"digest": digest}, headers=h)).raise_for_status()
    manifest = {"title": f"性能测试第{n}条", "unit": unit, "column": column, "category": "meetings",
                "liaison": {"name": "李四", "phone": "0974-8512655"},
                "approval": {"approver": "王五", "approved_at": "2026-11-17T09:30:00+08:00"},
                "channels": ["portal"], "files": [{"path": "正文.txt", "role": "body", "digest": digest, "size": len(body)}]}
    r = await client.post("/api/v1/submissions", content=json.dumps(manifest, ensure_ascii=False).encode(),
                          headers={**h, "Idempotency-Key": f"bench-{n}-{os.getpid()}", "Content-Type": "application/json"})
    r.raise_for_status()
    return time.perf_counter() - t


async def push_many(urls: list[str], tokens: list[tuple[str, str, str]], clients: int, items: int) -> dict:
    import httpx

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    pools = [httpx.AsyncClient(base_url=u, timeout=120, limits=limits) for u in urls]
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(items):
        queue.put_nowait(n)

    async def worker(w: int) -> None:
        nonlocal errors
        while True:
            try:
                n = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            token, unit, column = tokens[w % len(tokens)]
            try:
                latencies.append(await push_one(pools[n % len(pools)], token, unit, column, n))
            except Exception:  # noqa: BLE001  (counted, the run goes on)
                errors += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(clients)))
    wall = time.perf_counter() - start
    for p in pools:
        await p.aclose()
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else float("nan")
    return {"items_s": len(latencies) / wall, "p50": statistics.median(latencies) if latencies else float("nan"),
            "p99": p99, "errors": errors, "wall": wall}


def upload_big(url: str, token: str, path: Path, size: int) -> float:
    import httpx

    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(8 * MIB):
            h.update(chunk)
    digest = "sha256:" + h.hexdigest()
    auth = {"Authorization": f"Bearer {token}"}
    t = time.perf_counter()
    with httpx.Client(base_url=url, timeout=600, headers=auth) as c:
        r = c.post("/api/v1/uploads", json={"digest": digest, "size": size})
        r.raise_for_status()
        uid = r.json()["upload_id"]
        with open(path, "rb") as f:
            offset = 0
            while chunk := f.read(64 * MIB):
                c.patch(f"/api/v1/uploads/{uid}", content=chunk, headers={"Upload-Offset": str(offset)}).raise_for_status()
                offset += len(chunk)
        c.put(f"/api/v1/uploads/{uid}", params={"digest": digest}).raise_for_status()
    return time.perf_counter() - t


def line(name: str, r: dict) -> str:
    return (f"{name}: {r['items_s']:.1f} items/s, p50 {r['p50'] * 1000:.0f} ms, p99 {r['p99'] * 1000:.0f} ms, "
            f"errors {r['errors']}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--items", type=int, default=256)
    ap.add_argument("--upload-mib", type=int, default=1024)
    ap.add_argument("--skip-upload", action="store_true")
    ap.add_argument("--only-upload", action="store_true")
    args = ap.parse_args()
    from hnsubmit.exchange.store.locations import Locations

    tmp = Path(tempfile.mkdtemp(prefix="hnsubmit-p10-"))
    pg, s3 = start_postgres(), start_s3()
    os.environ.update(s3.env())
    servers: list[ExchangeServer] = []
    try:
        big_policy = tmp / "policy.toml"
        big_policy.write_text("[limits.max_bytes]\nmp4 = 4294967296\nwmv = 4294967296\ndocx = 4294967296\n"
                              "jpg = 4294967296\n", encoding="utf-8")
        results = {}
        # P10a
        if not args.only_upload:
            lite = start_server(tmp / "sqlite", args=("--no-access-log",))
            servers.append(lite)
            results["sqlite"] = asyncio.run(push_many([lite.url], unit_tokens(lite.data_dir), args.clients, args.items))
            lite.stop()
            store = store_of(pg, s3)
            one = start_server(tmp / "pg1", store=store, args=("--no-access-log",))
            servers.append(one)
            locs = Locations(store["db"], store["blobs"])
            results["pg+s3"] = asyncio.run(push_many([one.url], unit_tokens(tmp / "pg1", locs), args.clients, args.items))
            one.stop()
            store2 = store_of(pg, s3)
            a = start_server(tmp / "pg2a", store=store2, args=("--no-access-log",))
            b = ExchangeServer(tmp / "pg2b", tokens=a.tokens, args=("--db", store2["db"], "--blobs", store2["blobs"],
                                                                    "--no-access-log"), env=store2["env"])
            (tmp / "pg2b").mkdir()
            b.start()
            servers += [a, b]
            results["2x pg+s3"] = asyncio.run(push_many([a.url, b.url], unit_tokens(tmp / "pg2a", Locations(store2["db"],
                                              store2["blobs"])), args.clients, args.items))
            a.stop()
            b.stop()
            print(f"P10a {args.clients} clients, {args.items} small items each run (upload session + PATCH + finish + submit):")
            for name, r in results.items():
                print("  " + line(name, r))
            base = results["sqlite"]["items_s"]
            print(f"  ratios to SQLite: pg+s3 {results['pg+s3']['items_s'] / base:.2f}x, "
                  f"two pg+s3 instances {results['2x pg+s3']['items_s'] / base:.2f}x")
        if not args.skip_upload:
            size = args.upload_mib * MIB
            blob = tmp / "big.bin"
            with open(blob, "wb") as f:
                for _ in range(args.upload_mib):
                    f.write(os.urandom(MIB))
            folder = start_server(tmp / "folder", policy_file=big_policy, args=("--no-access-log",))
            servers.append(folder)
            t_folder = upload_big(folder.url, folder.tokens["unit"], blob, size)
            folder.stop()
            store3 = store_of(pg, s3)
            cloud = start_server(tmp / "s3", policy_file=big_policy, store=store3, args=("--no-access-log",))
            servers.append(cloud)
            try:
                t_s3 = upload_big(cloud.url, cloud.tokens["unit"], blob, size)
            except Exception:
                print(cloud.log()[-3000:])
                raise
            cloud.stop()
            print(f"P10b upload of {args.upload_mib} MiB (64 MiB PATCHes + finish): S3 (moto) {t_s3:.1f} s "
                  f"({args.upload_mib / t_s3:.0f} MiB/s) vs blob folder {t_folder:.1f} s ({args.upload_mib / t_folder:.0f} "
                  f"MiB/s) = {t_s3 / t_folder:.2f}x the folder's time")
    finally:
        for s in servers:
            s.stop()
        s3.stop()
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
