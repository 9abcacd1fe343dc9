"""The embedded exchange: the reference server in a uvicorn thread on 127.0.0.1, port 0, for the demo.

In-process on purpose: when the demo ends (or is interrupted) there is no child process to leave
behind.  The office's first admin token is issued directly on the data directory, as
`hnsubmit admin token issue` does, and handed back as a Secret.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hnsubmit.client.credentials import Secret
from hnsubmit.errors import NetworkError

START_TIMEOUT = 30.0


@dataclass
class EmbeddedExchange:
    url: str
    data_dir: Path
    admin: Secret
    _server: Any
    _thread: threading.Thread

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(START_TIMEOUT)

    def __enter__(self) -> "EmbeddedExchange":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_embedded(data_dir: Path, policy: Any = None) -> EmbeddedExchange:
    """Open (seeding) the data dir, issue an admin token, serve on a free loopback port; returns when ready."""
    import uvicorn

    from hnsubmit.exchange.app import create_app
    from hnsubmit.exchange.auth import issue_token
    from hnsubmit.exchange.context import open_exchange, utcnow

    data_dir = Path(data_dir)
    ex = open_exchange(data_dir, policy)
    try:
        secret, _token = issue_token(ex.storage, "admin", None, "hnsubmit demo", utcnow())
    finally:
        ex.close()
    app = create_app(data_dir, policy)
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="error", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="hnsubmit-exchange", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise NetworkError("The embedded exchange did not start on 127.0.0.1.")
        time.sleep(0.02)
    return EmbeddedExchange(f"http://127.0.0.1:{port}", data_dir, Secret(secret), server, thread)
