"""`hnsubmit push / outbox / status / withdraw` end to end against the real exchange on 127.0.0.1.

Exactly once, resumable, never sending what check refuses, and never leaking the token: each test
pushes its own copy of an example submission (a unique title, so a unique package) to a shared
server started once per module.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO
from factories import ffmpeg_exe, make_png
from hnsubmit.client.outbox import Outbox
from push_faults import Fault, FaultProxy
from push_live import live  # noqa: F401  (the fixture)

pytestmark = pytest.mark.integration
MEETING = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"
VIDEO = EXAMPLES / "submissions" / "共和县-2026-11-18-宣传片"


def copy_submission(src: Path, dst: Path, suffix: str, unit: str | None = None) -> Path:
    """A copy of an example whose title (and so package digest and idempotency key) is its own."""
    shutil.copytree(src, dst)
    toml = dst / "submission.toml"
    text = toml.read_text(encoding="utf-8")
    text = re.sub(r'^title = "([^"]*)"', lambda m: f'title = "{m.group(1)}({suffix})"', text, count=1, flags=re.M)
    if unit:
        text = re.sub(r'^unit = "[^"]*"', f'unit = "{unit}"', text, count=1, flags=re.M)
    toml.write_text(text, encoding="utf-8")
    return dst


def make_big_wmv(path: Path, loops: int) -> Path:
    """A real WMV of about 3.3 MB x loops: 2 s of noise encoded once, then stream-copied (fast)."""
    clip = path.with_name("clip.wmv")
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "quiet", "-y", "-f", "lavfi", "-i",
                    "nullsrc=size=640x360:rate=25,geq=random(1)*255:128:128", "-t", "2", "-c:v", "wmv2", "-b:v", "7500k",
                    "-an", str(clip)], check=True, timeout=120)
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "quiet", "-y", "-stream_loop", str(loops - 1), "-i", str(clip),
                    "-c", "copy", "-map_metadata", "-1", str(path)], check=True, timeout=120)
    clip.unlink()
    return path


def titles(live, token) -> list[str]:
    with live.client(token) as c:
        return [s["title"] for s in c.submissions(limit=1000)["items"]]


def test_push_then_push_again_uploads_zero_blob_bytes(cli, live, tmp_path, monkeypatch):
    token = live.unit_token()
    monkeypatch.setenv("HNSUBMIT_TOKEN", token.reveal())
    folder = copy_submission(MEETING, tmp_path / "meeting", "再次推送")
    files = sum(p.stat().st_size for p in folder.iterdir() if p.name != "submission.toml")
    code, out, err = cli("push", folder, "--endpoint", live.url, "--quiet")
    assert code == 0, out + err
    [item] = Outbox().list()
    assert item.state == "sent" and item.bytes_sent == files and item.attempts == 1
    receipt = item.receipt["submission_id"]
    assert receipt in out
    code, out, err = cli("push", folder, "--endpoint", live.url, "--quiet")
    assert code == 0, out + err
    [again] = Outbox().list()
    assert again.id == item.id and again.bytes_sent == files  # nothing more was uploaded
    assert again.receipt["submission_id"] == receipt and receipt in out
    # a machine that never saw it (a fresh outbox): still zero blob bytes, still the same receipt
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "other-machine"))
    code, out, err = cli("push", folder, "--endpoint", live.url, "--quiet")
    assert code == 0, out + err
    [fresh] = Outbox().list()
    assert fresh.bytes_sent == 0 and fresh.receipt["submission_id"] == receipt
    assert titles(live, token).count("共和县召开2026年冬春农牧业生产工作会议(再次推送)") == 1


def test_what_check_refuses_is_never_queued_or_sent(cli, live, tmp_path, monkeypatch):
    token = live.unit_token()
    monkeypatch.setenv("HNSUBMIT_TOKEN", token.reveal())
    folder = copy_submission(MEETING, tmp_path / "meeting", "截图")
    make_png(folder / "会场照片1.jpg", (800, 600))  # a screenshot saved with a .jpg name
    code, out, err = cli("push", folder, "--endpoint", live.url, "--quiet")
    assert code == 1
    assert "FMT001" in out and "会场照片1" in out
    assert Outbox().list() == []
    assert not any("截图" in t for t in titles(live, token))


def test_dry_run_sends_nothing(cli, live, tmp_path, monkeypatch):
    token = live.unit_token()
    monkeypatch.setenv("HNSUBMIT_TOKEN", token.reveal())
    folder = copy_submission(VIDEO, tmp_path / "video", "试运行")
    size = (folder / "宣传片.wmv").stat().st_size
    code, out, err = cli("--lang", "en", "push", folder, "--endpoint", live.url, "--dry-run")
    assert code == 0, out + err
    assert "Dry run" in out and f"{size:,}" in out
    assert Outbox().list() == []
    assert not any("试运行" in t for t in titles(live, token))


def test_network_down_then_outbox_retry_delivers_each_item_once(cli, live, tmp_path, monkeypatch):
    token = live.unit_token()
    monkeypatch.setenv("HNSUBMIT_TOKEN", token.reveal())
    folders = [copy_submission(MEETING, tmp_path / f"m{i}", f"断网{i}") for i in range(3)]
    proxy = FaultProxy(("127.0.0.1", live.port))
    port, url = proxy.port, proxy.url
    proxy.close()  # the county link is down
    code, out, err = cli("--lang", "en", "push", *folders, "--endpoint", url, "--quiet", "--retries", "2", "--concurrency", "3")
    assert code == 5, out + err
    items = Outbox().list()
    assert [i.state for i in items] == ["failed"] * 3
    assert all(url in i.last_error and i.package.exists() for i in items)
    assert "outbox retry" in out + err
    # the link is back, and flaky: the first receipt is lost after the server stored the submission
    proxy = FaultProxy(("127.0.0.1", live.port), port=port)
    proxy.add(Fault("POST", "/api/v1/submissions", "drop_response", times=1))
    proxy.add(Fault("POST", "/api/v1/blobs/missing", "respond_503", times=1, retry_after="0"))
    try:
        code, out, err = cli("outbox", "retry", "--quiet", "--concurrency", "3")
    finally:
        proxy.close()
    assert code == 0, out + err
    items = Outbox().list()
    assert [i.state for i in items] == ["sent"] * 3
    assert len({i.receipt["submission_id"] for i in items}) == 3
    assert proxy.requests[("POST", "/api/v1/submissions")] == 4  # one retry after the lost receipt
    all_titles = titles(live, token)
    for i in range(3):
        assert all_titles.count(f"共和县召开2026年冬春农牧业生产工作会议(断网{i})") == 1
    code, out, _ = cli("--lang", "en", "outbox", "retry")
    assert code == 0 and "Nothing is waiting" in out


def test_sigkill_mid_upload_resumes_and_sends_only_the_rest(cli, live, tmp_path, monkeypatch):
    token = live.unit_token()
    folder = copy_submission(VIDEO, tmp_path / "video", "断点续传")
    video = make_big_wmv(folder / "宣传片.wmv", loops=8)
    size = video.stat().st_size
    assert size > 20_000_000
    proxy = FaultProxy(("127.0.0.1", live.port), throttle=6_000_000)  # a slow county link: ~4 s for the video
    env = dict(os.environ, HNSUBMIT_TOKEN=token.reveal(), PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-m", "hnsubmit", "push", str(folder), "--endpoint", proxy.url, "--quiet"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(tmp_path))
    try:
        deadline = time.monotonic() + 90
        while proxy.upload_bytes < size * 0.5:  # half the video has reached the server
            assert proc.poll() is None, "push finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    [item] = Outbox().list()
    assert item.state == "uploading" and item.uploads  # the dead process's state, kept
    # the bytes already in flight drain through the proxy; then the server sees the broken body and
    # keeps what arrived (protocol §3)
    at_kill, deadline = -1, time.monotonic() + 20
    with live.client(token) as c:
        while at_kill != proxy.upload_bytes:
            assert time.monotonic() < deadline, (at_kill, proxy.upload_bytes)
            time.sleep(0.1)
            at_kill = int(c.call("HEAD", f"/api/v1/uploads/{next(iter(item.uploads.values()))}").headers["upload-offset"])
    assert size * 0.5 <= at_kill < size
    proxy.throttle = None
    proxy.upload_bytes = 0
    monkeypatch.setenv("HNSUBMIT_TOKEN", token.reveal())
    try:
        code, out, err = cli("outbox", "retry", "--quiet")
    finally:
        proxy.close()
    assert code == 0, out + err
    [item] = Outbox().list()
    assert item.state == "sent" and item.attempts == 2
    assert proxy.upload_bytes == size - at_kill  # only the rest went over the wire
    assert item.bytes_sent == size - at_kill
    assert titles(live, token).count("共和县冬季文旅宣传片《青海湖畔的冬天》(断点续传)") == 1


def test_status_shows_state_reason_and_quota_and_withdraw(cli, live, tmp_path, monkeypatch):
    token = live.unit_token()
    monkeypatch.setenv("HNSUBMIT_TOKEN", token.reveal())
    a = copy_submission(MEETING, tmp_path / "a", "状态A")
    b = copy_submission(VIDEO, tmp_path / "b", "状态B")
    code, out, err = cli("push", a, b, "--endpoint", live.url, "--quiet")
    assert code == 0, out + err
    ids = {Path(i.source).name: i.receipt["submission_id"] for i in Outbox().list()}
    reason = "图片说明不完整,请补充拍摄时间和地点。"
    with live.client(live.reviewer_token()) as office:
        office.review(ids["a"], "reject", reason)
        office.review(ids["b"], "accept")
    code, out, err = cli("status", "--endpoint", live.url, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    by_id = {s["submission_id"]: s for s in data["submissions"]}
    assert (by_id[ids["a"]]["state"], by_id[ids["a"]]["reason"]) == ("rejected", reason)
    assert by_id[ids["b"]]["state"] == "published"
    [row] = [r for r in data["report"] if r["unit"] == "632521"]
    assert row["sent"] >= 2 and data["quota_met"] == (row["sent"] >= 3)
    code, out, err = cli("--lang", "en", "status", "--endpoint", live.url)
    assert code == 0 and ids["a"] in out and "at least 3 required" in out
    code, out, err = cli("status", ids["a"], "--endpoint", live.url)
    assert code == 0 and reason in out and ids["a"] in out
    code, out, err = cli("withdraw", ids["b"], "--reason", "文件已过期", "--endpoint", live.url, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["state"] == "withdrawn" and json.loads(out)["reason"] == "文件已过期"
    code, out, err = cli("withdraw", ids["a"], "--reason", "撤回", "--endpoint", live.url)
    assert code == 6 and "invalid_transition" in err  # a rejected item cannot be withdrawn
    code, out, err = cli("status", "../../whoami", "--endpoint", live.url)
    assert code == 2


def test_whoami_and_a_refused_token(cli, live, tmp_path, monkeypatch):
    token = live.unit_token()
    monkeypatch.setenv("HNSUBMIT_TOKEN", token.reveal())
    code, out, err = cli("--lang", "en", "whoami", "--endpoint", live.url)
    assert code == 0 and "632521" in out and "<hidden>" in out and token.reveal() not in out
    monkeypatch.setenv("HNSUBMIT_TOKEN", "Z" * 43)
    folder = copy_submission(MEETING, tmp_path / "m", "错误令牌")
    code, out, err = cli("push", folder, "--endpoint", live.url, "--quiet")
    assert code == 4, out + err
    [item] = Outbox().list()
    assert item.state == "failed" and "401" in item.last_error


def test_the_token_is_nowhere(cli, live, tmp_path, monkeypatch, isolated_environment):
    """Outputs, outbox (database, WAL, package copies), caches, packages and the server log: no token."""
    token = live.unit_token()
    secret = token.reveal()
    monkeypatch.setenv("HNSUBMIT_TOKEN", secret)
    a = copy_submission(MEETING, tmp_path / "a", "令牌检查")
    outputs = []
    outputs += cli("-v", "push", a, "--endpoint", live.url, "--quiet")[1:]
    outputs += cli("-v", "status", "--endpoint", live.url)[1:]
    outputs += cli("-v", "whoami", "--endpoint", live.url, "--format", "json")[1:]
    outputs += cli("-v", "config", "show")[1:]
    outputs += cli("-v", "outbox", "list", "--all", "--format", "json")[1:]
    proxy = FaultProxy(("127.0.0.1", live.port))
    url = proxy.url
    proxy.close()
    b = copy_submission(VIDEO, tmp_path / "b", "令牌检查")
    outputs += cli("-v", "push", b, "--endpoint", url, "--quiet", "--retries", "1")[1:]  # network error
    monkeypatch.setenv("HNSUBMIT_TOKEN", secret + "x")
    outputs += cli("-v", "push", b, "--endpoint", live.url, "--quiet")[1:]  # refused token
    outputs += cli("-v", "withdraw", "HN-00000000-NOPE00", "--reason", "x", "--endpoint", live.url)[1:]
    assert all(secret not in o for o in outputs)
    assert any("401" in o or "unauthorized" in o for o in outputs)
    needle = secret.encode()
    leaks = [str(p) for root in (isolated_environment, tmp_path) for p in root.rglob("*")
             if p.is_file() and needle in p.read_bytes()]
    for p in list(Path(live.data_dir).rglob("*")):
        if p.is_file() and needle in p.read_bytes():
            leaks.append(str(p))
    assert leaks == []
    assert secret not in live.log()


def test_login_verifies_with_the_server_then_push_uses_the_keyring(cli, live, tmp_path):
    import keyring

    from keyring_memory import MemoryKeyring

    MemoryKeyring._store.clear()
    keyring.set_keyring(MemoryKeyring())
    token = live.unit_token("632521").reveal()
    other = live.unit_token("632522").reveal()
    code, out, err = cli("login", "--endpoint", live.url, "--unit", "632521", "--token-stdin", input=other + "\n")
    assert code == 4 and "632522" in err and other not in out + err  # another unit's token is not stored
    assert MemoryKeyring._store == {}
    code, out, err = cli("login", "--endpoint", live.url, "--unit", "632521", "--token-stdin", input=token + "\n")
    assert code == 0, err
    assert MemoryKeyring._store == {("hnsubmit:" + live.url, "632521"): token}
    folder = copy_submission(MEETING, tmp_path / "m", "钥匙串")
    code, out, err = cli("push", folder, "--endpoint", live.url, "--unit", "632521", "--quiet")
    assert code == 0, out + err
    code, out, err = cli("--lang", "en", "whoami", "--endpoint", live.url, "--unit", "632521")
    assert code == 0 and "keyring" in out and token not in out
    code, out, err = cli("logout", "--endpoint", live.url, "--unit", "632521")
    assert code == 0 and MemoryKeyring._store == {}
    code, out, err = cli("push", folder, "--endpoint", live.url, "--unit", "632521", "--quiet")
    assert code == 4 and "hnsubmit login" in err
    MemoryKeyring._store.clear()


def test_progress_events_reach_the_caller(live, tmp_path):
    """The library reports progress through callbacks (the command layer draws the bars)."""
    from hnsubmit.client.push import PushEvents, push_items
    from hnsubmit.client.packages import pack_folder
    from hnsubmit.policy.model import default_policy

    token = live.unit_token("632524")  # a unit that holds none of these files yet (presence is per unit)
    box = Outbox(tmp_path / "box")
    items = []
    for i in range(2):
        folder = copy_submission(MEETING, tmp_path / f"m{i}", f"进度{i}", unit="632524")
        pkg, manifest = pack_folder(folder, tmp_path / "pkgs", default_policy())
        item, _ = box.add(pkg, live.url, "632524")
        items.append(box.set_manifest(item.id, manifest))
    seen: list[tuple] = []
    events = PushEvents(
        item_started=lambda item, n: seen.append(("item", item.id, n)),
        blob_started=lambda item, d, path, size: seen.append(("blob", item.id, path, size)),
        blob_progress=lambda item, d, pos: seen.append(("pos", item.id, d, pos)),
        item_finished=lambda r: seen.append(("done", r.item_id, r.state)),
    )
    with live.client(token) as c:
        results = push_items(c, box, items, concurrency=2, events=events)
    assert [r.state for r in results] == ["sent", "sent"]
    for item in items:
        mine = [e for e in seen if e[1] == item.id]
        assert mine[0][0] == "item" and mine[-1] == ("done", item.id, "sent")
    # the three files are shared by both items: each is uploaded once in the batch
    blobs = [e for e in seen if e[0] == "blob"]
    sizes = {e[2]: e[3] for e in blobs}
    assert sorted(sizes) == ["会场照片1.jpg", "会场照片2.jpg", "正文.docx"]
    assert sum(r.bytes_sent for r in results) == sum(sizes.values())
    for d in {e[2] for e in seen if e[0] == "pos"}:
        positions = [e[3] for e in seen if e[0] == "pos" and e[2] == d]
        assert positions == sorted(positions) and positions[-1] in sizes.values()


def test_under_ci_push_uses_the_variable_and_never_the_keyring(cli, live, tmp_path, monkeypatch):
    import keyring
    from keyring.backend import KeyringBackend

    calls = []

    class Watching(KeyringBackend):
        priority = 1

        def get_password(self, service, username):
            calls.append("get")

        def set_password(self, service, username, password):
            calls.append("set")

        def delete_password(self, service, username):
            calls.append("delete")

    previous = keyring.get_keyring()
    keyring.set_keyring(Watching())
    try:
        monkeypatch.setenv("CI", "true")
        folder = copy_submission(VIDEO, tmp_path / "v", "流水线")
        code, out, err = cli("push", folder, "--endpoint", live.url, "--unit", "632521")
        assert code == 4 and "HNSUBMIT_TOKEN" in err
        monkeypatch.setenv("HNSUBMIT_TOKEN", live.unit_token().reveal())
        code, out, err = cli("push", folder, "--endpoint", live.url)
        assert code == 0, out + err
        assert "━" in out and "HN-" in out  # the summary table, and no progress bar under CI
        assert calls == []
    finally:
        keyring.set_keyring(previous)
