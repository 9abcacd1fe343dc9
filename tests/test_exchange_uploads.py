"""Blobs over the real server: resumable sessions, digest checks, limits enforced while streaming,
memory that stays flat under a 200 MB oversize body, and a resume after the server is killed."""

from __future__ import annotations

import hashlib
import os
import select
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from exchange.harness import digest_of, start_server

LIMIT = 4_000_000  # the small server's policy: limits.max_bytes.default


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A server whose policy allows blobs of at most LIMIT bytes."""
    root = tmp_path_factory.mktemp("small")
    policy = root / "policy.toml"
    policy.write_text(f"version = 1\n[limits]\nmax_bytes = {{ default = {LIMIT} }}\n", encoding="utf-8")
    server = start_server(root / "data", policy)
    yield server
    server.stop()


def _create(c, data: bytes, size: int | None = None):
    return c.post("/api/v1/uploads", json={"digest": digest_of(data), "size": len(data) if size is None else size})


def _blob_files(data_dir: Path, digest: str) -> list[Path]:
    return list((data_dir / "blobs").rglob(digest.split(":")[1]))


@pytest.mark.integration
def test_chunked_resumable_upload_then_never_again(exchange_server):
    s = exchange_server
    data = os.urandom(300_000)
    digest = digest_of(data)
    with s.client("unit") as c:
        assert c.post("/api/v1/blobs/missing", json={"digests": [digest, digest]}).json() == {"missing": [digest]}
        r = _create(c, data)
        assert r.status_code == 201 and r.headers["upload-offset"] == "0"
        uid = r.json()["upload_id"]
        assert r.headers["location"] == f"/api/v1/uploads/{uid}"
        # asking again for the same digest gives the same open session, not a second one
        assert _create(c, data).json()["upload_id"] == uid
        for start in range(0, len(data), 100_000):
            r = c.patch(f"/api/v1/uploads/{uid}", content=data[start:start + 100_000], headers={"Upload-Offset": str(start)})
            assert (r.status_code, r.headers["upload-offset"]) == (204, str(min(start + 100_000, len(data))))
            h = c.head(f"/api/v1/uploads/{uid}")
            assert (h.headers["upload-offset"], h.headers["upload-length"]) == (r.headers["upload-offset"], str(len(data)))
        r = c.put(f"/api/v1/uploads/{uid}", params={"digest": digest})
        assert (r.status_code, r.json()) == (201, {"digest": digest, "size": len(data)})
        assert r.headers["location"] == f"/api/v1/blobs/{digest}"
        # the finished session answers "complete" (a second liaison of the unit may still be on it)
        done = c.get(f"/api/v1/uploads/{uid}")
        assert (done.status_code, done.json()["complete"], done.json()["offset"]) == (200, True, len(data))
        assert c.post("/api/v1/blobs/missing", json={"digests": [digest]}).json() == {"missing": []}
        again = _create(c, data)
        assert (again.status_code, again.json()["complete"], again.json()["upload_id"]) == (200, True, None)
        assert c.get(f"/api/v1/blobs/{digest}").content == data
    # another unit uploads the same bytes: verified again, but stored once
    assert s.upload("unit_b", data) == digest
    files = _blob_files(s.data_dir, digest)
    assert len(files) == 1 and files[0].read_bytes() == data


@pytest.mark.integration
def test_wrong_offset_is_refused_with_the_right_one(exchange_server):
    data = os.urandom(1000)
    with exchange_server.client("unit") as c:
        uid = _create(c, data).json()["upload_id"]
        assert c.patch(f"/api/v1/uploads/{uid}", content=data[:400], headers={"Upload-Offset": "0"}).status_code == 204
        r = c.patch(f"/api/v1/uploads/{uid}", content=data[:400], headers={"Upload-Offset": "0"})
        assert (r.status_code, r.json()["error"]["code"], r.json()["error"]["details"], r.headers["upload-offset"]) == \
            (409, "offset_mismatch", {"offset": 400}, "400")
        for bad in ("", "-1", "abc", "1e3"):
            assert c.patch(f"/api/v1/uploads/{uid}", content=b"x", headers={"Upload-Offset": bad}).json()["error"]["code"] == "bad_request"
        assert c.patch(f"/api/v1/uploads/{uid}", content=b"x").status_code == 400  # no Upload-Offset at all
        r = c.put(f"/api/v1/uploads/{uid}", params={"digest": digest_of(data)})
        assert (r.status_code, r.json()["error"]["code"], r.json()["error"]["details"]) == (409, "upload_incomplete", {"offset": 400, "size": 1000})


@pytest.mark.integration
def test_digest_mismatch_is_refused_and_discarded(exchange_server):
    s = exchange_server
    data, other = os.urandom(5000), os.urandom(5000)
    digest = digest_of(data)
    with s.client("unit") as c:
        uid = _create(c, data).json()["upload_id"]
        assert c.patch(f"/api/v1/uploads/{uid}", content=other, headers={"Upload-Offset": "0"}).status_code == 204
        r = c.put(f"/api/v1/uploads/{uid}", params={"digest": digest})
        assert (r.status_code, r.json()["error"]["code"]) == (422, "digest_mismatch")
        assert r.json()["error"]["details"] == {"expected": digest, "actual": digest_of(other)}
        assert c.head(f"/api/v1/uploads/{uid}").status_code == 404
        assert c.post("/api/v1/blobs/missing", json={"digests": [digest, digest_of(other)]}).json()["missing"] == [digest, digest_of(other)]
        # finishing with a digest other than the session's is a mismatch too
        uid = _create(c, data).json()["upload_id"]
        c.patch(f"/api/v1/uploads/{uid}", content=data, headers={"Upload-Offset": "0"})
        assert c.put(f"/api/v1/uploads/{uid}", params={"digest": digest_of(other)}).json()["error"]["code"] == "digest_mismatch"
        for bad in ("sha256:XYZ", "md5:" + "0" * 32, "sha256:" + "A" * 64):
            assert c.post("/api/v1/uploads", json={"digest": bad, "size": 1}).json()["error"]["code"] == "invalid_digest"
            assert c.post("/api/v1/blobs/missing", json={"digests": [bad]}).json()["error"]["code"] == "invalid_digest"
    assert _blob_files(s.data_dir, digest) == [] and _blob_files(s.data_dir, digest_of(other)) == []


@pytest.mark.integration
def test_sizes_over_the_policy_are_refused(small):
    with small.client("unit") as c:
        r = c.post("/api/v1/uploads", json={"digest": digest_of(b"x"), "size": LIMIT + 1})
        assert (r.status_code, r.json()["error"]["code"], r.json()["error"]["details"]) == (413, "too_large", {"limit": LIMIT})
        data = os.urandom(1000)
        uid = _create(c, data).json()["upload_id"]
        # a chunk longer than the room left: refused, and nothing of it is kept
        r = c.patch(f"/api/v1/uploads/{uid}", content=data + b"extra", headers={"Upload-Offset": "0"})
        assert (r.status_code, r.json()["error"]["code"]) == (413, "too_large")
        assert c.head(f"/api/v1/uploads/{uid}").headers["upload-offset"] == "0"
        assert c.patch(f"/api/v1/uploads/{uid}", content=data, headers={"Upload-Offset": "0"}).status_code == 204
        assert c.put(f"/api/v1/uploads/{uid}", params={"digest": digest_of(data)}).status_code == 201
        # a JSON body over 1 MiB is refused too
        r = c.post("/api/v1/blobs/missing", content=b"{" + b" " * (1 << 20) + b"}", headers={"Content-Type": "application/json"})
        assert (r.status_code, r.json()["error"]["code"]) == (413, "too_large")


def _raw_patch(url: str, token: str, upload_id: str, offset: int, body_len: int | None) -> socket.socket:
    """Open a raw connection and send a PATCH's headers: Content-Length, or chunked when body_len is None."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port))
    framing = f"Content-Length: {body_len}\r\n" if body_len is not None else "Transfer-Encoding: chunked\r\n"
    sock.sendall((f"PATCH /api/v1/uploads/{upload_id} HTTP/1.1\r\nHost: {parts.hostname}\r\n"
                  f"Authorization: Bearer {token}\r\nUpload-Offset: {offset}\r\n"
                  f"Content-Type: application/octet-stream\r\n{framing}\r\n").encode())
    return sock


def _read_response(sock: socket.socket) -> bytes:
    """Read one HTTP/1.1 response with a Content-Length body (what the server sends for errors)."""
    data = b""
    while b"\r\n\r\n" not in data:
        part = sock.recv(65536)
        if not part:
            return data
        data += part
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        part = sock.recv(65536)
        if not part:
            break
        body += part
    return head + b"\r\n\r\n" + body


def _status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


@pytest.mark.integration
def test_oversize_stream_is_refused_while_streaming_with_flat_memory(small):
    """200 MB against a 4 MB session, chunked (no Content-Length to refuse up front): the server must
    answer 413 long before the body ends, and its RSS must not grow with the body."""
    total, chunk = 200 * 1024 * 1024, b"\0" * (256 * 1024)
    with small.client("unit") as c:
        data = os.urandom(16)
        uid = _create(c, data, size=LIMIT).json()["upload_id"]
    before = small.rss_kb()
    peak = [before]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], small.rss_kb())
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    sock = _raw_patch(small.url, small.tokens["unit"], uid, 0, None)
    sock.settimeout(10)
    sent, response = 0, b""
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    try:
        while sent < total:
            if select.select([sock], [], [], 0)[0]:
                break
            try:
                sock.sendall(frame)
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                break
            sent += len(chunk)
        response = _read_response(sock)
    finally:
        sock.close()
        stop.set()
        sampler.join()
    assert response.startswith(b"HTTP/1.1 413"), response[:200]
    assert b'"too_large"' in response
    assert sent < total // 4, f"the server read {sent} bytes before refusing"
    growth_mb = (peak[0] - before) / 1024
    assert growth_mb < 50, f"server RSS grew {growth_mb:.1f} MB while refusing a 200 MB body"
    with small.client("unit") as c:  # the session is untouched and still usable
        assert c.head(f"/api/v1/uploads/{uid}").headers["upload-offset"] == "0"


@pytest.mark.integration
def test_content_length_over_the_room_is_refused_before_the_body(small):
    with small.client("unit") as c:
        uid = _create(c, os.urandom(8), size=1000).json()["upload_id"]
    sock = _raw_patch(small.url, small.tokens["unit"], uid, 0, 200 * 1024 * 1024)
    sock.settimeout(10)
    try:
        response = _read_response(sock)  # no body byte was sent: the answer comes from the headers alone
    finally:
        sock.close()
    assert _status_of(response) == 413 and b'"too_large"' in response


def _wait_offset(c, uid: str, want: int, timeout: float = 10) -> int:
    deadline = time.monotonic() + timeout
    while True:
        got = int(c.head(f"/api/v1/uploads/{uid}").headers["upload-offset"])
        if got == want or time.monotonic() > deadline:
            return got
        time.sleep(0.05)


@pytest.mark.integration
def test_interrupted_upload_resumes_after_a_server_restart(tmp_path):
    server = start_server(tmp_path / "data")
    try:
        data = os.urandom(3_000_000)
        digest = digest_of(data)
        with server.client("unit") as c:
            uid = _create(c, data).json()["upload_id"]
            assert c.patch(f"/api/v1/uploads/{uid}", content=data[:1_000_000], headers={"Upload-Offset": "0"}).status_code == 204
        # 1. the link breaks in the middle of a chunk: what arrived is kept
        sock = _raw_patch(server.url, server.tokens["unit"], uid, 1_000_000, 2_000_000)
        sock.sendall(data[1_000_000:1_500_000])
        time.sleep(0.3)
        sock.close()
        with server.client("unit") as c:
            assert _wait_offset(c, uid, 1_500_000) == 1_500_000
        # 2. the server dies (SIGKILL) in the middle of the next chunk: bytes not yet committed do not count
        sock = _raw_patch(server.url, server.tokens["unit"], uid, 1_500_000, 1_500_000)
        sock.sendall(data[1_500_000:2_000_000])
        time.sleep(0.3)
        server.stop(kill=True)
        sock.close()
        server.start()
        with server.client("unit") as c:
            offset = int(c.head(f"/api/v1/uploads/{uid}").headers["upload-offset"])
            assert offset == 1_500_000  # the offset the server stored before it died
            r = c.patch(f"/api/v1/uploads/{uid}", content=data[offset:], headers={"Upload-Offset": str(offset)})
            assert (r.status_code, r.headers["upload-offset"]) == (204, str(len(data)))
            r = c.put(f"/api/v1/uploads/{uid}", params={"digest": digest})
            assert r.status_code == 201, r.text
            assert hashlib.sha256(c.get(f"/api/v1/blobs/{digest}").content).hexdigest() == digest.split(":")[1]
        # a client that vanishes mid-chunk is normal on a county link, not a server error: one warning
        # line for the operator, without a traceback or anything from the request's headers
        log = server.log()
        assert "Traceback" not in log and "internal error" not in log and " ERROR" not in log
        warnings = [line for line in log.splitlines() if "WARNING" in line]
        assert len(warnings) == 1 and uid in warnings[0] and "offset 1500000 of 3000000" in warnings[0], warnings
        assert server.tokens["unit"] not in log and "bearer" not in log.lower() and "authorization" not in log.lower()
    finally:
        server.stop()


@pytest.mark.integration
def test_a_peer_gone_silent_mid_chunk_frees_the_session_after_the_body_timeout(tmp_path):
    """Regression: a PATCH whose peer vanished without FIN or RST (a pulled cable, a dead NAT entry)
    held the session's busy flag for ever: every later PATCH got 409 upload_busy until a restart."""
    server = start_server(tmp_path / "data", args=("--body-timeout", "1"))
    try:
        data = os.urandom(2_000_000)
        with server.client("unit") as c:
            uid = _create(c, data).json()["upload_id"]
        silent = _raw_patch(server.url, server.tokens["unit"], uid, 0, len(data))
        silent.sendall(data[:700_000])  # then nothing: the socket stays open and quiet
        time.sleep(0.3)
        with server.client("unit") as c:
            r = c.patch(f"/api/v1/uploads/{uid}", content=b"x", headers={"Upload-Offset": "0"})
            assert (r.status_code, r.json()["error"]["code"]) == (409, "upload_busy")
            silent.settimeout(10)
            answer = _read_response(silent)  # the server gave up on the silent chunk and kept its bytes
            assert _status_of(answer) == 408 and b'"request_timeout"' in answer, answer[:300]
            assert b"upload-offset: 700000" in answer.lower()
            assert c.head(f"/api/v1/uploads/{uid}").headers["upload-offset"] == "700000"
            r = c.patch(f"/api/v1/uploads/{uid}", content=data[700_000:], headers={"Upload-Offset": "700000"})
            assert (r.status_code, r.headers["upload-offset"]) == (204, str(len(data)))
            assert c.put(f"/api/v1/uploads/{uid}", params={"digest": digest_of(data)}).status_code == 201
    finally:
        silent.close()
        server.stop()
    log = server.log()
    assert "Traceback" not in log and " ERROR" not in log
    assert [line for line in log.splitlines() if "WARNING" in line and uid in line and "offset 700000 of 2000000" in line]
