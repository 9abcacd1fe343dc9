"""The real reference exchange on 127.0.0.1 (port 0) in a uvicorn thread, with an admin token, for push tests."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Live:
    url: str
    data_dir: Path
    admin: object  # Secret
    server: object
    thread: threading.Thread

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def client(self, token=None, **kwargs):
        from hnsubmit.client import ExchangeClient

        return ExchangeClient(self.url, token if token is not None else self.admin, **kwargs)

    def unit_token(self, unit: str = "632521"):
        with self.client() as admin:
            token, _info = admin.issue_token("unit", unit, label="tests")
        return token

    def reviewer_token(self):
        with self.client() as admin:
            token, _info = admin.issue_token("reviewer", None, label="tests")
        return token

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)


def start_exchange(data_dir: Path, policy=None) -> Live:
    import uvicorn

    from hnsubmit.credentials import Secret
    from hnsubmit.exchange.app import create_app
    from hnsubmit.exchange.auth import issue_token
    from hnsubmit.exchange.context import open_exchange, utcnow

    ex = open_exchange(data_dir, policy)
    secret, _ = issue_token(ex.storage, "admin", None, "tests", utcnow())
    ex.close()
    app = create_app(data_dir, policy)
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="exchange")
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the exchange did not start")
        time.sleep(0.02)
    return Live(f"http://127.0.0.1:{port}", data_dir, Secret(secret), server, thread)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = start_exchange(tmp_path_factory.mktemp("exchange"))
    yield server
    server.stop()
