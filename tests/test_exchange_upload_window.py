"""How serve's HTTP protocol hands an upload chunk's body to the app (issue 19, P3a): it holds up to
UPLOAD_WINDOW bytes of a PATCH /api/v1/uploads/… body before it stops reading the socket (uvicorn's 64 KiB
paused and resumed the transport on every read of a 1 GiB upload), other bodies keep uvicorn's 64 KiB,
and a piece the parser handed over alone reaches the app without being copied.

The real protocol class, the real parser and a real socket on a real event loop; the app waits for the
protocol to stop reading (a condition, not a time) before it asks for the body."""

from __future__ import annotations

import asyncio
import socket
import threading

import pytest

pytest.importorskip("httptools")

from uvicorn.config import Config  # noqa: E402
from uvicorn.protocols.http.flow_control import HIGH_WATER_LIMIT  # noqa: E402
from uvicorn.server import ServerState  # noqa: E402

from hnsubmit.exchange.server import UPLOAD_WINDOW, BodyPieces, header_timeout_protocol  # noqa: E402

BODY = 3 * UPLOAD_WINDOW


async def _first_message_when_paused(method: str, path: str) -> tuple[int, int, type]:
    """Send a request of BODY bytes; once the protocol has stopped reading, return the size of the app's
    first body message, the total received and the type of what held the body meanwhile."""
    loop = asyncio.get_running_loop()
    protocol_class = header_timeout_protocol(30.0)
    state: dict = {}
    done = asyncio.Event()

    async def app(scope, receive, send):
        # wait until the protocol holds as much as it will before it stops reading the socket
        for _ in range(3000):
            if protocol.flow.read_paused or len(protocol.cycle.body) >= BODY:
                break
            await asyncio.sleep(0.01)
        state["held"] = type(protocol.cycle.body)
        sizes, parts = [], []
        while True:
            message = await receive()
            sizes.append(len(message["body"]))
            parts.append(message["body"])
            if not message.get("more_body"):
                break
        state.update(first=sizes[0], total=sum(sizes), body=b"".join(parts))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        done.set()

    config = Config(app, http=protocol_class, log_config=None, access_log=False)
    config.load()
    protocol = protocol_class(config=config, server_state=ServerState(), app_state={}, _loop=loop)
    server_end, client_end = socket.socketpair()
    transport, _ = await loop.connect_accepted_socket(lambda: protocol, server_end)
    body = bytes(range(256)) * (BODY // 256)
    head = f"{method} {path} HTTP/1.1\r\nHost: t\r\nContent-Length: {len(body)}\r\n\r\n".encode()

    def client() -> None:
        client_end.sendall(head + body)
        while client_end.recv(65536):  # the answer, then the close
            pass

    sender = threading.Thread(target=client, daemon=True)
    sender.start()
    try:
        await asyncio.wait_for(done.wait(), 60)
    finally:
        transport.close()
        client_end.shutdown(socket.SHUT_RDWR)
        sender.join(10)
        client_end.close()
    assert state["body"] == body
    return state["first"], state["total"], state["held"]


def test_an_upload_chunk_is_read_in_a_window_of_mebibytes():
    first, total, held = asyncio.run(_first_message_when_paused("PATCH", "/api/v1/uploads/u_" + "0" * 32))
    assert total == BODY
    assert held is BodyPieces  # the pieces as the parser gave them, not uvicorn's bytearray
    # uvicorn stops at 64 KiB plus one read (≤ 256 KiB): the first message would be a few hundred KiB
    assert first >= UPLOAD_WINDOW


def test_other_bodies_keep_uvicorns_window():
    first, total, _ = asyncio.run(_first_message_when_paused("POST", "/api/v1/submissions"))
    assert total == BODY
    assert first < HIGH_WATER_LIMIT + (1 << 20)


def test_a_piece_alone_reaches_the_app_as_it_is():
    piece = bytes(300_000)
    assert bytes(BodyPieces(piece)) is piece  # no copy of the parser's bytes
    held = BodyPieces(b"ab")
    held.add(b"cd")
    assert len(held) == 4 and bytes(held) == b"abcd"
