"""The body's idle deadline (issue 19): one cancel scope per PATCH body instead of one per received piece.
A body that stops arriving for the idle time keeps what arrived (committed, offset recorded); a body that
keeps trickling for longer than the idle time in total, never pausing that long, is not cut; a batch
waiting for a slow disk does not count as silence."""

from __future__ import annotations

import hashlib

import anyio
import pytest

from hnsubmit.exchange import uploads
from hnsubmit.exchange.app import create_app
from hnsubmit.exchange.auth import authenticate, issue_token
from hnsubmit.exchange.context import utcnow

UNIT = "632521"
PIECE = b"x" * 4096


def _session(tmp_path, size: int):
    app = create_app(tmp_path / "data")
    ex = app.state.exchange
    secret = issue_token(ex.storage, "unit", UNIT, "信息员", utcnow())[0]
    who = authenticate(ex.storage, f"Bearer {secret}", utcnow())
    digest = "sha256:" + hashlib.sha256(b"\0" * size).hexdigest()  # any digest: finish is not called
    _status, body = uploads.create(ex, who, digest, size, utcnow())
    return ex, who, body["upload_id"]


def _append(ex, who, upload_id: str, stream, idle: float) -> int:
    async def go() -> int:
        upload = ex.storage.get_upload(upload_id)
        return await uploads.append(ex, who, upload, 0, None, stream(), utcnow(), idle=idle)

    return anyio.run(go)


def test_a_body_that_stops_keeps_what_arrived(tmp_path):
    ex, who, upload_id = _session(tmp_path, 1 << 20)

    async def stops():
        for _ in range(3):
            yield PIECE
        await anyio.sleep(30)  # silence: cut after the idle time (0.3 to 1.3 s), not after 30 s
        yield PIECE

    try:
        with pytest.raises(uploads.BodyStalled):
            _append(ex, who, upload_id, stops, idle=0.3)
        assert ex.storage.get_upload(upload_id).offset == 3 * len(PIECE)
        assert ex.blobs.staged_length(upload_id) == 3 * len(PIECE)
    finally:
        ex.close()


def test_a_steady_trickle_longer_than_the_idle_time_is_not_cut(tmp_path):
    ex, who, upload_id = _session(tmp_path, 1 << 20)

    async def trickles():
        for _ in range(12):  # 12 × 0.15 s = 1.8 s in all, never more than 0.15 s apart
            yield PIECE
            await anyio.sleep(0.15)

    try:
        assert _append(ex, who, upload_id, trickles, idle=0.6) == 12 * len(PIECE)
        assert ex.storage.get_upload(upload_id).offset == 12 * len(PIECE)
    finally:
        ex.close()


def test_a_slow_disk_is_not_silence(tmp_path, monkeypatch):
    ex, who, upload_id = _session(tmp_path, 4 << 20)
    real = uploads._write_all

    def slow_write(appender, chunks):
        import time

        time.sleep(2.0)  # longer than the idle time (and its second of slack): the deadline is held while a batch is written
        real(appender, chunks)

    monkeypatch.setattr(uploads, "_write_all", slow_write)

    async def batches():
        for _ in range(3):
            yield b"y" * uploads.WRITE_BATCH

    try:
        assert _append(ex, who, upload_id, batches, idle=0.3) == 3 * uploads.WRITE_BATCH
    finally:
        ex.close()
