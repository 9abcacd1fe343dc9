"""Blobs and resumable upload sessions (protocol §3): bytes are streamed to disk, limits enforced as they arrive."""

from __future__ import annotations

import asyncio
import math
import re
import secrets
from datetime import datetime
from typing import AsyncIterator

import anyio.to_thread
from starlette.requests import ClientDisconnect

from hnsubmit.exchange import integrity
from hnsubmit.exchange.auth import Principal
from hnsubmit.exchange.context import SESSION_LIFETIME, Exchange
from hnsubmit.exchange.problems import ExchangeError, not_found
from hnsubmit.exchange.store.storage import Upload

MAX_OPEN_SESSIONS = 32
# seconds a PATCH body may go without a byte: a peer that vanished without FIN or RST (a pulled cable,
# a dead NAT entry) would otherwise hold the session's busy flag, and so the upload, until a restart;
# short enough that a client retrying on 409 upload_busy outlasts it (its six tries back off ~15 s)
BODY_IDLE_TIMEOUT = 20.0
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
_OFFSET = re.compile(r"^[0-9]{1,16}$")


def check_digest(digest: str) -> str:
    if not _DIGEST.match(digest):
        raise ExchangeError(422, "invalid_digest", "摘要须为 sha256: 加 64 位小写十六进制。",
                            "A digest is sha256: followed by 64 lowercase hex digits.", details={"digest": digest[:100]})
    return digest


def too_large(limit: int) -> ExchangeError:
    return ExchangeError(413, "too_large", f"超过大小上限({limit} 字节)。", f"Larger than the limit ({limit} bytes).",
                         details={"limit": limit})


def session_out(upload: Upload) -> dict:
    return {"upload_id": upload.upload_id, "digest": upload.digest, "size": upload.size, "offset": upload.offset,
            "complete": upload.finished, "expires_at": upload.updated_at + SESSION_LIFETIME}


def missing(ex: Exchange, who: Principal, digests: list[str]) -> list[str]:
    """Digests the unit does not hold, or whose file is gone or has another size than verified."""
    unique = list(dict.fromkeys(digests))
    held = integrity.intact_sizes(ex, who.unit.code, unique)
    return [d for d in unique if d not in held]


def create(ex: Exchange, who: Principal, digest: str, size: int, now: datetime) -> tuple[int, dict]:
    unit = who.unit.code
    limit = ex.max_blob_bytes()
    if size > limit:
        raise too_large(limit)
    held = ex.storage.blob_size_for(unit, digest)
    if held is not None and integrity.intact(ex, digest, held):
        return 200, {"upload_id": None, "digest": digest, "size": size, "offset": size, "complete": True, "expires_at": None}
    existing = ex.storage.open_upload_for(unit, digest)
    if existing is not None:
        if existing.size == size:
            return 200, session_out(existing)
        drop(ex, existing)  # the same digest with another size cannot both be right; start over
    if ex.storage.count_uploads(unit) >= MAX_OPEN_SESSIONS:
        raise ExchangeError(429, "too_many_uploads", f"未完成的上传过多(上限 {MAX_OPEN_SESSIONS} 个)。",
                            f"Too many open upload sessions (limit {MAX_OPEN_SESSIONS}).",
                            details={"limit": MAX_OPEN_SESSIONS})
    upload = Upload("u_" + secrets.token_hex(16), unit, digest, size, 0, now, now)
    ex.blobs.start(upload.upload_id)
    ex.storage.add_upload(upload)
    return 201, session_out(upload)


def own_session(ex: Exchange, who: Principal, upload_id: str, now: datetime) -> Upload:
    upload = ex.storage.get_upload(upload_id) if upload_id.startswith("u_") else None
    if upload is None or upload.unit != who.unit.code:
        raise not_found("上传会话", "upload session")
    if now - upload.updated_at > SESSION_LIFETIME:
        drop(ex, upload)
        raise not_found("上传会话", "upload session")
    return upload


def drop(ex: Exchange, upload: Upload) -> None:
    if upload.finished:  # nothing staged any more; the record answers late requests until it expires
        return
    ex.blobs.discard(upload.upload_id)
    ex.storage.delete_upload(upload.upload_id)


def _offset_mismatch(offset: int) -> ExchangeError:
    return ExchangeError(409, "offset_mismatch", f"偏移量不符,请从 {offset} 继续。", f"Wrong offset; continue from {offset}.",
                         details={"offset": offset}, headers={"Upload-Offset": str(offset)})


def parse_offset(header: str | None) -> int:
    if header is None or not _OFFSET.match(header.strip()):
        raise ExchangeError(400, "bad_request", "缺少 Upload-Offset 请求头,或其值不是非负整数。",
                            "Upload-Offset is missing or not a non-negative integer.")
    return int(header)


class BodyStalled(Exception):
    """No byte of the chunk arrived for the idle timeout; what did arrive is kept."""


class Busy:
    """One append or finish at a time per session; a second one is told to retry (single event loop)."""

    def __init__(self) -> None:
        self._ids: set[str] = set()

    def __call__(self, upload_id: str) -> "_Held":
        if upload_id in self._ids:
            raise ExchangeError(409, "upload_busy", "该上传会话正在写入,请稍后重试。",
                                "Another request is writing to this upload session; retry shortly.")
        return _Held(self._ids, upload_id)


class _Held:
    def __init__(self, ids: set[str], upload_id: str) -> None:
        self.ids, self.upload_id = ids, upload_id
        ids.add(upload_id)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc) -> None:
        self.ids.discard(self.upload_id)


WRITE_BATCH = 1 << 20  # chunks gathered on the event loop, then written by a worker thread in one go


def _write_all(appender, chunks: list[bytes]) -> None:
    many = getattr(appender, "write_many", None)
    if many is not None:
        many(chunks)
        return
    for chunk in chunks:
        appender.write(chunk)


class _Writer:
    """At most one batch being written by a worker thread while the event loop receives the next one:
    receiving and writing overlap instead of taking turns (the transport stops reading while a handler
    does not ask for the body)."""

    def __init__(self, appender) -> None:
        self.appender = appender
        self._inflight: "asyncio.Future | None" = None

    async def submit(self, batch: list[bytes]) -> None:
        await self.drain()
        self._inflight = asyncio.get_running_loop().run_in_executor(None, _write_all, self.appender, batch)

    async def drain(self) -> None:
        """Wait for the batch in flight; its error (a full disk) is raised here."""
        if self._inflight is not None:
            inflight, self._inflight = self._inflight, None
            await inflight

    async def settle(self) -> None:
        """Wait for the batch in flight, whatever happened (before a rollback touches the file)."""
        if self._inflight is not None:
            inflight, self._inflight = self._inflight, None
            with anyio.CancelScope(shield=True):
                await asyncio.wait([inflight])


async def append(
    ex: Exchange, who: Principal, upload: Upload, offset: int, content_length: int | None,
    stream: AsyncIterator[bytes], now: datetime, idle: float = BODY_IDLE_TIMEOUT,
) -> int:
    """Stream one chunk to the session's staged file; answers 413 the moment it would overflow.

    A broken connection (ClientDisconnect) or a body that stops arriving for `idle` seconds
    (BodyStalled) keeps what arrived: the client asks the offset and continues (protocol §3).
    The event loop only receives: opening, writing, fsync and the database run in worker threads."""
    if upload.finished or offset != upload.offset:
        # a finished session (another liaison of the unit may have finished it) says "all is here"
        raise _offset_mismatch(upload.offset)
    room = upload.size - offset
    if content_length is not None and content_length > room:
        raise too_large(upload.size)  # refused before a byte is read
    try:
        appender = await anyio.to_thread.run_sync(ex.blobs.appender, upload.upload_id, offset)
    except (ValueError, FileNotFoundError):
        # the staged file lost bytes the database counted (disk trouble): the shorter length wins
        actual = min(await anyio.to_thread.run_sync(ex.blobs.staged_length, upload.upload_id), upload.size)
        await anyio.to_thread.run_sync(ex.storage.set_upload_offset, upload.upload_id, actual, now)
        raise _offset_mismatch(actual) from None
    written = 0
    pending: list[bytes] = []
    pending_bytes = 0
    writer = _Writer(appender)
    try:
        try:
            # one idle deadline for the whole body, moved forward at most once a second (a cancel scope per
            # piece cost ~8 % of the event loop's samples on a 1 GiB upload); it fires `idle` to `idle + 1`
            # seconds after the last byte, and is held while a batch waits for the disk
            clock = asyncio.get_running_loop().time
            with anyio.CancelScope(deadline=clock() + idle + 1) as watch:
                async for chunk in stream:
                    if watch.deadline - clock() < idle:
                        watch.deadline = clock() + idle + 1
                    if written + len(chunk) > room:
                        raise too_large(upload.size)
                    pending.append(chunk)
                    pending_bytes += len(chunk)
                    written += len(chunk)
                    if pending_bytes >= WRITE_BATCH:
                        batch, pending, pending_bytes = pending, [], 0
                        watch.deadline = math.inf
                        await writer.submit(batch)
                        watch.deadline = clock() + idle + 1
            if watch.cancelled_caught:
                raise BodyStalled()
        except (ClientDisconnect, BodyStalled):
            # a broken connection keeps what arrived: the client asks the offset and continues (protocol §3)
            await writer.drain()
            await anyio.to_thread.run_sync(_write_all, appender, pending)
            new = await anyio.to_thread.run_sync(appender.commit)
            await anyio.to_thread.run_sync(ex.storage.set_upload_offset, upload.upload_id, new, now)
            raise
        await writer.drain()
        await anyio.to_thread.run_sync(_write_all, appender, pending)
    except (ClientDisconnect, BodyStalled):
        raise
    except BaseException:
        # an over-long chunk, a full disk, a cancelled task: the offset stays where it was (shielded, so a
        # cancelled request still truncates before it goes, and only after the batch in flight is written)
        await writer.settle()
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(appender.abort)
        raise
    new = await anyio.to_thread.run_sync(appender.commit)
    await anyio.to_thread.run_sync(ex.storage.set_upload_offset, upload.upload_id, new, now)
    return new


async def finish(ex: Exchange, who: Principal, upload: Upload, digest: str, now: datetime) -> dict:
    """Verify the staged bytes against `digest` and make the blob visible; all of it in a worker thread."""
    check_digest(digest)
    return await anyio.to_thread.run_sync(_finish, ex, upload, digest, now)


def _finish(ex: Exchange, upload: Upload, digest: str, now: datetime) -> dict:
    if upload.finished and digest == upload.digest:
        # finished by an earlier request (a retry, or another liaison of the unit sharing the session):
        # the same answer, as long as the blob is still sound
        if not integrity.intact(ex, digest, upload.size):
            raise not_found("上传会话", "upload session")
        return {"digest": digest, "size": upload.size}
    if digest != upload.digest:
        drop(ex, upload)
        raise _mismatch(upload.digest, digest)
    if upload.offset < upload.size:
        raise ExchangeError(409, "upload_incomplete", f"上传尚未完成:已收到 {upload.offset}/{upload.size} 字节。",
                            f"The upload is not complete: {upload.offset} of {upload.size} bytes.",
                            details={"offset": upload.offset, "size": upload.size})
    try:
        actual, size = ex.blobs.finish(upload.upload_id, digest)
    except FileNotFoundError:
        # a crash after the rename but before the session row went: the blob is in place already
        if ex.blobs.size(digest) != upload.size:
            drop(ex, upload)
            raise not_found("上传会话", "upload session") from None
        actual, size = digest, upload.size
    if actual != digest:
        drop(ex, upload)
        raise _mismatch(digest, actual)
    ex.storage.add_blob_ref(upload.unit, digest, size, now)
    ex.storage.finish_upload(upload.upload_id, now, now - SESSION_LIFETIME)
    return {"digest": digest, "size": size}


def _mismatch(expected: str, actual: str) -> ExchangeError:
    return ExchangeError(422, "digest_mismatch", "收到的内容与声明的摘要不符,已丢弃,请重新上传。",
                         "The bytes do not match the declared digest; they were discarded, upload again.",
                         details={"expected": expected, "actual": actual})
