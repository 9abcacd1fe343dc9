"""The real exchange server in a subprocess on 127.0.0.1:0, with tokens for every role.

`hnsubmit serve` runs in its own process so a test can kill it mid-upload, restart it on the
same data directory, read its RSS from /proc, and grep its log for secrets.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
UNIT_A = "632521"  # 共和县
UNIT_B = "632522"  # 同德县


_SSL = None


def _ssl_context():
    # building an SSL context costs ~40 ms and every httpx.Client builds one: share it (the URLs are plain http)
    global _SSL
    if _SSL is None:
        import ssl

        _SSL = ssl.create_default_context()
    return _SSL


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass
class ExchangeServer:
    data_dir: Path
    policy_file: Path | None = None
    tokens: dict[str, str] = field(default_factory=dict)  # role name → secret: admin, reviewer, unit, unit_b
    units: dict[str, str] = field(default_factory=lambda: {"unit": UNIT_A, "unit_b": UNIT_B})
    url: str = ""
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    args: tuple[str, ...] = ()  # more `hnsubmit serve` options, e.g. ("--body-timeout", "1")
    env: dict[str, str] = field(default_factory=dict)  # more environment for the server (test hooks)

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self, timeout: float = 30) -> "ExchangeServer":
        ready = self.data_dir.parent / f"{self.data_dir.name}.ready.json"
        ready.unlink(missing_ok=True)
        self.log_path = self.data_dir.parent / f"{self.data_dir.name}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("HNSUBMIT_") or k == "HNSUBMIT_CORPUS"}
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        env.update(self.env)
        cmd = [sys.executable, "-m", "hnsubmit", "serve", "--data", str(self.data_dir), "--host", "127.0.0.1",
               "--port", "0", "--ready-file", str(ready)]
        if self.policy_file is not None:
            cmd += ["--policy", str(self.policy_file)]
        cmd += list(self.args)
        if "--auth-failures" not in self.args:
            # tests not about the throttle call with dead tokens hundreds of times a minute from one
            # address (the isolation matrix, schemathesis); the throttle's own test sets the real limit
            cmd += ["--auth-failures", "1000000"]
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=str(self.data_dir.parent))
        log.close()
        deadline = time.monotonic() + timeout
        while not ready.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                if self.proc.poll() is None:  # too slow to start: stopped, not left behind for the rest of the run
                    self.proc.kill()
                    self.proc.wait(5)
                raise RuntimeError(f"the exchange server did not start:\n{self.log()}")
            time.sleep(0.05)
        self.url = json.loads(ready.read_text())["url"]
        return self

    def stop(self, kill: bool = False) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def restart(self, kill: bool = True) -> None:
        self.stop(kill=kill)
        self.start()

    # -- access ------------------------------------------------------------------------------
    def client(self, who: str | None = None, token: str | None = None, **kwargs) -> httpx.Client:
        """An HTTP client as `who` (a key of .tokens), or with an explicit `token`, or anonymous."""
        secret = token or (self.tokens[who] if who else None)
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, verify=_ssl_context(), **kwargs)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path and self.log_path.exists() else ""

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    # -- protocol steps tests use often --------------------------------------------------------
    def upload(self, who: str, data: bytes) -> str:
        """Upload `data` as `who` (create, one PATCH, finish); returns its digest."""
        digest = digest_of(data)
        with self.client(who) as c:
            r = c.post("/api/v1/uploads", json={"digest": digest, "size": len(data)})
            assert r.status_code in (200, 201), r.text
            if r.json()["complete"]:
                return digest
            uid = r.json()["upload_id"]
            r = c.patch(f"/api/v1/uploads/{uid}", content=data, headers={"Upload-Offset": "0"})
            assert r.status_code == 204, r.text
            r = c.put(f"/api/v1/uploads/{uid}", params={"digest": digest})
            assert r.status_code == 201, r.text
        return digest

    def manifest(self, who: str, data: bytes, title: str = "共和县召开政务公开工作推进会", column: str = "county-news") -> dict:
        digest = self.upload(who, data)
        return {
            "title": title, "unit": self.units[who], "column": column, "category": "meetings",
            "liaison": {"name": "李四", "phone": "0974-8512655"},
            "approval": {"approver": "王五", "approved_at": "2026-11-17T09:30:00+08:00"},
            "channels": ["portal", "wechat"],
            "files": [{"path": "正文.docx", "role": "body", "digest": digest, "size": len(data)}],
        }

    def submit(self, who: str, manifest: dict, key: str) -> httpx.Response:
        body = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
        with self.client(who) as c:
            return c.post("/api/v1/submissions", content=body,
                          headers={"Idempotency-Key": key, "Content-Type": "application/json"})


def issue_tokens(data_dir: Path, policy=None, locations=None) -> dict[str, str]:
    """Admin, reviewer and two unit tokens, issued on the data directory (or `locations`) as the office would."""
    from hnsubmit.exchange.auth import issue_token
    from hnsubmit.exchange.context import open_exchange, utcnow

    ex = open_exchange(data_dir, policy, locations=locations)
    try:
        now = utcnow()
        return {
            "admin": issue_token(ex.storage, "admin", None, "tests admin", now)[0],
            "reviewer": issue_token(ex.storage, "reviewer", None, "tests reviewer", now)[0],
            "unit": issue_token(ex.storage, "unit", UNIT_A, "共和县信息员", now)[0],
            "unit_b": issue_token(ex.storage, "unit", UNIT_B, "同德县信息员", now)[0],
        }
    finally:
        ex.close()


def province_store() -> dict | None:
    """HNSUBMIT_TEST_STORE=province: every test server runs on a fresh PostgreSQL database and S3 bucket of the
    engines this process started (tests/exchange/engines.py), so the exchange tests run unchanged against them."""
    if os.environ.get("HNSUBMIT_TEST_STORE", "sqlite") != "province":
        return None
    from exchange import engines

    return engines.shared().fresh_store()


def start_server(data_dir: Path, policy_file: Path | None = None, args: tuple[str, ...] = (),
                 env: dict[str, str] | None = None, store: dict | None = None) -> ExchangeServer:
    """`store`: {"db": URL, "blobs": URL, "env": {…}} puts the server on PostgreSQL + S3 (several servers may
    share one); default: the data directory, or the province engines under HNSUBMIT_TEST_STORE=province."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = store or province_store()
    locations = None
    if store is not None:
        from hnsubmit.exchange.store.locations import Locations

        os.environ.update(store["env"])  # boto3 in this process (issuing tokens) reads the same credentials
        locations = Locations(store["db"], store["blobs"])
        args = ("--db", store["db"], "--blobs", store["blobs"], *args)
        env = {**store["env"], **(env or {})}
    server = ExchangeServer(data_dir, policy_file, tokens=issue_tokens(data_dir, locations=locations), args=tuple(args),
                            env=dict(env or {}))
    return server.start()
