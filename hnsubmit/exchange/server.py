"""Run the app on uvicorn from Python: bind first (port 0 picks a free port), then report the bound address."""

from __future__ import annotations

import logging
import socket
from copy import copy
from typing import Callable

import uvicorn
import uvicorn.logging

class PathOnlyAccessFormatter(uvicorn.logging.AccessFormatter):
    """uvicorn's access line without the query string: a secret someone put in a URL (?token=…) never
    reaches the log; the path, method and status are enough to follow a request."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        if isinstance(record.args, tuple) and len(record.args) == 5:
            client, method, path, version, status = record.args
            record = copy(record)
            record.args = (client, method, str(path).partition("?")[0], version, status)
        return super().formatMessage(record)


# Access lines carry the method, path and status only: never a header, so never a token, and never a
# query string (tokens are not allowed in URLs either: protocol §1).
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "default": {"()": "uvicorn.logging.DefaultFormatter", "fmt": "%(asctime)s %(levelprefix)s %(message)s", "use_colors": False},
        "access": {"()": "hnsubmit.exchange.server.PathOnlyAccessFormatter", "use_colors": False,
                   "fmt": '%(asctime)s %(levelprefix)s %(client_addr)s "%(request_line)s" %(status_code)s'},
    },
    "handlers": {
        "default": {"formatter": "default", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
        "access": {"formatter": "access", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "hnsubmit": {"handlers": ["default"], "level": "INFO", "propagate": False},
    },
}


HEADER_TIMEOUT = 10.0


def header_timeout_protocol(seconds: float, prefer: str = "httptools") -> type:
    """uvicorn's HTTP protocol with a deadline on the request head: a connection that opens, or sends part
    of a request line or headers, and does not finish them within `seconds` is closed (slowloris).
    uvicorn's own keep-alive timer stops at the first byte, so a trickle of header bytes held a
    connection (and a file descriptor) forever.

    httptools (the server extra) when installed: its C parser hands a body to the app as it arrives,
    where h11's pure-Python receive buffer re-slices every piece (a third of the server's samples and
    ~650,000 page faults per uploaded GiB, issue 19); h11 otherwise, with the same deadline."""
    if prefer == "httptools":
        try:
            return _httptools_header_timeout(seconds)
        except ImportError:
            pass
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderTimeoutProtocol(H11Protocol):
        _head_timer = None

        def _arm(self) -> None:
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(seconds, self._head_timeout)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_timeout(self) -> None:
            self._head_timer = None
            if self.conn.their_state is h11.IDLE and (self.cycle is None or self.cycle.response_complete):
                if not self.transport.is_closing():
                    self.transport.close()

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is h11.IDLE:
                self._arm()  # (part of) a request head, not finished yet: it has the deadline to finish
            else:
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._disarm()  # idle between requests: uvicorn's keep-alive timeout applies

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

    return HeaderTimeoutProtocol


# Body bytes the protocol holds for an upload chunk (PATCH /api/v1/uploads/…) before it stops reading the
# socket. uvicorn holds 64 KiB (flow_control.HIGH_WATER_LIMIT) for any body; a loopback read brings up to
# 256 KiB, so every read of a 1 GiB upload paused and resumed the transport (thousands of epoll changes
# and wake-ups per GiB, ~0.5 s of the event loop's CPU per GiB, issue 19). Other bodies keep 64 KiB.
UPLOAD_WINDOW = 4 << 20
UPLOAD_PATH = "/api/v1/uploads/"


class BodyPieces:
    """A request body's pieces as the parser handed them over, waiting for the app's next receive():
    uvicorn appends each piece to a bytearray and copies it out again (two copies of every byte); here a
    piece that is alone when the app asks is handed over as it is, and pieces that waited are joined once."""

    __slots__ = ("parts", "size")

    def __init__(self, first: bytes) -> None:
        self.parts = [first]
        self.size = len(first)

    def add(self, piece: bytes) -> None:
        self.parts.append(piece)
        self.size += len(piece)

    def __len__(self) -> int:
        return self.size

    def __bytes__(self) -> bytes:  # RequestResponseCycle.receive sends bytes(cycle.body)
        return self.parts[0] if len(self.parts) == 1 else b"".join(self.parts)


def _httptools_header_timeout(seconds: float) -> type:
    """The same deadline on uvicorn's httptools protocol: armed while a request head is awaited (a new
    connection, or the first bytes after a finished response), disarmed once the head is complete."""
    import httptools  # noqa: F401  (ImportError: the caller falls back to h11)
    from uvicorn.protocols.http.flow_control import HIGH_WATER_LIMIT
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

    class UploadCycle(RequestResponseCycle):
        """An upload chunk's cycle: bytes that arrived before the connection was lost still reach the app.
        uvicorn answers http.disconnect at once and drops what it holds, which with a 64 KiB window was
        little; with the upload window it can be 4 MiB the client would have to send again after the
        cut (a resumed upload restarts from the offset the server committed)."""

        async def receive(self):  # type: ignore[override]
            if self.disconnected and len(self.body):
                message = {"type": "http.request", "body": bytes(self.body), "more_body": True}
                self.body = bytearray()
                return message
            return await super().receive()

    class HeaderTimeoutHttpTools(HttpToolsProtocol):
        _head_timer = None
        _awaiting_head = True
        _window = HIGH_WATER_LIMIT

        def _arm(self) -> None:
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(seconds, self._head_timeout)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_timeout(self) -> None:
            self._head_timer = None
            if self._awaiting_head and (self.cycle is None or self.cycle.response_complete):
                if not self.transport.is_closing():
                    self.transport.close()

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._awaiting_head = True
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._awaiting_head:
                self._arm()  # (part of) a request head, not finished yet: it has the deadline to finish
            else:
                self._disarm()

        def on_headers_complete(self) -> None:
            self._awaiting_head = False
            super().on_headers_complete()
            scope = self.scope
            upload = scope.get("method") == "PATCH" and scope.get("path", "").startswith(UPLOAD_PATH)
            self._window = UPLOAD_WINDOW if upload else HIGH_WATER_LIMIT
            if upload and type(self.cycle) is RequestResponseCycle:
                # the cycle was made just now by uvicorn, its task not yet started: the app will be handed
                # UploadCycle.receive (uvicorn builds the cycle by name, so there is no other way in)
                self.cycle.__class__ = UploadCycle

        def on_body(self, body: bytes) -> None:
            cycle = self.cycle
            if (self.parser.should_upgrade() and self._should_upgrade()) or cycle.response_complete:
                return
            held = cycle.body
            if type(held) is BodyPieces:
                held.add(body)
            elif not held:  # receive() left an empty bytearray: start a new list
                cycle.body = held = BodyPieces(body)
            else:
                held += body
            if len(held) > self._window:
                self.flow.pause_reading()
            cycle.message_event.set()

        def on_response_complete(self) -> None:
            self._awaiting_head = True  # the next bytes start a new head
            super().on_response_complete()
            self._disarm()  # idle between requests: uvicorn's keep-alive timeout applies

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

    return HeaderTimeoutHttpTools


def is_loopback(host: str) -> bool:
    import ipaddress

    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.set_inheritable(True)
    return sock


def serve(app, host: str = "127.0.0.1", port: int = 8765, on_ready: Callable[[str, int], None] | None = None,
          access_log: bool = True, tls_cert: str | None = None, tls_key: str | None = None,
          header_timeout: float = HEADER_TIMEOUT, sock: socket.socket | None = None) -> None:
    """Serve until interrupted; `on_ready(host, port)` is called once the server accepts connections.
    With `tls_cert` (and `tls_key`, unless the key is in the certificate file) it speaks HTTPS.
    `sock`: a socket bound already (serve --workers: each worker process accepts on the same one)."""
    sock = sock if sock is not None else bind(host, port)
    bound = sock.getsockname()[1]

    class _Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if self.started and on_ready is not None:
                on_ready(host, bound)

    config = uvicorn.Config(app, log_config=LOG_CONFIG, access_log=access_log, timeout_keep_alive=15,
                            server_header=False, proxy_headers=False, http=header_timeout_protocol(header_timeout),
                            ssl_certfile=tls_cert, ssl_keyfile=tls_key)
    _Server(config).run(sockets=[sock])
