"""`serve --workers N`: N server processes accepting on one socket the parent bound (pre-fork, as gunicorn does).

Each worker builds its own app after the fork (a connection pool's threads and sockets do not survive a fork),
so the storage must be one that several processes can share: PostgreSQL (any blob store), or SQLite in WAL
mode with the blob folder, whose appends the operating system serialises per file. The parent only waits:
SIGTERM/SIGINT reach every worker, and a worker that dies is started again, so a SIGKILLed process costs its
own requests only.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from typing import Callable


def run_workers(n: int, sock: socket.socket, run_one: Callable[[socket.socket], None]) -> None:
    """Fork `n` workers that each call `run_one(sock)`; return when they have all stopped after a signal."""
    children: dict[int, int] = {}
    stopping = False

    def spawn(slot: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            code = 0
            try:
                run_one(sock)
            except BaseException:  # noqa: BLE001  (a worker never returns into the parent's code)
                code = 1
            finally:
                os._exit(code)
        children[pid] = slot

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    old = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for slot in range(n):
            spawn(slot)
        while children:
            try:
                pid, _status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            slot = children.pop(pid, None)
            if slot is not None and not stopping:
                time.sleep(0.2)  # a worker failing at start should not spin
                spawn(slot)
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
