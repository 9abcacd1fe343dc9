"""A damaged disk under a real server: blob files bit-flipped, truncated or deleted are never served
or counted; they are quarantined, reported missing, and the next upload repairs them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import httpx
import pytest

from exchange.harness import digest_of, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("integrity") / "data")
    yield s
    s.stop()


def blob_file(s, digest: str) -> Path:
    hexd = digest.split(":")[1]
    return s.data_dir / "blobs" / "sha256" / hexd[:2] / hexd


def quarantined(s, digest: str) -> list[Path]:
    return list((s.data_dir / "quarantine").glob(digest.split(":")[1] + ".*"))


def missing(s, who: str, digest: str) -> list[str]:
    with s.client(who) as c:
        return c.post("/api/v1/blobs/missing", json={"digests": [digest]}).json()["missing"]


def flip(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def reupload_repairs(s, who: str, data: bytes) -> None:
    """The client's path: the blob is missing, so it is uploaded again, and then served intact."""
    digest = digest_of(data)
    assert missing(s, who, digest) == [digest]
    with s.client(who) as c:
        r = c.post("/api/v1/uploads", json={"digest": digest, "size": len(data)})
        assert (r.status_code, r.json()["complete"]) == (201, False)  # not "complete": it must be sent again
    assert s.upload(who, data) == digest
    assert missing(s, who, digest) == []
    with s.client(who) as c:
        assert c.get(f"/api/v1/blobs/{digest}").content == data
    assert blob_file(s, digest).read_bytes() == data


@pytest.mark.integration
def test_bit_flipped_blob_is_cut_off_quarantined_and_repaired(server):
    s = server
    data = os.urandom(3 * (1 << 20) + 123)  # several read chunks: the damage is in the middle
    digest = s.upload("unit", data)
    flip(blob_file(s, digest), len(data) // 2)
    assert missing(s, "unit", digest) == []  # same size: only hashing can tell
    with s.client("reviewer") as c:
        with pytest.raises(httpx.RemoteProtocolError):  # the response is cut before its end
            c.get(f"/api/v1/blobs/{digest}")
    assert not blob_file(s, digest).exists() and len(quarantined(s, digest)) == 1
    assert f"blob {digest} is damaged on disk" in s.log()
    assert "Traceback" not in s.log()
    with s.client("unit") as c:
        assert c.get(f"/api/v1/blobs/{digest}").status_code == 404
    reupload_repairs(s, "unit", data)


@pytest.mark.integration
def test_truncated_blob_is_never_served_short_nor_accepted(server):
    s = server
    data = os.urandom(200_000)
    manifest = s.manifest("unit", data)
    digest = digest_of(data)
    path = blob_file(s, digest)
    path.write_bytes(data[:1000])
    assert missing(s, "unit", digest) == [digest]
    r = s.submit("unit", manifest, "integrity-truncated-1")
    assert (r.status_code, r.json()["error"]["code"]) == (422, "blob_missing")
    with s.client("unit") as c:
        assert c.get(f"/api/v1/blobs/{digest}").status_code == 404  # not 200 with 1000 bytes
    assert len(quarantined(s, digest)) == 1
    reupload_repairs(s, "unit", data)
    assert s.submit("unit", manifest, "integrity-truncated-1").status_code == 201


@pytest.mark.integration
def test_deleted_blob_is_missing_refused_and_repaired(server):
    s = server
    data = os.urandom(50_000)
    manifest = s.manifest("unit", data)
    digest = digest_of(data)
    blob_file(s, digest).unlink()
    assert missing(s, "unit", digest) == [digest]
    r = s.submit("unit", manifest, "integrity-deleted-1")
    assert (r.status_code, r.json()["error"]["code"]) == (422, "blob_missing")
    with s.client("reviewer") as c:
        assert c.get(f"/api/v1/blobs/{digest}").status_code == 404
    reupload_repairs(s, "unit", data)
    assert s.submit("unit", manifest, "integrity-deleted-1").status_code == 201


@pytest.mark.integration
def test_finishing_a_blob_another_unit_holds_does_the_same_work(server):
    """Both paths put the freshly verified staged bytes in place (rename), so finishing tells a unit
    nothing of what others hold, and a copy damaged since (same size, not yet noticed) is repaired."""
    s = server
    data = os.urandom(100_000)
    digest = s.upload("unit", data)
    path = blob_file(s, digest)
    flip(path, 10)
    before = path.stat().st_ino
    assert s.upload("unit_b", data) == digest
    assert path.stat().st_ino != before  # the staged file took its place, as on a fresh upload
    assert path.read_bytes() == data
    assert oct(path.stat().st_mode & 0o777) == "0o600"


@pytest.mark.integration
def test_data_directory_is_private(server):
    s = server
    with s.client("unit") as c:  # an open session: a staged .part file exists
        assert c.post("/api/v1/uploads", json={"digest": digest_of(b"x" * 10), "size": 10}).status_code == 201
    if not (s.data_dir / "quarantine").exists():  # run alone (or on another xdist worker): quarantine a blob here
        digest = s.upload("unit", os.urandom(5000))
        flip(blob_file(s, digest), 100)
        with s.client("reviewer") as c, pytest.raises(httpx.RemoteProtocolError):
            c.get(f"/api/v1/blobs/{digest}")
    paths = [s.data_dir, *s.data_dir.rglob("*")]
    assert {"quarantine", "exchange.sqlite3-wal"} <= {p.name for p in paths}
    assert any(p.name.endswith(".part") for p in paths)
    for p in paths:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o700 if p.is_dir() else 0o600), (p, oct(mode))


def test_a_late_quarantine_spares_the_copy_a_repair_put_in_place(tmp_path):
    """A download that found damage must not quarantine the good copy an upload renamed in meanwhile."""
    from hnsubmit.exchange.store.blobs import LocalBlobStore

    store = LocalBlobStore(tmp_path)
    data = os.urandom(1000)
    digest = digest_of(data)
    path = store.blobs / digest[7:9] / digest[7:]
    path.parent.mkdir()
    path.write_bytes(b"damaged")
    with store.open(digest) as reader:  # the download's open file
        damaged_inode = os.fstat(reader.fileno()).st_ino
        repaired = path.with_suffix(".new")
        repaired.write_bytes(data)
        os.replace(repaired, path)  # what finishing an upload does
        assert store.quarantine(digest, damaged_inode) is None
    assert path.read_bytes() == data
    assert store.quarantine(digest, path.stat().st_ino) is not None and not path.exists()
