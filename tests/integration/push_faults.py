"""A real TCP proxy between the client and the real server that breaks the network on purpose.

Not an HTTP mock: every byte goes to the real exchange server; the proxy only does what a flaky
政务外网 link or a load balancer does — cuts a connection in the middle of an upload, loses a response
after the server handled the request, or answers 503 with Retry-After while the back end restarts.
It frames HTTP/1.1 requests (Content-Length bodies, which is all the client sends) to know which
request a fault applies to, and counts requests per method and path.

Besides the scripted `Fault`s, a seeded `Chaos` breaks connections at random: for a request it picks a
direction (the request or its answer) and a byte offset inside it (uniform or log-uniform, so headers,
the first bytes and deep inside a large PATCH are all hit) and then cuts (FIN), resets (RST: SO_LINGER
0) or stalls the connection for longer than the client's read timeout.  The seed is printed by the tests that use it; the same seed draws the same faults in the
same order of connections.  A fault budget bounds every run: past it the proxy only forwards.
"""

from __future__ import annotations

import math
import random
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Fault:
    method: str
    path_prefix: str
    action: str  # "drop_response" | "respond_503" | "respond_429" | "cut_after"
    times: int = 1
    after_bytes: int = 0  # cut_after: body bytes forwarded before the cut
    retry_after: str = "0"


@dataclass(frozen=True)
class ConnFault:
    direction: str  # "up" (client to server) | "down" (server to client)
    offset: int  # bytes of that direction forwarded (on this connection) before the fault
    action: str  # "cut" | "reset" | "stall"


@dataclass
class Chaos:
    """Random faults from one seed: at most `max_faults`, each request hit with probability `p_fault`."""

    seed: int
    p_fault: float = 0.2
    actions: tuple[tuple[str, float], ...] = (("cut", 0.45), ("reset", 0.35), ("stall", 0.2))
    p_down: float = 0.3  # share of faults that hit the answer (the server did the work; the client never hears)
    down_max: int = 700  # answers are small JSON documents
    stall: float = 3.0  # seconds a stalled connection hangs before it is closed (> the client's read timeout)
    max_faults: int = 40
    injected: Counter = field(default_factory=Counter)  # action -> faults done
    planned: int = 0
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        # every kind of fault fires at least once in any run that has room for them, in a random order
        self._unfired = [name for name, _w in self.actions]
        self._rng.shuffle(self._unfired)

    def plan(self, request_bytes: int) -> tuple[str, int, str] | None:
        """(direction, offset into the request or its answer, action) for one request, or None."""
        with self._lock:
            # the budget counts faults that fired (a planned one may never be reached): a bounded run
            if self.total >= self.max_faults or self._rng.random() >= self.p_fault:
                return None
            self.planned += 1
            direction = "down" if self._rng.random() < self.p_down else "up"
            top = max(2, self.down_max if direction == "down" else request_bytes)
            if self._rng.random() < 0.5:
                offset = self._rng.randint(1, top)
            else:
                offset = int(math.exp(self._rng.uniform(0, math.log(top))))  # log-uniform: near the start
            names, weights = zip(*self.actions)
            action = self._unfired[0] if self._unfired else self._rng.choices(names, weights)[0]
            return direction, offset, action

    def done(self, fault: ConnFault) -> None:
        with self._lock:
            self.injected[fault.action] += 1
            if fault.action in self._unfired:
                self._unfired.remove(fault.action)

    @property
    def total(self) -> int:
        return sum(self.injected.values())


class _Injected(Exception):
    """A chaos fault fired on this connection: both sockets are closed already."""


class FaultProxy:
    def __init__(self, upstream: tuple[str, int], port: int = 0, throttle: float | None = None,
                 chaos: Chaos | None = None,
                 on_forward: Callable[[str, str, int, int], None] | None = None) -> None:
        self.upstream = upstream  # read per connection: a test may re-point it at a restarted server
        self.throttle = throttle  # bytes per second for upload bodies (a slow county link), None: full speed
        self.chaos = chaos
        # on_forward(method, path, body bytes forwarded so far, body length): after the head and each piece
        self.on_forward = on_forward
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
            state = {"drop": False, "up": 0, "down": 0, "fault": None, "pair": (client, server)}
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
                self._send(state, "down", client, data)
            except (OSError, _Injected):
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
                route = path.split("?")[0]
                if self.chaos is not None and state["fault"] is None:
                    drawn = self.chaos.plan(len(head) + 4 + length)
                    if drawn is not None:
                        direction, offset, action = drawn
                        state["fault"] = ConnFault(direction, state[direction] + offset, action)
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
                self._send(state, "up", server, head + b"\r\n\r\n")
                if self.on_forward:
                    self.on_forward(method, route, 0, length)
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
                        self._send(state, "up", server, piece)
                        self._count(method, len(piece))
                        return  # cut: the rest of the body never arrives
                    self._send(state, "up", server, piece)
                    self._count(method, len(piece))
                    left -= len(piece)
                    if self.on_forward:
                        self.on_forward(method, route, length - left, length)
                    if self.throttle:
                        time.sleep(len(piece) / self.throttle)
                if fault and fault.action == "drop_response":
                    state["drop"] = True
                    return  # _down reads the server's answer and closes without passing it on
        except (OSError, _Injected):
            return
        finally:
            if not state["drop"]:
                _close(client)
                _close(server)

    def _send(self, state: dict, direction: str, sock: socket.socket, data: bytes) -> None:
        """sendall, unless this connection's chaos fault falls inside `data`: then forward up to it and strike."""
        fault: ConnFault | None = state["fault"]
        if fault is None or fault.direction != direction or state[direction] + len(data) < fault.offset:
            state[direction] += len(data)
            sock.sendall(data)
            return
        state["fault"] = None
        head = data[: max(0, fault.offset - state[direction])]
        if head:
            sock.sendall(head)
        state[direction] += len(head)
        client, server = state["pair"]
        self.chaos.done(fault)  # counted as it fires, so whoever sees its effect sees it counted
        if fault.action == "stall":
            time.sleep(self.chaos.stall)  # nothing moves; the client's read timeout fires first
        if fault.action == "reset":
            for s in (client, server):
                _reset(s)
        else:
            for s in (client, server):
                _close(s)
        raise _Injected(fault.action)

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


def _reset(sock: socket.socket) -> None:
    """Close with RST instead of FIN: linger on, timeout 0 (what a crashed middlebox or a firewall does).

    SHUT_RD first: it sends nothing, but wakes the other thread blocked in recv() on this socket; without
    it close() only drops our file descriptor, the kernel keeps the socket for that recv(), and neither
    the RST nor anything else ever reaches the peer.
    """
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RD)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
