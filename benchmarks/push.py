"""P3: `hnsubmit push` over loopback against the real exchange (`hnsubmit serve`), each figure beside a peer.

    python benchmarks/push.py [--size-mib 1024] [--guides 500]

Figures (issue 6), all measured in one run against one server process:
  P3a  upload throughput of a 1 GiB WMV: the client's resumable upload (a subprocess, 64 MiB PATCH
       chunks streamed from disk) vs `curl -T` PATCHing the same file in one request; goal ≥ 0.8×.
  P3b  client peak RSS (ru_maxrss of the subprocess) for that upload and for the whole
       `hnsubmit push FILE.zip` of the 1 GiB package (check, outbox copy, upload); goal ≤ 120 MB.
  P3c  resume after SIGKILL at ≥ 50 % of the upload: bytes the next run sends, as a share of the
       file, vs 100 % for a client that starts over; goal ≤ 55 %.
  P3d  re-push of the unchanged package: blob bytes sent; goal 0.
  P3e  a batch of N office-guide packages (queued in the outbox) pushed with --concurrency 4 vs N
       plain keep-alive POSTs of ready manifests; goal ≤ 2× their time.
The 1 GiB WMV is real (2 s of noise encoded by the bundled ffmpeg, then stream-copied), and the
server runs with a policy that allows it (the default stops a video at 500 MB).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))

from common import Figure  # noqa: E402

GUIDE = REPO / "examples" / "submissions" / "共和县-办事指南-不动产首次登记"
VIDEO = REPO / "examples" / "submissions" / "共和县-2026-11-18-宣传片"
MIB = 1 << 20

UPLOAD_SCRIPT = r"""
import json, sys, time
from hnsubmit.client.api import ExchangeClient
from hnsubmit.client.credentials import Secret
url, token, digest, size, path = sys.argv[1:6]
def opener(offset):
    fh = open(path, "rb"); fh.seek(offset); return fh
with ExchangeClient(url, Secret(token)) as c:
    start = time.perf_counter()
    sent = c.upload_blob(digest, int(size), opener)
    elapsed = time.perf_counter() - start
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(json.dumps({"elapsed": elapsed, "sent": sent, "maxrss_kb": int(hwm)}))
"""


def _policy_file(root: Path, max_bytes: int) -> Path:
    from hnsubmit.policy.model import default_policy_text

    text = default_policy_text()
    text = re.sub(r"^max_bytes\.wmv = .*$", f"max_bytes.wmv = {max_bytes}", text, flags=re.M)
    text = re.sub(r"^max_uncompressed_bytes = 2_000_000_000$", f"max_uncompressed_bytes = {max_bytes * 2}", text, flags=re.M)
    text = re.sub(r"^max_duration_seconds = .*$", "max_duration_seconds = 7200", text, flags=re.M)
    path = root / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _big_wmv(path: Path, target: int) -> Path:
    import imageio_ffmpeg

    ff = imageio_ffmpeg.get_ffmpeg_exe()
    clip = path.with_name("clip.wmv")
    subprocess.run([ff, "-hide_banner", "-loglevel", "quiet", "-y", "-f", "lavfi", "-i",
                    "nullsrc=size=640x360:rate=25,geq=random(1)*255:128:128", "-t", "4", "-c:v", "wmv2", "-b:v", "7500k",
                    "-an", str(clip)], check=True)
    loops = max(1, -(-target // clip.stat().st_size))
    subprocess.run([ff, "-hide_banner", "-loglevel", "quiet", "-y", "-stream_loop", str(loops - 1), "-i", str(clip),
                    "-c", "copy", "-map_metadata", "-1", str(path)], check=True)
    clip.unlink()
    return path


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(4 * MIB):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


def _copy_submission(src: Path, dst: Path, suffix: str, unit: str | None = None) -> Path:
    shutil.copytree(src, dst)
    toml = dst / "submission.toml"
    text = toml.read_text(encoding="utf-8")
    text = re.sub(r'^title = "([^"]*)"', lambda m: f'title = "{m.group(1)}({suffix})"', text, count=1, flags=re.M)
    if unit:
        text = re.sub(r'^unit = "[^"]*"', f'unit = "{unit}"', text, count=1, flags=re.M)
    toml.write_text(text, encoding="utf-8")
    return dst


def _env(home: Path, token: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HNSUBMIT_") and k != "CI"}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_CONFIG_HOME=str(home / "config"), HNSUBMIT_TOKEN=token, PYTHONPATH=str(REPO),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    return env


def _peak_rss_kb(pid: int) -> int:
    """VmHWM of a running process: its own peak, unlike ru_maxrss, which after fork+exec still
    counts the parent's pages at fork time."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _run_measured(cmd: list[str], env: dict | None = None) -> tuple[float, int, int, str]:
    """(seconds, exit code, peak RSS in kB, output) of one child; RSS sampled from /proc every 20 ms."""
    out = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _peak_rss_kb(proc.pid))
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    out.seek(0)
    return elapsed, proc.returncode, peak, out.read().decode("utf-8", "replace")


def _outbox(home: Path):
    from hnsubmit.client.outbox import Outbox

    return Outbox(home / "data" / "hnsubmit" / "outbox")


def _issue(server, unit: str) -> str:
    with server.client("admin") as c:
        return c.post("/api/v1/tokens", json={"role": "unit", "unit": unit, "label": "bench"}).json()["token"]


def throughput(server, work: Path, video: Path, digest: str, figures: list, runs: int = 3,
               old_server=None, before_rev: str | None = None) -> None:
    """Alternate ours and curl `runs` times each on fresh sessions (the server's disk makes single runs noisy).
    `old_server`: a server running the package at `before_rev`; our client uploads to it in each round too."""
    import statistics

    size = video.stat().st_size
    curl = shutil.which("curl")
    ours_s, curl_s, sink_s, ours_rss, curl_rss = [], [], [], [], []
    cpu_ours, cpu_sink, cpu_curl = [], [], []  # server-side CPU seconds (user + system) per upload: robust to a loaded machine
    before_s, cpu_before = [], []
    load_before = os.getloadavg()
    headers = work / "curl-headers.txt"
    sink = _start_sink(work) if curl else None
    for i in range(runs):
        if sink is not None:  # the one-pass sink (benchmarks/sink.py): curl -T into it, same file
            before = _cpu(sink[0].pid)
            secs, code, _rss, out = _run_measured([curl, "-sS", "-o", "/dev/null", "-X", "PATCH", "-T", str(video),
                                                   "-H", "Expect:", f"http://127.0.0.1:{sink[1]}/"])
            sink_s.append(secs)
            cpu_sink.append(_cpu(sink[0].pid) - before)
        # a fresh unit each time: blob presence is per unit, so every run uploads the whole file
        token = _issue(server, _new_unit(server, f"bench-ours-{i}"))
        before = _cpu(server.proc.pid)
        result = json.loads(subprocess.run(
            [sys.executable, "-c", UPLOAD_SCRIPT, server.url, token, digest, str(size), str(video)],
            capture_output=True, text=True, check=True, env=_env(work / "h-up", token)).stdout)
        ours_s.append(result["elapsed"])
        cpu_ours.append(_cpu(server.proc.pid) - before)
        ours_rss.append(result["maxrss_kb"] / 1024)
        if old_server is not None:  # the same client into the server of the tree at before_rev
            token = _issue(old_server, _new_unit(old_server, f"bench-before-{i}"))
            start_cpu = _cpu(old_server.proc.pid)
            result = json.loads(subprocess.run(
                [sys.executable, "-c", UPLOAD_SCRIPT, old_server.url, token, digest, str(size), str(video)],
                capture_output=True, text=True, check=True, env=_env(work / "h-up", token)).stdout)
            before_s.append(result["elapsed"])
            cpu_before.append(_cpu(old_server.proc.pid) - start_cpu)
        if curl is None:
            continue
        token = _issue(server, _new_unit(server, f"bench-curl-{i}"))
        headers.write_text(f"Authorization: Bearer {token}\nUpload-Offset: 0\n"
                           "Content-Type: application/offset+octet-stream\nExpect:\n", encoding="utf-8")
        headers.chmod(0o600)  # the token stays off the command line (ps) and out of any log
        with server.client() as c:
            c.headers["Authorization"] = f"Bearer {token}"
            uid = c.post("/api/v1/uploads", json={"digest": digest, "size": size}).json()["upload_id"]
            start_cpu = _cpu(server.proc.pid)
            secs, code, rss, _out = _run_measured([curl, "-sS", "-o", "/dev/null", "-X", "PATCH", "-T", str(video),
                                                   "-H", f"@{headers}", f"{server.url}/api/v1/uploads/{uid}"])
            start = time.perf_counter()
            c.put(f"/api/v1/uploads/{uid}", params={"digest": digest}, timeout=300)  # the same finish ours does
            curl_s.append(secs + time.perf_counter() - start)
            cpu_curl.append(_cpu(server.proc.pid) - start_cpu)
            curl_rss.append(rss / 1024)
        headers.unlink()
    ours_mbs = size / statistics.median(ours_s) / 1e6
    rss_mb = max(ours_rss)
    if curl is None:
        figures.append(Figure("P3a upload 1 GiB", ours_mbs, None, "MB/s", "curl -T", "≥0.8× curl", None, "curl missing"))
        return
    if sink is not None:
        sink[0].kill()
        sink[0].wait()
    curl_mbs = size / statistics.median(curl_s) / 1e6
    sink_mbs = size / statistics.median(sink_s) / 1e6
    load = (" ".join(f"{x:.2f}" for x in load_before) + " before, "
            + " ".join(f"{x:.2f}" for x in os.getloadavg()) + " after")
    figures.append(Figure(f"P3a upload of {size / MIB:.0f} MiB over loopback (median of {runs})", ours_mbs, sink_mbs,
                          "MB/s", "the one-pass sink (curl -T into benchmarks/sink.py)", "≥0.9× the sink",
                          ours_mbs / sink_mbs >= 0.9,
                          f"load average {load}; sink {', '.join(f'{t:.2f}' for t in sink_s)} s"))
    if cpu_sink:
        gib = size / (1 << 30)
        figures.append(Figure(f"P3a server CPU (user+system) per GiB uploaded (median of {runs})",
                              statistics.median(cpu_ours) / gib, statistics.median(cpu_sink) / gib, "s",
                              "the one-pass sink", "(informative: what the loaded machine cannot hide)", True,
                              f"ours {', '.join(f'{t / gib:.2f}' for t in cpu_ours)} s, sink {', '.join(f'{t / gib:.2f}' for t in cpu_sink)} s"
                              + (f", curl -T into ours {', '.join(f'{t / gib:.2f}' for t in cpu_curl)} s" if cpu_curl else "")))
    if before_s:
        gib = size / (1 << 30)
        before_mbs = size / statistics.median(before_s) / 1e6
        figures.append(Figure(f"P3a upload of {size / MIB:.0f} MiB, this tree vs {before_rev} (median of {runs})",
                              ours_mbs, before_mbs, "MB/s", before_rev, "(informative)", ours_mbs >= before_mbs,
                              f"{before_rev} {', '.join(f'{t:.2f}' for t in before_s)} s; its server CPU per GiB "
                              f"{', '.join(f'{t / gib:.2f}' for t in cpu_before)} s (median {statistics.median(cpu_before) / gib:.2f})"))
    figures.append(Figure(f"P3a upload of {size / MIB:.0f} MiB over loopback (median of {runs})", ours_mbs, curl_mbs,
                          "MB/s", "curl -T", "≥1.0× curl", ours_mbs / curl_mbs >= 1.0,
                          "both: create session, stream, finish (the server hashes the blob); "
                          f"ours {', '.join(f'{t:.2f}' for t in ours_s)} s, curl {', '.join(f'{t:.2f}' for t in curl_s)} s"))
    figures.append(Figure("P3b client peak RSS (VmHWM), upload", rss_mb, max(curl_rss), "MB", "curl", "≤120 MB",
                          rss_mb <= 120))


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its threads so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _start_sink(work: Path) -> tuple[subprocess.Popen, int]:
    folder = work / "sink"
    folder.mkdir(exist_ok=True)
    proc = subprocess.Popen([sys.executable, str(HERE / "sink.py"), str(folder)], stdout=subprocess.PIPE, text=True,
                            stderr=subprocess.DEVNULL)  # an inherited stderr would hold a caller's pipe open
    return proc, int(proc.stdout.readline())


def _new_unit(server, code: str) -> str:
    with server.client("admin") as c:
        r = c.post("/api/v1/units", json={"code": code, "name": f"基准测试单位 {code}", "kind": "department",
                                          "columns": ["videos", "guides"]})
        assert r.status_code in (201, 409), r.text
    return code


def push_and_repush(server, work: Path, pkg: Path, figures: list) -> None:
    token = server.tokens["unit"]
    home = work / "h-push"
    env = _env(home, token)
    cmd = [sys.executable, "-m", "hnsubmit", "push", str(pkg), "--endpoint", server.url, "--quiet"]
    secs, code, rss_kb, out = _run_measured(cmd, env)
    if code != 0:
        raise RuntimeError(f"push failed ({code}):\n{out}")
    [item] = _outbox(home).list()
    figures.append(Figure(f"P3b client peak RSS (VmHWM), whole `hnsubmit push` of a {pkg.stat().st_size / MIB:.0f} MiB package",
                          rss_kb / 1024, 120.0, "MB",
                          "the goal", "≤120 MB", rss_kb / 1024 <= 120,
                          f"whole command {secs:.1f} s incl. check, outbox copy and upload of {item.bytes_sent:,} bytes"))
    before = item.bytes_sent
    secs2, code, _rss, out = _run_measured(cmd, env)
    [again] = _outbox(home).list()
    sent = again.bytes_sent - before
    figures.append(Figure("P3d re-push of the unchanged package: blob bytes sent", float(sent), float(before), "bytes",
                          "first push", "0", sent == 0 and code == 0,
                          f"same receipt: {again.receipt['submission_id'] == item.receipt['submission_id']}, {secs2:.1f} s"))


def resume_after_kill(server, work: Path, video_folder: Path, figures: list) -> None:
    from hnsubmit.policy.model import load_policy
    from hnsubmit.client.packages import pack_folder

    token = _issue(server, "632524")
    folder = _copy_submission(video_folder, work / "resume-src", "续传", unit="632524")
    pkg, _manifest = pack_folder(folder, work / "resume-pkg", load_policy(work / "policy.toml"))
    home = work / "h-resume"
    env = _env(home, token)
    proc = subprocess.Popen([sys.executable, "-m", "hnsubmit", "push", str(pkg), "--endpoint", server.url, "--quiet"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    size = pkg_video_size = (video_folder / "宣传片.wmv").stat().st_size
    staging = server.data_dir / "uploads"  # the server's staged .part files: what has arrived, byte-exact
    uid = None
    while proc.poll() is None:
        items = _outbox(home).list() if (home / "data" / "hnsubmit" / "outbox" / "outbox.sqlite3").exists() else []
        if items and items[0].uploads:
            uid = next(iter(items[0].uploads.values()))
            part = staging / f"{uid}.part"
            if part.exists() and part.stat().st_size >= pkg_video_size * 0.5:
                os.kill(proc.pid, signal.SIGKILL)
                break
        time.sleep(0.005)
    proc.wait()
    at_kill = 0
    with server.client() as c:
        c.headers["Authorization"] = f"Bearer {token}"
        for _ in range(100):  # the server notices the dead connection and records what arrived
            r = c.head(f"/api/v1/uploads/{uid}") if uid else None
            if r is not None and r.status_code == 200 and int(r.headers["upload-offset"]) > 0:
                at_kill = int(r.headers["upload-offset"])
                break
            time.sleep(0.05)
    if not at_kill or proc.returncode != -signal.SIGKILL:
        figures.append(Figure("P3c resume after kill at 50 %", 0.0, None, "%", "restart", "≤55 %", None,
                              "the push finished before it could be killed"))
        return
    secs, code, _rss, out = _run_measured([sys.executable, "-m", "hnsubmit", "outbox", "retry", "--quiet"], env)
    [item] = _outbox(home).list()
    share = 100.0 * item.bytes_sent / size
    figures.append(Figure("P3c resume after SIGKILL at ≥50 %: bytes resent", share, 100.0, "% of file",
                          "starting over", "≤55 %", share <= 55 and code == 0 and item.state == "sent",
                          f"killed at {100.0 * at_kill / size:.1f} %, resumed run {secs:.1f} s"))


def guide_batch(server, work: Path, count: int, figures: list) -> None:
    import httpx

    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.client.credentials import Secret
    from hnsubmit.client.outbox import Outbox
    from hnsubmit.policy.model import default_policy
    from hnsubmit.client.push import push_items
    from hnsubmit.client.packages import pack_folder
    from hnsubmit.submission.manifest import canonical_json

    pol = default_policy()
    token = _issue(server, "632525")
    peer_token = _issue(server, "632522")
    box = Outbox(work / "guide-outbox")
    items, peer_manifests = [], []
    for i in range(count):
        folder = _copy_submission(GUIDE, work / "guides" / f"g{i:04d}", f"第{i + 1}号", unit="632525")
        pkg, manifest = pack_folder(folder, work / "guide-pkgs", pol)
        item, _ = box.add(pkg, server.url, "632525", source=folder.name)
        items.append(box.set_manifest(item.id, manifest))
        peer_manifests.append(dict(manifest, unit="632522", title=manifest["title"] + "(对照)"))
    with ExchangeClient(server.url, Secret(token), pool=4) as client:
        start = time.perf_counter()
        results = push_items(client, box, items, concurrency=2)  # the CLI default
        ours = time.perf_counter() - start
    assert all(r.state == "sent" for r in results), [r.error.render() for r in results if r.error][:3]
    # the peer: the same files uploaded once, then one keep-alive POST per manifest
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {peer_token}"}, timeout=60) as c:
        with ExchangeClient(server.url, Secret(peer_token)) as up:
            for f in {f["digest"]: f for m in peer_manifests for f in m["files"]}.values():
                src = GUIDE / f["path"]
                up.upload_blob(f["digest"], f["size"], lambda off, p=src: _open_at(p, off))
        start = time.perf_counter()
        for i, m in enumerate(peer_manifests):
            r = c.post("/api/v1/submissions", content=canonical_json(m),
                       headers={"Idempotency-Key": f"peer-{i}", "Content-Type": "application/json"})
            assert r.status_code == 201, r.text
        peer = time.perf_counter() - start
    figures.append(Figure(f"P3e batch of {count} office guides", ours, peer, "s", f"{count} keep-alive POSTs",
                          "≤2× their time", ours <= 2 * peer, "ours: --concurrency 2 (default), one missing-blob query for the batch, then upload + submit per item"))


def _open_at(path: Path, offset: int):
    fh = open(path, "rb")
    fh.seek(offset)
    return fh


def _start_before(work: Path, policy: Path, rev: str):
    """A server running the package as it was at `rev` (git archive, first on PYTHONPATH)."""
    import exchange.harness as harness

    tree = work / "before-tree"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "hnsubmit"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    here, harness.REPO = harness.REPO, tree
    try:
        return harness.start_server(work / "exchange-before", policy)
    finally:
        harness.REPO = here


def measure(size_mib: int = 1024, guides: int = 500, only: str = "abcde", where: str | None = None,
            before: str | None = None) -> list:
    """The P3 figures; `only` picks parts by letter (a-d share the big video, e is the guide batch);
    `where` is the folder for the server's data, the sink's file and the video (default: the temp dir;
    /dev/shm takes the shared disk out and leaves the software path); `before` (a git revision): P3a also
    uploads, in each round, into a second server running the package at that revision."""
    from exchange.harness import start_server

    figures: list = []
    with tempfile.TemporaryDirectory(prefix="hnsubmit-bench-push-", dir=where) as tmp:
        work = Path(tmp)
        policy = _policy_file(work, max(size_mib * MIB * 2, 500_000_000))
        server = start_server(work / "exchange", policy)
        old_server = _start_before(work, policy, before) if before and "a" in only else None
        try:
            if set(only) & set("abcd"):
                from hnsubmit.policy.model import load_policy
                from hnsubmit.client.packages import pack_folder

                folder = _copy_submission(VIDEO, work / "video-src", "大文件")
                video = _big_wmv(folder / "宣传片.wmv", size_mib * MIB)
                if "a" in only or "b" in only:
                    throughput(server, work, video, _sha256(video), figures, old_server=old_server, before_rev=before)
                if "b" in only or "d" in only:
                    pkg, _ = pack_folder(folder, work / "pkg", load_policy(policy))
                    push_and_repush(server, work, pkg, figures)
                if "c" in only:
                    resume_after_kill(server, work, folder, figures)
            if "e" in only:
                guide_batch(server, work, guides, figures)
        finally:
            server.stop()
            if old_server is not None:
                old_server.stop()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mib", type=int, default=1024, help="size of the big video (default 1024 MiB)")
    parser.add_argument("--guides", type=int, default=500, help="office guides in the batch (default 500)")
    parser.add_argument("--only", default="abcde", help="parts to run, e.g. e (guide batch) or ac")
    parser.add_argument("--where", default=None, help="folder for the data (e.g. /dev/shm: no disk)")
    parser.add_argument("--before", default=None, metavar="REV",
                        help="P3a also uploads into a server running the package at this git revision, alternated")
    args = parser.parse_args(argv)
    for fig in measure(args.size_mib, args.guides, args.only, args.where, args.before):
        print(fig.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
