"""Token rotation over the real server: one live successor per token, and revoking a token revokes
every successor minted from it (a thief's rotation included)."""

from __future__ import annotations

import pytest


def _issue(s, unit: str = "632523") -> dict:
    with s.client("admin") as c:
        r = c.post("/api/v1/tokens", json={"role": "unit", "unit": unit, "label": "rotation test"})
    assert r.status_code == 201, r.text
    return r.json()


def _rotate(s, token: str) -> dict:
    with s.client(token=token) as c:
        r = c.post("/api/v1/tokens/rotate")
    assert r.status_code == 201, r.text
    return r.json()


def _whoami(s, token: str) -> int:
    with s.client(token=token) as c:
        return c.get("/api/v1/whoami").status_code


@pytest.mark.integration
def test_rotating_twice_leaves_one_live_successor(exchange_server):
    s = exchange_server
    first = _issue(s)["token"]
    one = _rotate(s, first)["token"]
    two = _rotate(s, first)["token"]  # the first answer was lost, say: the old token asks again
    assert _whoami(s, one) == 401  # the earlier successor is revoked by the second rotation
    assert _whoami(s, two) == 200
    assert _whoami(s, first) == 401  # and the successor in use ends the old token's grace
    three = _rotate(s, two)["token"]  # rotating the successor: it stays until its own successor is used
    assert (_whoami(s, three), _whoami(s, two), _whoami(s, one)) == (200, 401, 401)


@pytest.mark.integration
def test_revoking_a_stolen_token_revokes_what_the_thief_minted(exchange_server):
    s = exchange_server
    issued = _issue(s)
    stolen = issued["token"]
    thief = _rotate(s, stolen)["token"]
    thiefs_next = _rotate(s, thief)["token"]
    assert _whoami(s, thiefs_next) == 200
    with s.client("admin") as c:
        assert c.delete(f"/api/v1/tokens/{issued['info']['token_id']}").status_code == 204
        listed = {t["token_id"]: t for t in c.get("/api/v1/tokens").json()["tokens"]}
    assert _whoami(s, thief) == 401 and _whoami(s, thiefs_next) == 401 and _whoami(s, stolen) == 401
    assert listed[issued["info"]["token_id"]]["revoked_at"] is not None
