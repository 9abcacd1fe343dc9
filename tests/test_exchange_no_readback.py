"""No read-back at finish (issue 19): the blob store hashes the bytes as they are appended, so finishing
an upload reads nothing of the staged file (it read 1 GiB back per GiB before), while the declared digest
is still checked before the blob becomes visible. After a restart (the running hash lost) the next
append reads the committed prefix once, and only it."""

from __future__ import annotations

import builtins
import hashlib
import os

import pytest

import hnsubmit.exchange.store.blobs as blobs_module
from hnsubmit.exchange.store.blobs import LocalBlobStore

UID = "u_" + "ab" * 16


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@pytest.fixture
def reads(monkeypatch):
    """Bytes read from staged .part files through `open` in the blob store's module."""
    count = {"bytes": 0, "opens": 0}

    class Counting:
        def __init__(self, f) -> None:
            self.f = f

        def read(self, n=-1):
            chunk = self.f.read(n)
            count["bytes"] += len(chunk)
            return chunk

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def __getattr__(self, name):
            return getattr(self.f, name)

    def counting_open(path, mode="r", *args, **kwargs):
        f = builtins.open(path, mode, *args, **kwargs)
        if str(path).endswith(".part") and "r" in mode:
            count["opens"] += 1
            return Counting(f)
        return f

    monkeypatch.setattr(blobs_module, "open", counting_open, raising=False)
    return count


def _append(store: LocalBlobStore, offset: int, *chunks: bytes) -> int:
    a = store.appender(UID, offset)
    for chunk in chunks:
        a.write(chunk)
    return a.commit()


def test_finish_reads_nothing_back_and_still_checks_the_digest(tmp_path, reads):
    store = LocalBlobStore(tmp_path)
    data = os.urandom(3 << 20)
    store.start(UID)
    end = _append(store, 0, data[:1 << 20], data[1 << 20 : 2 << 20])
    _append(store, end, data[2 << 20 :])
    assert reads["bytes"] == 0  # appending in one process never reads back either
    assert store.finish(UID, _digest(data)) == (_digest(data), len(data))
    assert reads["bytes"] == 0 and reads["opens"] == 0
    assert store.size(_digest(data)) == len(data)
    assert b"".join(store.read(_digest(data))) == data

    # the check is still made: a wrong digest is refused, nothing becomes visible, the staged file goes
    other = os.urandom(100_000)
    store.start(UID)
    _append(store, 0, other)
    wrong = _digest(b"something else")
    actual, size = store.finish(UID, wrong)
    assert (actual, size) == (_digest(other), len(other)) and actual != wrong
    assert not store.has(wrong) and not store.has(_digest(other))
    assert not (tmp_path / "uploads" / f"{UID}.part").exists()
    assert reads["bytes"] == 0

    # bytes the appender never saw (changed on disk after the last commit): the running hash does not
    # cover the file, so finish reads and hashes what is really there, and refuses it
    store.start(UID)
    _append(store, 0, other)
    with open(tmp_path / "uploads" / f"{UID}.part", "ab") as f:
        f.write(b"tampered")
    actual, size = store.finish(UID, _digest(other))
    assert (actual, size) == (_digest(other + b"tampered"), len(other) + 8)
    assert reads["bytes"] == len(other) + 8
    assert not store.has(_digest(other))


def test_an_aborted_chunk_leaves_the_running_hash_at_the_committed_bytes(tmp_path, reads):
    store = LocalBlobStore(tmp_path)
    data = os.urandom(500_000)
    store.start(UID)
    end = _append(store, 0, data[:200_000])
    a = store.appender(UID, end)
    a.write(os.urandom(50_000))  # an over-long chunk, a disconnect before commit: thrown away
    a.abort()
    _append(store, end, data[200_000:])
    assert store.finish(UID, _digest(data)) == (_digest(data), len(data))
    assert reads["bytes"] == 0


def test_after_a_restart_only_the_staged_prefix_is_read_once(tmp_path, reads):
    data = os.urandom(2 << 20)
    first = LocalBlobStore(tmp_path)
    first.start(UID)
    end = _append(first, 0, data[:1_234_567])
    assert reads["bytes"] == 0

    restarted = LocalBlobStore(tmp_path)  # a new server process: the running hash is gone
    _append(restarted, end, data[1_234_567:])
    assert reads["bytes"] == 1_234_567  # the prefix, hashed again once
    assert restarted.finish(UID, _digest(data)) == (_digest(data), len(data))
    assert reads["bytes"] == 1_234_567  # and nothing at finish

