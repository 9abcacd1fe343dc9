"""Committed upload bytes leave the page cache (issue 19, P3a): once a chunk is fsynced the blob store
hands its range to the kernel with POSIX_FADV_DONTNEED, so the next chunk writes into pages just given
back instead of fresh ones (on the benchmark's VM a fresh GiB of page cache cost ~3 s of CPU), and the
bytes are still all there and hash right. Residency is read with util-linux `fincore`, on a real
filesystem (tmpfs pages are the file itself and cannot be dropped)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess

import pytest

from hnsubmit.exchange.store.blobs import LET_GO, LocalBlobStore

UID = "u_" + "cd" * 16


def _resident(path) -> int:
    out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return int(out.split()[0])


@pytest.fixture
def store(tmp_path):
    if shutil.which("fincore") is None or not hasattr(os, "posix_fadvise"):
        pytest.skip("needs util-linux fincore and posix_fadvise")
    if subprocess.run(["stat", "-f", "-c", "%T", str(tmp_path)], capture_output=True, text=True).stdout.strip() == "tmpfs":
        pytest.skip("tmpfs keeps its pages: nothing to drop")
    return LocalBlobStore(tmp_path / "blobs")


def test_a_committed_chunk_leaves_the_page_cache_and_the_blob_is_whole(store):
    pieces = [os.urandom(256 << 10) for _ in range(3 * LET_GO // (256 << 10) + 5)]
    data = b"".join(pieces)
    size = len(data)
    store.start(UID)
    a = store.appender(UID, 0)
    for i in range(0, len(pieces), 4):  # batches of 1 MiB, as the upload handler hands them over
        a.write_many(pieces[i:i + 4])
    assert a.commit() == size
    staged = store._staged(UID)
    # without the advice every written page stays cached (the whole file is resident)
    assert _resident(staged) < size // 8
    b = store.appender(UID, size)  # a second chunk continues the same running hash
    b.write(b"tail")
    b.commit()
    digest = "sha256:" + hashlib.sha256(data + b"tail").hexdigest()
    assert store.finish(UID, digest) == (digest, size + 4)
    with store.open(digest) as f:
        assert f.read() == data + b"tail"
