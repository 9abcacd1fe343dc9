"""The real exchange (`hnsubmit serve` in a subprocess on 127.0.0.1:0, tests/exchange/harness.py) for push tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from exchange.harness import ExchangeServer, start_server


@dataclass
class Live:
    server: ExchangeServer

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    @property
    def data_dir(self) -> Path:
        return self.server.data_dir

    @property
    def admin(self):
        from hnsubmit.client.credentials import Secret

        return Secret(self.server.tokens["admin"])

    def secrets(self) -> list[str]:
        return list(self.server.tokens.values())

    def client(self, token=None, **kwargs):
        from hnsubmit.client.api import ExchangeClient

        return ExchangeClient(self.url, token if token is not None else self.admin, **kwargs)

    def unit_token(self, unit: str = "632521"):
        with self.client() as admin:
            token, _info = admin.issue_token("unit", unit, label="tests")
        return token

    def reviewer_token(self):
        with self.client() as admin:
            token, _info = admin.issue_token("reviewer", None, label="tests")
        return token

    def log(self) -> str:
        return self.server.log()

    def stop(self) -> None:
        self.server.stop()


def start_live(data_dir: Path, policy_file: Path | None = None) -> Live:
    return Live(start_server(data_dir, policy_file))


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = start_live(tmp_path_factory.mktemp("exchange") / "data")
    yield server
    server.stop()
