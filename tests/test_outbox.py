"""The outbox: durable rows, content-addressed package copies, per-item OS locks that die with the process."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from hnsubmit.config import data_dir
from hnsubmit.errors import UsageError
from hnsubmit.client.outbox import ItemBusy, Outbox, idempotency_key

EP = "http://127.0.0.1:8765"


def _package(tmp_path: Path, name: str = "pkg.zip", payload: bytes = b"PK\x05\x06" + b"\0" * 18) -> Path:
    path = tmp_path / name
    path.write_bytes(payload)
    return path


def test_default_location_is_the_user_data_dir(tmp_path):
    box = Outbox()
    assert box.root == data_dir() / "outbox"
    assert (box.root / "outbox.sqlite3").exists()
    import sqlite3

    with sqlite3.connect(box.db_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_add_copies_the_package_and_is_idempotent_per_endpoint_and_unit(tmp_path):
    box = Outbox(tmp_path / "box")
    pkg = _package(tmp_path, payload=b"package bytes" * 1000)
    sha = hashlib.sha256(pkg.read_bytes()).hexdigest()
    item, created = box.add(pkg, EP, "632521", source="新闻/会议")
    assert created
    assert (item.sha256, item.size, item.state, item.attempts, item.unit) == (sha, 13000, "queued", 0, "632521")
    assert item.package == box.root / "packages" / f"{sha}.zip"
    assert item.package.read_bytes() == pkg.read_bytes()
    assert item.idempotency_key == idempotency_key(sha) == "hnsubmit-pkg-" + sha
    pkg.unlink()  # the outbox keeps its own copy
    assert item.package.exists()
    pkg = _package(tmp_path, payload=b"package bytes" * 1000)
    again, created = box.add(pkg, EP, "632521")
    assert not created and again.id == item.id
    other, created = box.add(pkg, EP, "632522")
    assert created and other.id != item.id and other.package == item.package
    assert [i.id for i in box.pending()] == [item.id, other.id]
    assert [i.id for i in box.pending(unit="632522")] == [other.id]
    assert list((box.root / "packages").iterdir()) == [item.package]  # no temporary left behind


def test_state_changes_survive_a_new_process(tmp_path):
    box = Outbox(tmp_path / "box")
    item, _ = box.add(_package(tmp_path), EP, "632521")
    box.start_attempt(item.id)
    box.record_upload(item.id, "sha256:" + "a" * 64, "u_1")
    box.record_upload(item.id, "sha256:" + "b" * 64, "u_2")
    box.record_upload(item.id, "sha256:" + "a" * 64, None)
    box.add_bytes_sent(item.id, 1234)
    code = (
        "import json, sys; from hnsubmit.client.outbox import Outbox\n"
        f"i = Outbox({str(tmp_path / 'box')!r}).get({item.id})\n"
        "print(json.dumps([i.state, i.attempts, i.uploads, i.bytes_sent]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == ["uploading", 1, {"sha256:" + "b" * 64: "u_2"}, 1234]


def test_sent_keeps_the_receipt_and_frees_the_copy_failed_keeps_the_error(tmp_path):
    box = Outbox(tmp_path / "box")
    a, _ = box.add(_package(tmp_path, "a.zip", b"a" * 100), EP, "632521")
    b, _ = box.add(_package(tmp_path, "b.zip", b"b" * 100), EP, "632521")
    receipt = {"submission_id": "HN-20261118-7KQ2XM", "state": "received"}
    sent = box.mark_sent(a.id, receipt)
    assert (sent.state, sent.receipt, sent.uploads) == ("sent", receipt, {})
    assert not a.package.exists()
    failed = box.mark_failed(b.id, "x" * 5000)
    assert failed.state == "failed" and len(failed.last_error) == 2000
    assert b.package.exists()
    assert [i.id for i in box.pending()] == [b.id]
    assert box.requeue(b.id).state == "queued"
    with pytest.raises(UsageError):
        box.requeue(a.id)  # its copy is gone: push it again
    readded, created = box.add(_package(tmp_path, "a.zip", b"a" * 100), EP, "632521")
    assert not created and readded.package.exists() and readded.receipt == receipt


def test_drop_removes_row_and_copy(tmp_path):
    box = Outbox(tmp_path / "box")
    item, _ = box.add(_package(tmp_path), EP, "632521")
    box.drop(item.id)
    assert box.list() == [] and not item.package.exists()
    with pytest.raises(UsageError):
        box.get(item.id)


def test_lock_is_exclusive_and_released_when_the_holder_is_killed(tmp_path):
    root = tmp_path / "box"
    box = Outbox(root)
    item, _ = box.add(_package(tmp_path), EP, "632521")
    with box.lock(item):
        with pytest.raises(ItemBusy):
            with Outbox(root).lock(item):
                pass
    code = (
        "import sys, time; from hnsubmit.client.outbox import Outbox\n"
        f"box = Outbox({str(root)!r}); item = box.get({item.id})\n"
        "with box.lock(item):\n    print('locked', flush=True); time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(ItemBusy):
            with box.lock(item):
                pass
        with pytest.raises(ItemBusy):
            box.drop(item.id)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    with box.lock(item):  # the OS released the dead process's lock
        pass
    box.drop(item.id)


def test_an_item_added_just_before_a_kill_is_there(tmp_path):
    root = tmp_path / "box"
    pkg = _package(tmp_path, payload=b"z" * 4096)
    code = (
        "import os, signal; from hnsubmit.client.outbox import Outbox\n"
        f"Outbox({str(root)!r}).add({str(pkg)!r}, {EP!r}, '632521')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    items = Outbox(root).list()
    assert [(i.state, i.size, i.package.read_bytes()) for i in items] == [("queued", 4096, b"z" * 4096)]


def test_outbox_commands(cli, tmp_path):
    code, out, _ = cli("outbox", "list")
    assert code == 0 and ("Nothing is waiting" in out or "发件箱" in out or out.strip())
    box = Outbox()
    a, _ = box.add(_package(tmp_path, "会议.zip", b"a" * 10), EP, "632521", source=str(tmp_path / "会议.zip"))
    b, _ = box.add(_package(tmp_path, "b.zip", b"b" * 10), EP, "632521")
    box.mark_sent(b.id, {"submission_id": "HN-1"})
    code, out, _ = cli("outbox", "list", "--format", "json")
    assert code == 0
    assert [(r["id"], r["state"]) for r in json.loads(out)] == [(a.id, "queued")]
    code, out, _ = cli("outbox", "list", "--all", "--format", "json")
    assert [(r["id"], r["state"], r["receipt"]) for r in json.loads(out)] == [
        (a.id, "queued", None), (b.id, "sent", {"submission_id": "HN-1"})]
    code, out, _ = cli("--lang", "en", "outbox", "list")
    assert code == 0 and "会议.zip" in out
    code, out, _ = cli("outbox", "drop", str(a.id), input="n\n")
    assert code == 1 and len(box.list()) == 2
    code, out, _ = cli("outbox", "drop", str(a.id), "--yes")
    assert code == 0 and [i.id for i in box.list()] == [b.id]
    code, _, err = cli("outbox", "drop", "999", "--yes")
    assert code == 2 and "999" in err


def test_copy_of_an_item_acknowledged_just_before_a_kill_is_freed_on_next_open(tmp_path):
    """mark_sent writes the receipt, then deletes the copy: a kill in between must not leave it forever."""
    from hnsubmit.client.outbox import Outbox

    pkg = tmp_path / "item.zip"
    pkg.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    box = Outbox(tmp_path / "box")
    item, _ = box.add(pkg, "http://127.0.0.1:1", "632521")
    box._update(item.id, state="sent", receipt='{"id": "HN-20261122-AAAAAA"}')  # the kill lands here
    assert item.package.exists()
    box.close()
    reopened = Outbox(tmp_path / "box")
    assert not item.package.exists()
    assert reopened.get(item.id).state == "sent"
    other = tmp_path / "other.zip"
    other.write_bytes(b"PK\x05\x06" + b"\x01" * 18)
    waiting, _ = reopened.add(other, "http://127.0.0.1:1", "632521")
    reopened.close()
    Outbox(tmp_path / "box")
    assert waiting.package.exists()  # an unsent item's copy is never swept
