"""An overall deadline for a server's answer, enforced at the socket.

httpx's read timeout is the silence allowed between two reads, so a server that drips one byte a
second never trips it.  `DeadlineBackend` wraps httpcore's network streams: every write (our request
going out) restarts the answer's clock, and every read is given at most the time left until the
deadline, then fails as a read timeout.  The deadline is per thread (`answer_deadline`), so the
worker threads of a push each have their own.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

import httpcore

_LOCAL = threading.local()


class DeadlineExceeded(httpcore.ReadTimeout):
    """The answer was not complete within the deadline (httpx raises it as the cause of its ReadTimeout)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the answer did not arrive within {seconds:g} s")
        self.seconds = seconds


@contextmanager
def answer_deadline(seconds: float | None) -> Iterator[None]:
    """Within this block, an answer must be complete `seconds` after the last byte of the request went out."""
    previous = getattr(_LOCAL, "budget", None), getattr(_LOCAL, "until", None)
    _LOCAL.budget = seconds
    _LOCAL.until = time.monotonic() + seconds if seconds else None
    try:
        yield
    finally:
        _LOCAL.budget, _LOCAL.until = previous


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        until = getattr(_LOCAL, "until", None)
        if until is None:
            return self.inner.read(max_bytes, timeout)
        left = until - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded(_LOCAL.budget)
        try:
            return self.inner.read(max_bytes, left if timeout is None else min(timeout, left))
        except httpcore.ReadTimeout:
            if time.monotonic() >= until - 0.01:
                raise DeadlineExceeded(_LOCAL.budget) from None
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, timeout)
        budget = getattr(_LOCAL, "budget", None)
        if budget:
            _LOCAL.until = time.monotonic() + budget

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        return _Stream(self.inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's synchronous backend with deadline-aware streams."""

    def __init__(self) -> None:
        self.inner = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None) -> httpcore.NetworkStream:
        return _Stream(self.inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(self, path, timeout=None, socket_options=None) -> httpcore.NetworkStream:  # pragma: no cover
        return _Stream(self.inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:  # pragma: no cover - httpcore's own retries are off
        self.inner.sleep(seconds)


def install(transport: Any) -> bool:
    """Put the deadline backend under an httpx.HTTPTransport's connection pool; False if its layout is unknown."""
    pool = getattr(transport, "_pool", None)
    if pool is None or not hasattr(pool, "_network_backend"):
        return False
    pool._network_backend = DeadlineBackend()
    return True
