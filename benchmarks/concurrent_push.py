"""P6: small-item pushes by 1, 4, 16 and 64 concurrent clients against one `hnsubmit serve` (issue 19).

    python benchmarks/concurrent_push.py [--items 256] [--clients 1,4,16,64] [--no-access-log-too]

Each item is an office guide (the example's YAML with a line of its own, so every item uploads one new
small blob; its forms are on the server already) pushed the way `hnsubmit push` does it: "which are
missing" (POST /blobs/missing), create the upload session, PATCH the bytes, finish, then POST the
manifest.  Each client is a thread with its own keep-alive connection; the items are shared out.
Figures: packages/s at each client count (goal: never falls as clients grow; at 64 ≥ 2× the 58–67
measured before issue 19's work) and the p99 of the "missing" request at 64 clients (goal < 100 ms).
The same server serves every count, alternately with and without its access log when asked.

CPU per package, split (from /proc, so a shared machine's waiting is not counted): the server's own
processes (user + system during the burst), the arrival check's child processes (from the burst's start
until the last item's check is stored, whenever that is: a check still running after the burst is a cost
of the burst), and this load generator itself (its client threads, same cores). On a 2-core machine the
sum bounds what the whole setup can reach: 2,000 ms / (server + checks + clients) packages/s, printed as
"CPU bound"; the load generator's share of it is not the server's, and a server on its own machine would
have the 2 cores without it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))

from common import Figure  # noqa: E402

GUIDE = REPO / "examples" / "submissions" / "共和县-办事指南-不动产首次登记"
CHECK_NAME = "hnsubmit-check"  # what the arrival check's child process calls itself (exchange/proofing.py)
BEFORE_AT_64 = 62.5  # packages/s at 64 clients in the issue (58–67 measured before the work)


def _template(work: Path) -> tuple[dict, dict[str, bytes]]:
    from hnsubmit.client.packages import pack_folder
    from hnsubmit.policy.model import default_policy

    pkg, manifest = pack_folder(GUIDE, work / "pkg", default_policy())
    files = {}
    for f in manifest["files"]:
        files[f["path"]] = (GUIDE / f["path"]).read_bytes()
    return manifest, files


def _items(manifest: dict, files: dict[str, bytes], count: int, tag: str, unit: str) -> list[tuple[dict, dict[str, bytes]]]:
    """`count` manifests of `unit`, each with its own YAML bytes (one new blob) and title."""
    out = []
    yaml_path = next(p for p in files if p.endswith(".yaml"))
    for i in range(count):
        data = files[yaml_path] + f"\n# {tag} {i}\n".encode()
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        m = dict(manifest, title=f"{manifest['title']}({tag}{i})", unit=unit)
        m["files"] = [dict(f, digest=digest, size=len(data)) if f["path"] == yaml_path else f for f in manifest["files"]]
        out.append((m, {digest: data}))
    return out


class _Conn:
    """One keep-alive HTTP/1.1 connection of the standard library: the load generator shares the server's
    cores, and http.client costs a client thread about a third of what httpx does per request (the
    figures before 2026-12-06 15:00 were measured with httpx)."""

    def __init__(self, url: str, token: str) -> None:
        import http.client
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        self.auth = f"Bearer {token}"

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                expect: tuple[int, ...] = (200, 201, 204)) -> bytes:
        self.conn.request(method, path, body=body, headers={"Authorization": self.auth, **(headers or {})})
        r = self.conn.getresponse()
        data = r.read()
        if r.status not in expect:
            raise RuntimeError(f"{method} {path}: {r.status} {data[:300]!r}")
        return data

    def json(self, method: str, path: str, payload, **kwargs):
        import json

        return json.loads(self.request(method, path, json.dumps(payload).encode(),
                                       {"Content-Type": "application/json"}, **kwargs))

    def close(self) -> None:
        self.conn.close()


def _push_one(c: _Conn, manifest: dict, blobs: dict[str, bytes], key: str, missing_ms: list) -> None:
    from hnsubmit.submission.manifest import canonical_json

    start = time.perf_counter()
    missing = c.json("POST", "/api/v1/blobs/missing", {"digests": [f["digest"] for f in manifest["files"]]})["missing"]
    missing_ms.append((time.perf_counter() - start) * 1000)
    for digest in missing:
        data = blobs[digest]
        uid = c.json("POST", "/api/v1/uploads", {"digest": digest, "size": len(data)})["upload_id"]
        if uid:
            c.request("PATCH", f"/api/v1/uploads/{uid}", data,
                      {"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})
            c.request("PUT", f"/api/v1/uploads/{uid}?digest={digest}")
    c.request("POST", "/api/v1/submissions", canonical_json(manifest),
              {"Idempotency-Key": key, "Content-Type": "application/json"}, expect=(200, 201))


def run_clients(url: str, units: list[tuple[str, str]], manifest: dict, files: dict[str, bytes], items: int,
                clients: int, tag: str) -> tuple[float, list[float]]:
    """(packages/s, latencies of "missing" in ms) of `clients` threads, each a liaison of its own unit
    (a unit holds at most 32 open upload sessions), pushing `items` in all."""
    share = [items // clients + (1 if k < items % clients else 0) for k in range(clients)]
    missing_ms: list[float] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(clients + 1)

    def worker(k: int) -> None:
        unit, token = units[k]
        mine = _items(manifest, files, share[k], f"{tag}-{k}-", unit)
        c = _Conn(url, token)
        try:
            c.request("GET", "/api/v1/whoami")  # the connection is open before the clock starts
            barrier.wait()
            for i, (m, blobs) in enumerate(mine):
                try:
                    _push_one(c, m, blobs, f"{tag}-{i}".replace(" ", "_"), missing_ms)
                except BaseException as exc:  # noqa: BLE001  (reported after the run)
                    errors.append(exc)
                    return
        finally:
            c.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} client(s) failed: {errors[0]!r}")
    return items / elapsed, missing_ms


def _stat(pid: int) -> tuple[int, float, float, str] | None:
    """(parent pid, own CPU s, waited-for children's CPU s, name) of a process (/proc/PID/stat), None if gone."""
    try:
        head, _, tail = Path(f"/proc/{pid}/stat").read_text().rpartition(")")
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = tail.split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick,
            head.partition("(")[2])


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc/PID/stat): robust to a loaded machine."""
    return (_stat(pid) or (0, 0.0, 0.0))[1]


def server_cpu(pid: int) -> tuple[float, float]:
    """(the server's own CPU s, its check children's CPU s) so far. The server is `pid` and, under
    `serve --workers N`, its worker processes (its children not named hnsubmit-check, the name the check
    child gives itself); the checks are every other process below them, alive (own + waited-for) or
    waited for (the servers' children fields)."""
    parents: dict[int, int] = {}
    stats: dict[int, tuple[int, float, float, str]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (st := _stat(int(entry))) is not None:
            stats[int(entry)] = st
            parents[int(entry)] = st[0]
    if pid not in stats:
        return 0.0, 0.0
    servers = {pid} | {p for p, pp in parents.items() if pp == pid and not stats[p][3].startswith(CHECK_NAME)}
    own = sum(stats[p][1] for p in servers)
    checks = sum(stats[p][2] for p in servers)
    below = [p for p, pp in parents.items() if pp in servers and p not in servers]
    while below:
        p = below.pop()
        checks += stats[p][1] + stats[p][2]
        below.extend(c for c, pp in parents.items() if pp == p)
    return own, checks


def checks_drained(data_dir: Path, timeout: float = 600) -> float:
    """Wait until every submission's arrival check is stored (done or failed); returns the seconds waited."""
    import sqlite3

    start = time.perf_counter()
    db = sqlite3.connect(f"file:{data_dir / 'exchange.sqlite3'}?mode=ro", uri=True, timeout=30)
    try:
        while time.perf_counter() - start < timeout:
            (left,) = db.execute("SELECT (SELECT COUNT(*) FROM submissions) - (SELECT COUNT(*) FROM "
                                 "submission_findings WHERE state != 'pending')").fetchone()
            if left <= 0:
                break
            time.sleep(0.05)
    finally:
        db.close()
    return time.perf_counter() - start


def _self_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def burst(server, units, manifest, files, items: int, clients: int, tag: str) -> dict:
    """One measured burst: packages/s, "missing" latencies and the CPU split per package (ms)."""
    own0, checks0 = server_cpu(server.proc.pid)
    me0 = _self_cpu()
    rate, lat = run_clients(server.url, units, manifest, files, items, clients, tag)
    own1, _ = server_cpu(server.proc.pid)
    me1 = _self_cpu()
    drain = checks_drained(server.data_dir)
    _, checks1 = server_cpu(server.proc.pid)
    return {"rate": rate, "lat": lat, "server": (own1 - own0) / items * 1000, "checks": (checks1 - checks0) / items * 1000,
            "clients": (me1 - me0) / items * 1000, "drain": drain}


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 2 else values[0]


def _units(server, files: dict[str, bytes], count: int) -> list[tuple[str, str]]:
    """`count` units with a token each; each has the forms already (blobs are held per unit), so the items
    then differ by their YAML only."""
    import io

    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.client.credentials import Secret

    out = []
    with server.client("admin") as c:
        for k in range(count):
            code = f"p6-{k:02d}"
            r = c.post("/api/v1/units", json={"code": code, "name": f"基准测试单位 {code}", "kind": "department",
                                              "columns": ["videos", "guides"]})
            assert r.status_code in (201, 409), r.text
            token = c.post("/api/v1/tokens", json={"role": "unit", "unit": code, "label": "bench"}).json()["token"]
            out.append((code, token))
    for _code, token in out:
        with ExchangeClient(server.url, Secret(token)) as up:
            for data in files.values():
                digest = "sha256:" + hashlib.sha256(data).hexdigest()
                up.upload_blob(digest, len(data), lambda off, d=data: io.BytesIO(d[off:]))
    return out


def measure(items: int = 256, counts: tuple[int, ...] = (1, 4, 16, 64), access_log_too: bool = False,
            extra_args: tuple[str, ...] = (), compare: tuple[tuple[str, str], ...] = ()) -> list[Figure]:
    """`compare`: (name, folder) pairs, each a copy of the package (`git archive REV hnsubmit | tar -x -C
    DIR`) whose server runs the same counts, alternated with this tree's at every count."""
    from exchange.harness import start_server

    figures: list[Figure] = []
    load = os.getloadavg()
    variants = [("access log on", (), {})] + ([("access log off", ("--no-access-log",), {})] if access_log_too else [])
    variants += [(name, (), {"PYTHONPATH": folder}) for name, folder in compare]
    with tempfile.TemporaryDirectory(prefix="hnsubmit-bench-p6-") as tmp:
        work = Path(tmp)
        manifest, files = _template(work)
        results: dict[str, dict[int, tuple[float, list[float]]]] = {}
        servers, units = {}, {}
        try:
            for k, (name, args, env) in enumerate(variants):
                servers[name] = start_server(work / f"exchange-{k}", args=args + tuple(extra_args), env=env)
                units[name] = _units(servers[name], files, max(counts))
                run_clients(servers[name].url, units[name], manifest, files, 16, 4, f"warm-{k}")
                checks_drained(servers[name].data_dir)
                results[name] = {}
            for n in counts:  # the variants alternate at each count, so they see the same load
                for k, (name, _args, _env) in enumerate(variants):
                    results[name][n] = burst(servers[name], units[name], manifest, files, items, n, f"r{k}-{n}")
        finally:
            for server in servers.values():
                server.stop()
        after = os.getloadavg()
        for name, by_count in results.items():
            rates = [by_count[n]["rate"] for n in counts]
            never_falls = all(b >= 0.9 * a for a, b in zip(rates, rates[1:]))  # 10 %: the shared machine's noise
            top = counts[-1]
            note = (f"{name}; " + ", ".join(f"{n} clients {by_count[n]['rate']:.1f}/s" for n in counts)
                    + f"; load average {load[0]:.2f} → {after[0]:.2f}")
            figures.append(Figure(f"P6 small pushes by {top} clients (packages/s)", rates[-1], rates[0],
                                  "pkg/s", f"{counts[0]} client", "never falls as clients grow (within 10 %)", never_falls,
                                  note))
            split = "; ".join(
                f"{n}: server {r['server']:.1f} + checks {r['checks']:.1f} + load generator {r['clients']:.1f} ms"
                f" = CPU bound {2000 / max(r['server'] + r['checks'] + r['clients'], 0.001):.0f}/s"
                f" (checks drained {r['drain']:.1f} s after)" for n, r in by_count.items())
            figures.append(Figure(f"P6 small pushes by {top} clients vs before issue 19 (packages/s)", rates[-1],
                                  BEFORE_AT_64, "pkg/s", "the issue's figure at 64 (58–67)", "≥2×",
                                  rates[-1] >= 2 * BEFORE_AT_64, f"{name}; CPU per package (2 cores) {split}"))
            lat = by_count[top]["lat"]
            figures.append(Figure(f"P6 \"missing\" p99 at {top} clients (ms)", p99(lat), 100.0, "ms", "the goal",
                                  "<100 ms", p99(lat) < 100,
                                  f"{name}; median {statistics.median(lat):.1f} ms; " + ", ".join(
                                      f"p99 at {n}: {p99(by_count[n]['lat']):.0f} ms" for n in counts)))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=256)
    parser.add_argument("--clients", default="1,4,16,64")
    parser.add_argument("--no-access-log-too", action="store_true", help="also measure with --no-access-log")
    parser.add_argument("--server-args", default="", help="extra arguments for hnsubmit serve, e.g. '--workers 2'")
    parser.add_argument("--compare", action="append", default=[], metavar="NAME=DIR",
                        help="also serve from another copy of the package (PYTHONPATH=DIR), alternated")
    args = parser.parse_args(argv)
    counts = tuple(int(x) for x in args.clients.split(","))
    compare = tuple(tuple(c.split("=", 1)) for c in args.compare)
    for fig in measure(args.items, counts, args.no_access_log_too, tuple(args.server_args.split()), compare):
        print(fig.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
