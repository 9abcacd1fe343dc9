"""The exchange client against the real server on 127.0.0.1: uploads, resumes, retries, idempotency, policy cache."""

from __future__ import annotations

import hashlib
import os
import time

import pytest
from push_faults import Fault, FaultProxy
from push_live import live  # noqa: F401  (the fixture)

from hnsubmit.client.api import ExchangeClient, RetryPolicy, ServerCredentials, ServerRefused
from hnsubmit.client.credentials import Secret
from hnsubmit.errors import NetworkError
from hnsubmit.submission.manifest import canonical_json

pytestmark = pytest.mark.integration
FAST = RetryPolicy(attempts=4, timeout=30, wait_initial=0.05, wait_max=0.2, wait_jitter=0.05)
UNIT = "632521"


def _blob(tmp_path, size: int, name: str = "blob.bin"):
    path = tmp_path / name
    with open(path, "wb") as fh:
        left = size
        while left:
            n = min(left, 1 << 20)
            fh.write(os.urandom(n))
            left -= n
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return path, "sha256:" + h.hexdigest()


def _opener(path):
    def open_at(offset: int):
        fh = open(path, "rb")
        fh.seek(offset)
        return fh

    return open_at


def _manifest(digest: str, size: int, title: str = "共和县召开政务公开工作推进会", column: str = "county-news") -> dict:
    return {
        "manifest_version": 1, "title": title, "unit": UNIT, "column": column, "category": "meetings",
        "liaison": {"name": "李四", "phone": "0974-8512655"},
        "approval": {"approver": "王五", "approved_at": "2026-11-17T09:30:00+08:00"},
        "channels": ["portal"],
        "files": [{"path": "正文.docx", "role": "body", "digest": digest, "size": size}],
    }


def test_whoami_and_bad_token(live):
    token = live.unit_token()
    with live.client(token) as c:
        me = c.whoami()
    assert me["role"] == "unit" and me["unit"]["code"] == UNIT
    bad = "A" * 43
    with live.client(Secret(bad), retry=FAST) as c:
        with pytest.raises(ServerCredentials) as exc:
            c.whoami()
    assert exc.value.exit_code == 4 and exc.value.status == 401
    assert bad not in exc.value.render() + exc.value.render_hint()


def test_upload_in_chunks_then_nothing_to_send(live, tmp_path):
    path, digest = _blob(tmp_path, 5 * (1 << 20) + 123)
    size = path.stat().st_size
    positions = []
    sessions = []
    with live.client(live.unit_token()) as c:
        assert c.missing([digest, digest]) == [digest]
        sent = c.upload_blob(digest, size, _opener(path), chunk_size=1 << 20,
                             on_progress=positions.append, on_session=sessions.append)
        assert sent == size
        assert positions[0] == 0 and positions[-1] == size and positions == sorted(positions)
        assert sessions[0].startswith("u_") and sessions[-1] is None
        assert c.missing([digest]) == []
        assert c.upload_blob(digest, size, _opener(path)) == 0  # an existing blob is never uploaded twice


def test_a_cut_connection_resumes_from_the_server_offset(live, tmp_path):
    path, digest = _blob(tmp_path, 6 * (1 << 20))
    size = path.stat().st_size
    proxy = FaultProxy(("127.0.0.1", live.port))
    proxy.add(Fault("PATCH", "/api/v1/uploads/", "cut_after", times=2, after_bytes=1_500_000))
    try:
        with ExchangeClient(proxy.url, live.unit_token(), retry=FAST) as c:
            sent = c.upload_blob(digest, size, _opener(path), chunk_size=4 << 20)
            assert c.missing([digest]) == []
    finally:
        proxy.close()
    # every byte reached the server exactly once: after each cut the client asked for the offset
    assert proxy.upload_bytes == size
    assert proxy.requests[("HEAD", next(p for m, p in proxy.requests if m == "HEAD"))] == 2
    assert size <= sent < size + 2 * (4 << 20)


def test_a_lost_receipt_is_retried_into_the_same_submission(live, tmp_path):
    path, digest = _blob(tmp_path, 4096)
    token = live.unit_token()
    with live.client(token) as c:
        c.upload_blob(digest, 4096, _opener(path))
    body = canonical_json(_manifest(digest, 4096, title="重试不会重复报送"))
    proxy = FaultProxy(("127.0.0.1", live.port))
    proxy.add(Fault("POST", "/api/v1/submissions", "drop_response", times=2))
    try:
        with ExchangeClient(proxy.url, token, retry=FAST) as c:
            receipt, replayed = c.submit(body, "hnsubmit-pkg-" + "1" * 64)
    finally:
        proxy.close()
    assert proxy.requests[("POST", "/api/v1/submissions")] == 3
    assert replayed is True  # the server had stored the first one; the retry got its receipt
    assert receipt["manifest_digest"] == "sha256:" + hashlib.sha256(body).hexdigest()
    with live.client(token) as c:
        titles = [s["title"] for s in c.submissions(limit=1000)["items"]]
        again, replayed = c.submit(body, "hnsubmit-pkg-" + "1" * 64)
    assert titles.count("重试不会重复报送") == 1
    assert again["submission_id"] == receipt["submission_id"] and replayed


def test_503_and_429_are_retried_honouring_retry_after(live):
    proxy = FaultProxy(("127.0.0.1", live.port))
    proxy.add(Fault("GET", "/api/v1/whoami", "respond_503", times=1, retry_after="1"))
    proxy.add(Fault("GET", "/api/v1/whoami", "respond_429", times=1, retry_after="0"))
    try:
        with ExchangeClient(proxy.url, live.unit_token(), retry=FAST) as c:
            started = time.monotonic()
            me = c.whoami()
            elapsed = time.monotonic() - started
    finally:
        proxy.close()
    assert me["role"] == "unit"
    assert proxy.requests[("GET", "/api/v1/whoami")] == 3
    assert elapsed >= 1.0  # Retry-After: 1 replaced the 0.05 s backoff


def test_other_4xx_are_never_retried(live, tmp_path):
    path, digest = _blob(tmp_path, 1000)
    token = live.unit_token()
    with live.client(token) as c:
        c.upload_blob(digest, 1000, _opener(path))
    proxy = FaultProxy(("127.0.0.1", live.port))
    try:
        with ExchangeClient(proxy.url, token, retry=FAST) as c:
            with pytest.raises(ServerRefused) as exc:
                c.submit(canonical_json(_manifest(digest, 1000, column="no-such-column")), "k-4xx-" + "2" * 20)
    finally:
        proxy.close()
    assert exc.value.status == 422 and exc.value.code == "unknown_column" and exc.value.exit_code == 6
    assert proxy.requests[("POST", "/api/v1/submissions")] == 1


def test_an_unreachable_endpoint_is_a_network_error(live):
    import socket

    s = socket.create_server(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    started = time.monotonic()
    with ExchangeClient(f"http://127.0.0.1:{port}", live.admin, retry=FAST) as c:
        with pytest.raises(NetworkError) as exc:
            c.whoami()
    assert exc.value.exit_code == 5 and time.monotonic() - started < 10
    assert "outbox" in exc.value.render_hint()


def test_policy_is_cached_per_endpoint_and_revalidated(live):
    from hnsubmit.cli.context import resolve_policy
    from hnsubmit.client.policy_cache import cache_path, cached_policy, refresh_policy

    assert cached_policy(live.url) is None
    proxy = FaultProxy(("127.0.0.1", live.port))
    try:
        with ExchangeClient(proxy.url, None, retry=FAST) as c:
            first = refresh_policy(c)
            etag = c.policy()[1]
            assert c.policy(etag) == (None, etag)  # 304: our copy is current
    finally:
        proxy.close()
    with ExchangeClient(live.url, None) as c:
        refresh_policy(c)
    assert first.to_dict() == cached_policy(live.url).to_dict()
    assert cache_path(live.url).exists()
    resolved = resolve_policy(None, server=live.url)
    assert resolved.source.startswith("server " + live.url)
    assert resolve_policy(None).source == "built-in"
