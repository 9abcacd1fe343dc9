"""Resumable blob upload (protocol §3): create or reuse a session, PATCH chunks from the server's offset, PUT.

The file is streamed from disk in 1 MiB pieces, never read whole.  After any failure the client asks
the server for its offset (HEAD) and continues from there, so a broken connection costs at most the
bytes in flight; the session id is handed to `on_session` so the outbox can store it and a killed
process continues the same session on the next run.
"""

from __future__ import annotations

from typing import IO, Any, Callable, Iterator, Protocol

import httpx
import stamina

from hnsubmit.client.transport import (
    API,
    RETRYABLE_TRANSPORT,
    BadAnswer,
    Retryable,
    ServerRefused,
    backoff_for,
    check_answer,
    network_error,
    send,
    to_retryable,
)
from hnsubmit.i18n import N_


class ExchangeClient(Protocol):
    """What an upload needs of `hnsubmit.client.api.ExchangeClient` (which calls this module)."""

    endpoint: str
    retry: Any
    bounds: Any
    http: httpx.Client

    def json(self, method: str, url: str, **kwargs: Any) -> Any: ...

    def call(self, method: str, url: str, **kwargs: Any) -> httpx.Response: ...

    def missing(self, digests: list[str]) -> list[str]: ...

PIECE = 1 << 20  # bytes handed to the socket at a time: memory stays flat whatever the file size
# bytes per PATCH: the server fsyncs at the end of each request, so small chunks serialise network
# and disk (64 MiB: ~0.7x the single-request speed in benchmarks/push.py); a broken chunk costs
# nothing extra, because the server keeps the bytes that arrived (protocol §3)
DEFAULT_CHUNK = 256 << 20

Opener = Callable[[int], IO[bytes]]  # opener(offset) -> a binary stream positioned at offset


class _Source:
    """Sequential reads from the opener, reopened only when the server's offset is not where we are."""

    def __init__(self, opener: Opener) -> None:
        self.opener = opener
        self.stream: IO[bytes] | None = None
        self.position = -1

    def pieces(self, offset: int, length: int, sent: list[int], progress: Callable[[int], None] | None) -> Iterator[bytes]:
        if self.stream is None or self.position != offset:
            self.close()
            self.stream = self.opener(offset)
            self.position = offset
        left = length
        while left > 0:
            data = self.stream.read(min(PIECE, left))
            if not data:
                raise OSError(f"the file ended {left} bytes early")
            self.position += len(data)
            left -= len(data)
            sent[0] += len(data)
            yield data
            if progress is not None:
                progress(self.position)

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None


def _retrying(client: "ExchangeClient"):
    r = client.retry
    return stamina.retry_context(
        on=backoff_for(r), attempts=r.attempts, timeout=r.timeout,
        wait_initial=r.wait_initial, wait_max=r.wait_max, wait_jitter=r.wait_jitter,
    )


def _send(client: "ExchangeClient", method: str, url: str, **kwargs: Any) -> httpx.Response:
    try:
        response = send(client.http, method, url, client.bounds, client.endpoint, **kwargs)
    except RETRYABLE_TRANSPORT as exc:
        raise to_retryable(exc) from None
    return response


def _offset(client: "ExchangeClient", value: Any) -> int:
    """An offset the server gave (header or JSON) as a non-negative int, else a BadAnswer."""
    text = str(value).strip() if value is not None else ""
    if not text.isdigit():
        raise BadAnswer(client.endpoint, N_("its upload offset is missing or not a number"), text[:40] or "-")
    return int(text)


def _open_session(client: "ExchangeClient", digest: str, size: int) -> dict[str, Any]:
    session = client.json("POST", f"{API}/uploads", json={"digest": digest, "size": size})
    if not isinstance(session, dict):
        raise BadAnswer(client.endpoint, N_("it is JSON but not an object"), "POST /uploads")
    if not session.get("complete"):
        upload_id = session.get("upload_id")
        if not isinstance(upload_id, str) or not upload_id.replace("_", "").replace("-", "").isalnum():
            raise BadAnswer(client.endpoint, N_("one of its fields is missing or of the wrong type"), "upload_id")
        session["offset"] = _offset(client, session.get("offset"))
    return session


def _server_offset(client: "ExchangeClient", upload_id: str) -> int | None:
    """The session's offset, or None when the session is gone (finished, discarded or expired)."""
    response = client.call("HEAD", f"{API}/uploads/{upload_id}", ok=(404,))
    if response.status_code == 404:
        return None
    return _offset(client, response.headers.get("upload-offset"))


def upload_blob(
    client: "ExchangeClient",
    digest: str,
    size: int,
    opener: Opener,
    *,
    upload_id: str | None = None,
    on_session: Callable[[str | None], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> int:
    """Make the server hold `digest`; returns the bytes this call sent (0 when it already had them)."""
    sent = [0]
    offset: int | None = _server_offset(client, upload_id) if upload_id else None
    if offset is None:
        session = _open_session(client, digest, size)
        if session.get("complete"):
            if on_progress:
                on_progress(size)
            if on_session:
                on_session(None)
            return 0
        upload_id = str(session["upload_id"])
        offset = int(session["offset"])
    if on_session:
        on_session(upload_id)
    if on_progress:
        on_progress(offset)
    url = f"{API}/uploads/{upload_id}"
    source = _Source(opener)
    try:
        for _round in range(3):  # the server said "incomplete" at PUT: append the rest, then finish again
            while offset < size:
                offset = _append_chunk(client, url, source, offset, size, chunk_size, sent, on_progress)
            incomplete_at = _finish(client, url, digest)
            if incomplete_at is None:
                break
            offset = incomplete_at
        else:
            raise Retryable("upload_incomplete")
    except Retryable as exc:
        raise network_error(client.endpoint, exc) from None
    finally:
        source.close()
    if on_session:
        on_session(None)
    return sent[0]


def _append_chunk(client, url, source: _Source, offset: int, size: int, chunk_size: int, sent, on_progress) -> int:
    """One PATCH (retried): returns the server's new offset."""
    known = True
    for attempt in _retrying(client):
        with attempt:
            if not known:  # after a failure the server may hold more (or fewer) bytes than we think
                answer = _send(client, "HEAD", url)
                check_answer(answer, client.endpoint)
                offset = _offset(client, answer.headers.get("upload-offset"))
                known = True
                if offset >= size:
                    return offset
            length = min(chunk_size, size - offset)
            try:
                response = _send(
                    client, "PATCH", url,
                    content=source.pieces(offset, length, sent, on_progress),
                    headers={
                        "Upload-Offset": str(offset),
                        "Content-Type": "application/offset+octet-stream",
                        "Content-Length": str(length),
                    },
                )
            except Retryable:
                known = False
                raise
            if response.status_code == 409 and "upload-offset" in response.headers:
                return _offset(client, response.headers["upload-offset"])  # offset_mismatch: continue where the server is
            try:
                check_answer(response, client.endpoint)
            except Retryable:
                known = False
                raise
            return _offset(client, response.headers.get("upload-offset"))
    raise AssertionError("unreachable")  # pragma: no cover


def _finish(client, url: str, digest: str) -> int | None:
    """PUT ?digest=: None when the blob is stored, else the offset to continue appending from.

    A retried PUT whose first try did land finds the session gone and the blob present: that is done too.
    """
    for attempt in _retrying(client):
        with attempt:
            response = _send(client, "PUT", url, params={"digest": digest})
            if response.status_code == 404 and attempt.num > 1 and not client.missing([digest]):
                return None
            try:
                check_answer(response, client.endpoint)
            except ServerRefused as exc:
                if exc.code == "upload_incomplete":
                    return _offset(client, exc.details.get("offset", 0))
                raise
            return None
    raise AssertionError("unreachable")  # pragma: no cover


