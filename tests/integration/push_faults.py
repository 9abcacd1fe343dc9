"""A real TCP proxy between the client and the real server that breaks the network on purpose.

Not an HTTP mock: every byte goes to the real exchange server; the proxy only does what a flaky
政务外网 link or a load balancer does — cuts a connection in the middle of an upload, loses a response
after the server handled the request, or answers 503 with Retry-After while the back end restarts.
It frames HTTP/1.1 requests (Content-Length bodies, which is all the client sends) to know which
request a fault applies to, and counts requests per method and path.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass


@dataclass
class Fault:
    method: str
    path_prefix: str
    action: str  # "drop_response" | "respond_503" | "respond_429" | "cut_after"
    times: int = 1
    after_bytes: int = 0  # cut_after: body bytes forwarded before the cut
    retry_after: str = "0"


class FaultProxy:
    def __init__(self, upstream: tuple[str, int], port: int = 0, throttle: float | None = None) -> None:
        self.upstream = upstream
        self.throttle = throttle  # bytes per second for upload bodies (a slow county link), None: full speed
        self.listener = socket.create_server(("127.0.0.1", port))
        self.port = self.listener.getsockname()[1]
        self.faults: list[Fault] = []
        self.requests: Counter = Counter()
        self.upload_bytes = 0  # PATCH body bytes that reached the server
        self.lock = threading.Lock()
        self.closed = False
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def close(self) -> None:
        self.closed = True
        self.listener.close()
        for c in list(self.conns):
            _close(c)

    def _take(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.times > 0 and f.method == method and path.startswith(f.path_prefix):
                    f.times -= 1
                    return f
        return None

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                _close(client)
                continue
            self.conns += [client, server]
            state = {"drop": False}
            threading.Thread(target=self._up, args=(client, server, state), daemon=True).start()
            threading.Thread(target=self._down, args=(client, server, state), daemon=True).start()

    def _down(self, client: socket.socket, server: socket.socket, state: dict) -> None:
        while True:
            try:
                data = server.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            if state["drop"]:  # the server answered; the client never hears it
                break
            try:
                client.sendall(data)
            except OSError:
                break
        _close(client)
        _close(server)

    def _up(self, client: socket.socket, server: socket.socket, state: dict) -> None:
        buf = b""
        try:
            while True:
                while b"\r\n\r\n" not in buf:
                    data = client.recv(65536)
                    if not data:
                        return
                    buf += data
                head, _, buf = buf.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path = lines[0].split(" ")[:2]
                headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
                length = int(headers.get("content-length", "0"))
                with self.lock:
                    self.requests[(method, path.split("?")[0])] += 1
                fault = self._take(method, path)
                if fault and fault.action in ("respond_503", "respond_429"):
                    _drain(client, buf, length)
                    status = "503 Service Unavailable" if fault.action == "respond_503" else "429 Too Many Requests"
                    body = b'{"error":{"code":"unavailable","message":{"zh":"","en":""}}}'
                    client.sendall(
                        f"HTTP/1.1 {status}\r\nRetry-After: {fault.retry_after}\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body
                    )
                    return
                server.sendall(head + b"\r\n\r\n")
                left = length
                limit = fault.after_bytes if fault and fault.action == "cut_after" else None
                while left > 0:
                    if not buf:
                        buf = client.recv(min(64 << 10 if self.throttle else 1 << 20, left))
                        if not buf:
                            return
                    piece, buf = buf[:left], buf[left:]
                    if limit is not None and length - left + len(piece) >= limit:
                        piece = piece[: limit - (length - left)]
                        server.sendall(piece)
                        self._count(method, len(piece))
                        return  # cut: the rest of the body never arrives
                    server.sendall(piece)
                    self._count(method, len(piece))
                    left -= len(piece)
                    if self.throttle:
                        time.sleep(len(piece) / self.throttle)
                if fault and fault.action == "drop_response":
                    state["drop"] = True
                    return  # _down reads the server's answer and closes without passing it on
        except OSError:
            return
        finally:
            if not state["drop"]:
                _close(client)
                _close(server)

    def _count(self, method: str, n: int) -> None:
        if method == "PATCH":
            with self.lock:
                self.upload_bytes += n


def _drain(sock: socket.socket, buf: bytes, length: int) -> None:
    left = length - len(buf)
    while left > 0:
        data = sock.recv(min(1 << 20, left))
        if not data:
            return
        left -= len(data)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
