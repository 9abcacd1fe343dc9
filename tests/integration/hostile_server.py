"""A small real HTTP/1.1 server on 127.0.0.1 that lies, on purpose, to the exchange client.

Not an HTTP mock: the client talks TCP to it exactly as to the exchange.  Requests that no rule
answers are forwarded to an upstream (the real exchange server of `push_live`), so a whole `push`
runs for real up to the one answer a test forges.  A rule gets the request and may answer by itself
(a forged receipt, a redirect, an HTML page, a 10 GB stream, a one-byte-a-second drip) or forward it
and change what comes back (a read-back that disagrees).  Every request is recorded, with its
Authorization header, so a test can say where the token went.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterable


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    server: "HostileServer"

    def forward(self) -> "Answer":
        """Send this request to the upstream and return its answer (to be changed or passed on)."""
        return self.server.forward(self)


@dataclass
class Answer:
    status: int
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    pace: float = 0.0  # seconds to sleep between the pieces of an iterable body
    raw: bool = False  # the body is the whole answer, status line and headers included (to drip those too)

    @staticmethod
    def json(status: int, data: Any, **headers: str) -> "Answer":
        return Answer(status, json.dumps(data, ensure_ascii=False).encode(), {"Content-Type": "application/json", **headers})

    def data(self) -> Any:
        return json.loads(bytes(self.body)) if isinstance(self.body, (bytes, bytearray)) else None


Rule = Callable[[Request], "Answer | None"]  # None: forward unchanged


class HostileServer:
    """`rule(method, path_regex, handler)` adds a rule; the first rule whose method and path match answers."""

    def __init__(self, upstream: str | None = None) -> None:
        self.upstream = upstream
        self.rules: list[tuple[str, re.Pattern[str], Rule]] = []
        self.requests: list[Request] = []
        self.bytes_sent = 0  # body bytes written by rule answers
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                req = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body, owner)
                with owner._lock:
                    owner.requests.append(req)
                answer = owner.answer(req)
                self._write(answer)

            def _write(self, answer: Answer) -> None:
                try:
                    if answer.raw:
                        self.close_connection = True
                        for piece in answer.body:
                            self.wfile.write(piece)
                            self.wfile.flush()
                            with owner._lock:
                                owner.bytes_sent += len(piece)
                            time.sleep(answer.pace)
                        return
                    self.send_response(answer.status)
                    headers = {k.lower(): v for k, v in answer.headers.items()}
                    for k, v in answer.headers.items():
                        self.send_header(k, v)
                    if isinstance(answer.body, (bytes, bytearray)):
                        if "content-length" not in headers:
                            self.send_header("Content-Length", str(len(answer.body)))
                        self.end_headers()
                        if self.command != "HEAD":
                            self.wfile.write(answer.body)
                        return
                    if "content-length" not in headers:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    self.wfile.flush()
                    for piece in answer.body:
                        self.wfile.write(piece)
                        self.wfile.flush()
                        with owner._lock:
                            owner.bytes_sent += len(piece)
                        if answer.pace:
                            time.sleep(answer.pace)
                    self.close_connection = True
                except (BrokenPipeError, ConnectionResetError, socket.timeout, OSError):
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_PATCH = do_HEAD = do_DELETE = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def rule(self, method: str, path: str, handler: Rule) -> "HostileServer":
        self.rules.append((method, re.compile(path), handler))
        return self

    def answer(self, req: Request) -> Answer:
        path = req.path.split("?", 1)[0]
        for method, pattern, handler in self.rules:
            if method in (req.method, "*") and pattern.fullmatch(path):
                answer = handler(req)
                if answer is not None:
                    return answer
                break
        if self.upstream is None:
            return Answer.json(404, {"error": {"code": "not_found", "message": "nothing here", "details": {}}})
        return self.forward(req)

    def forward(self, req: Request) -> Answer:
        host, port = self.upstream.split("//", 1)[1].rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            headers = {k: v for k, v in req.headers.items() if k not in ("host", "connection", "accept-encoding")}
            conn.request(req.method, req.path, body=req.body or None, headers=headers)
            response = conn.getresponse()
            body = response.read()
            keep = {k: v for k, v in response.getheaders()
                    if k.lower() not in ("content-length", "connection", "transfer-encoding", "date", "server")}
            return Answer(response.status, body, keep)
        finally:
            conn.close()

    def seen(self, method: str, path_regex: str) -> list[Request]:
        pattern = re.compile(path_regex)
        return [r for r in self.requests if r.method == method and pattern.fullmatch(r.path.split("?", 1)[0])]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "HostileServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def zeros(total: int, piece: int = 1 << 20) -> Iterable[bytes]:
    """`total` zero bytes in pieces (a stream the server never holds whole)."""
    block = bytes(piece)
    left = total
    while left > 0:
        n = min(piece, left)
        yield block if n == piece else bytes(n)
        left -= n
