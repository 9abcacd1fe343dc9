"""A unit's token, known to the test, is nowhere after a whole cycle run through the real command line.

pack → push (through a proxy that answers 503 once and loses one receipt, so retries are logged) →
status → whoami → review (the office, on the data directory) → withdraw → outbox list → config show,
then the failures: an unreachable endpoint and a refused token.  Every command runs as its own process
with -v; then every output, every file under the test's HOME (config, outbox database and its WAL,
package copies, cached policy), every file the test wrote (packages, receipts as JSON) and the server's
data directory and log are searched for the token, its URL encoding and its base64 forms.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import REPO
from exchange.harness import start_server
from push_faults import Fault, FaultProxy
from push_load import item_folder

pytestmark = pytest.mark.integration


def _needles(token: str) -> dict[str, bytes]:
    raw = token.encode()
    forms = {
        "token": raw,
        "url-encoded": quote(token, safe="").encode(),
        "base64": base64.b64encode(raw),
        "base64url": base64.urlsafe_b64encode(raw),
        "base64 of the header": base64.b64encode(b"Bearer " + raw),
        "basic-auth base64": base64.b64encode(b":" + raw),
    }
    for name in ("base64", "base64url", "base64 of the header", "basic-auth base64"):
        forms[name + " unpadded"] = forms[name].rstrip(b"=")
    return forms


def _run(args: list[str], env: dict, cwd: Path, input: str | None = None) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-m", "hnsubmit", *args], env=env, cwd=str(cwd), input=input,
                          capture_output=True, text=True, timeout=180)
    return proc.returncode, proc.stdout + proc.stderr


def test_the_token_is_in_no_log_file_package_receipt_or_message(tmp_path, isolated_environment):
    import random

    server = start_server(tmp_path / "data")
    token = server.tokens["unit"]
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(HNSUBMIT_TOKEN=token, PYTHONPATH=str(REPO))
    rng = random.Random(7)
    a = item_folder(tmp_path / "src", 0, 200_000, rng, "token")
    b = item_folder(tmp_path / "src", 1, 300_000, rng, "token")
    proxy = FaultProxy(("127.0.0.1", int(server.url.rsplit(":", 1)[1])))
    proxy.add(Fault("POST", "/api/v1/blobs/missing", "respond_503", times=1, retry_after="0"))
    proxy.add(Fault("POST", "/api/v1/submissions", "drop_response", times=1))
    outputs: dict[str, str] = {}
    written: list[Path] = []

    def run(name: str, *args: str, expect: int = 0, environ: dict | None = None) -> str:
        code, out = _run(["-v", *args], environ or env, tmp_path)
        outputs[name] = out
        assert code == expect, f"{name}: exit {code}\n{out[-3000:]}"
        return out

    try:
        run("pack", "pack", str(b), "-o", str(tmp_path / "b.zip"))
        run("push", "--lang", "en", "push", str(a), str(tmp_path / "b.zip"), "--endpoint", proxy.url, "--quiet")
        assert proxy.requests[("POST", "/api/v1/submissions")] == 3  # the lost receipt was asked for again
        listed = json.loads(run("outbox list", "outbox", "list", "--all", "--format", "json"))
        ids = [i["receipt"]["submission_id"] for i in listed]
        assert len(ids) == 2
        receipts = tmp_path / "receipts.json"  # what a liaison keeps: the receipts as JSON
        receipts.write_text(json.dumps([i["receipt"] for i in listed], ensure_ascii=False), encoding="utf-8")
        written.append(receipts)
        run("status", "status", "--endpoint", server.url, "--format", "json")
        run("status one", "status", ids[0], "--endpoint", server.url)
        run("whoami", "whoami", "--endpoint", server.url, "--format", "json")
        run("review reject", "review", "reject", ids[0], "--reason", "请补充图片说明", "--data", str(server.data_dir))
        run("review list", "review", "list", "--data", str(server.data_dir))
        run("withdraw", "withdraw", ids[1], "--reason", "文件已过期", "--endpoint", server.url, "--format", "json")
        run("status after", "status", "--endpoint", server.url, "--format", "json")
        run("config show", "config", "show")
        run("admin token list", "admin", "token", "list", "--data", str(server.data_dir))
        # failures carry the most context: an unreachable exchange, then a refused (longer) token
        c = item_folder(tmp_path / "src", 2, 100_000, rng, "token")
        proxy.close()
        run("push unreachable", "push", str(c), "--endpoint", proxy.url, "--quiet", "--retries", "1", expect=5)
        wrong = dict(env, HNSUBMIT_TOKEN=token + "x")
        run("push refused", "push", str(c), "--endpoint", server.url, "--quiet", expect=4, environ=wrong)
        run("status refused", "status", "--endpoint", server.url, expect=4, environ=wrong)
        run("withdraw refused", "withdraw", ids[0], "--reason", "x", "--endpoint", server.url, expect=4, environ=wrong)
    finally:
        proxy.close()
        server.stop()
    assert "HN-" in outputs["push"] and "401" in outputs["push refused"] + outputs["status refused"]
    needles = _needles(token)
    leaks = [f"{name}: output of `{cmd}`" for cmd, out in outputs.items() for name, n in needles.items()
             if n.decode() in out]
    files = [p for root in (isolated_environment, tmp_path) for p in root.rglob("*") if p.is_file()]
    assert any(p.name == "outbox.sqlite3" for p in files) and any(p.suffix == ".zip" for p in files)
    assert server.log_path in files and written[0] in files
    for path in files:
        data = path.read_bytes()
        leaks += [f"{name}: {path}" for name, n in needles.items() if n in data]
    assert leaks == []
    log = server.log().lower()
    assert "authorization" not in log and "bearer" not in log
