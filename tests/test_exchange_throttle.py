"""Failed authentication over the real server is throttled per client address and per token prefix
(429 with Retry-After), while a valid token keeps working from the same address."""

from __future__ import annotations

import secrets

import httpx
import pytest

from exchange.harness import start_server
from hnsubmit.exchange.throttle import FAILURES_PER_ADDRESS, FAILURES_PER_PREFIX


def _bad() -> str:
    return secrets.token_urlsafe(32)  # a well-formed token nobody issued


@pytest.mark.integration
def test_failed_authentication_is_throttled_and_valid_tokens_keep_working(tmp_path):
    s = start_server(tmp_path / "data")
    try:
        # per token prefix: one token's variants from another address (127.0.0.2 reaches 127.0.0.1 on Linux)
        prefix = _bad()[:8]
        with s.client(transport=httpx.HTTPTransport(local_address="127.0.0.2")) as c:
            codes = [c.get("/api/v1/whoami", headers={"Authorization": f"Bearer {prefix}{_bad()[8:]}"}).status_code
                     for _ in range(FAILURES_PER_PREFIX + 1)]
            assert codes == [401] * FAILURES_PER_PREFIX + [429]
            other = c.get("/api/v1/whoami", headers={"Authorization": f"Bearer {_bad()}"})
            assert other.status_code == 401  # that address is not over its own limit

        # per address: any tokens, one address
        with s.client() as c:
            answers = [c.get("/api/v1/whoami", headers={"Authorization": f"Bearer {_bad()}"})
                       for _ in range(FAILURES_PER_ADDRESS + 2)]
        assert [a.status_code for a in answers] == [401] * FAILURES_PER_ADDRESS + [429, 429]
        last = answers[-1]
        assert last.json()["error"]["code"] == "too_many_failures"
        assert 1 <= int(last.headers["retry-after"]) <= 60
        assert "秒后再试" in last.json()["error"]["message"]["zh"]
        with s.client("unit") as c:  # the same address, a valid token: works, throttle or not
            assert c.get("/api/v1/whoami").status_code == 200
        with s.client() as c:  # no token at all guesses nothing and is not throttled
            assert c.get("/api/v1/whoami").status_code == 401
        assert "authentication failures throttled" in s.log() and "Traceback" not in s.log()
    finally:
        s.stop()
