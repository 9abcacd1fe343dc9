"""Two liaisons of one unit upload the same file at the same moment (two items sharing a photo): the
server hands both the same session, and both must end with the blob stored, never a 404 on the session
the other one finished. The race is repeated a bounded number of times."""

from __future__ import annotations

import io
import os
import threading

import pytest

from exchange.harness import digest_of

ROUNDS = 10


def _opener(data: bytes):
    def open_at(offset: int):
        stream = io.BytesIO(data)
        stream.seek(offset)
        return stream

    return open_at


@pytest.mark.integration
def test_two_liaisons_sharing_a_file_both_succeed(exchange_server):
    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.client.credentials import Secret
    from hnsubmit.client.transport import RetryPolicy

    s = exchange_server
    with s.client("admin") as c:
        second = c.post("/api/v1/tokens", json={"role": "unit", "unit": s.units["unit"], "label": "第二名信息员"}).json()["token"]
    fast = RetryPolicy(attempts=6, timeout=30, wait_initial=0.02, wait_max=0.1, wait_jitter=0.02)
    failures: list[str] = []
    for round_ in range(ROUNDS):
        data = os.urandom(400_000 + round_)
        digest = digest_of(data)
        barrier = threading.Barrier(2)

        def liaison(token: str) -> None:
            try:
                with ExchangeClient(s.url, Secret(token), retry=fast) as client:
                    barrier.wait(10)
                    # small chunks, so the two interleave appends, and one finishes while the other appends
                    client.upload_blob(digest, len(data), _opener(data), chunk_size=32 * 1024)
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                failures.append(f"round {round_}: {type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=liaison, args=(t,)) for t in (s.tokens["unit"], second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        with s.client("unit") as c:
            assert c.post("/api/v1/blobs/missing", json={"digests": [digest]}).json() == {"missing": []}
            assert c.get(f"/api/v1/blobs/{digest}").content == data
    assert failures == []
