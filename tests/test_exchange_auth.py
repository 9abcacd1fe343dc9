"""Tokens over the real server: stored only as hashes, never logged, rotated, revoked; disabled units; policy."""

from __future__ import annotations

import hashlib

import pytest


def _issue(s, role: str, unit: str | None = None) -> dict:
    with s.client("admin") as c:
        r = c.post("/api/v1/tokens", json={"role": role, "unit": unit, "label": "测试"})
        assert r.status_code == 201, r.text
        assert r.headers["cache-control"] == "no-store"
        return r.json()


def _whoami(s, token: str) -> int:
    with s.client(token=token) as c:
        return c.get("/api/v1/whoami").status_code


@pytest.mark.integration
def test_tokens_are_256_bits_stored_only_as_hashes_and_never_logged(exchange_server):
    s = exchange_server
    issued = _issue(s, "unit", "632524")
    secrets_ = [*s.tokens.values(), issued["token"]]
    assert all(len(t) == 43 for t in secrets_)  # token_urlsafe(32): 256 bits
    bogus = "A" * 43
    for token in secrets_ + [bogus]:
        _whoami(s, token)
    with s.client("admin") as c:
        listed = c.get("/api/v1/tokens").text
    stored = b"".join(p.read_bytes() for p in s.data_dir.glob("exchange.sqlite3*"))
    for token in secrets_:
        assert token not in listed
        assert token.encode() not in stored
        assert token not in s.log()
    assert hashlib.sha256(issued["token"].encode()).hexdigest().encode() in stored
    assert bogus not in s.log()
    assert "Bearer" not in s.log() and "authorization" not in s.log().lower()


@pytest.mark.integration
def test_malformed_authorization_is_401(exchange_server):
    for header in ("Basic dXNlcjpwYXNz", "Bearer", "Bearer  " + "A" * 42, "Token " + "A" * 43, "Bearer " + "A" * 44, "Bearer " + "é" * 43):
        with exchange_server.client() as c:
            r = c.get("/api/v1/whoami", headers={"Authorization": header.encode("utf-8")})
        assert (r.status_code, r.json()["error"]["code"]) == (401, "unauthorized"), header


@pytest.mark.integration
def test_rotation_keeps_the_old_token_until_the_new_one_is_used(exchange_server):
    s = exchange_server
    old = _issue(s, "unit", "632525")["token"]
    with s.client(token=old) as c:
        r = c.post("/api/v1/tokens/rotate")
    assert r.status_code == 201
    new = r.json()["token"]
    assert (r.json()["info"]["role"], r.json()["info"]["unit"]) == ("unit", "632525")
    assert _whoami(s, old) == 200  # the reply might have been lost: the old token still works
    assert _whoami(s, new) == 200
    assert _whoami(s, old) == 401  # the new one is in use: the old one is gone


@pytest.mark.integration
def test_revocation_and_disabled_units(exchange_server):
    s = exchange_server
    issued = _issue(s, "reviewer")
    assert _whoami(s, issued["token"]) == 200
    with s.client("admin") as c:
        assert c.delete(f"/api/v1/tokens/{issued['info']['token_id']}").status_code == 204
        assert c.delete("/api/v1/tokens/t_000000000000").status_code == 404
        revoked = {t["token_id"]: t for t in c.get("/api/v1/tokens").json()["tokens"]}[issued["info"]["token_id"]]
        assert revoked["revoked_at"] is not None
    assert _whoami(s, issued["token"]) == 401
    with s.client("admin") as c:
        assert c.post("/api/v1/units", json={"code": "632500-test", "name": "海南州测试局", "kind": "department",
                                             "columns": ["department-news"]}).status_code == 201
        assert c.post("/api/v1/units", json={"code": "632500-test", "name": "again", "kind": "department"}).json()["error"]["code"] == "conflict"
        assert c.post("/api/v1/units", json={"code": "632500-x2", "name": "x", "kind": "department",
                                             "columns": ["nope"]}).json()["error"]["code"] == "unknown_column"
        assert c.post("/api/v1/tokens", json={"role": "unit", "unit": "no-such"}).status_code == 404
        assert c.post("/api/v1/tokens", json={"role": "reviewer", "unit": "632521"}).status_code == 422
    token = _issue(s, "unit", "632500-test")["token"]
    assert _whoami(s, token) == 200
    with s.client("admin") as c:
        assert c.post("/api/v1/units/632500-test/disable").json()["active"] is False
        assert c.post("/api/v1/units/no-such/disable").status_code == 404
    with s.client(token=token) as c:
        r = c.get("/api/v1/whoami")
    assert (r.status_code, r.json()["error"]["code"]) == (403, "unit_disabled")


@pytest.mark.integration
def test_policy_whoami_health_columns(exchange_server):
    from hnsubmit.policy.model import default_policy, policy_from_dict

    s = exchange_server
    with s.client() as c:
        r = c.get("/api/v1/policy")
        assert r.json() == default_policy().to_dict()
        assert policy_from_dict(r.json(), "server").to_dict() == default_policy().to_dict()
        assert c.get("/api/v1/policy", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
        assert c.get("/healthz").json() == {"status": "ok", "api": "v1", "version": __import__("hnsubmit").__version__}
    with s.client("reviewer") as c:
        me = c.get("/api/v1/whoami").json()
        assert (me["role"], me["unit"]) == ("reviewer", None)
        columns = {col["id"]: col["name"]["zh"] for col in c.get("/api/v1/columns").json()["columns"]}
        assert columns["guides"] == "办事指南" and columns["county-news"] == "县区动态"
        units = {u["code"]: u for u in c.get("/api/v1/units").json()["units"]}
        assert {k: units[k]["name"] for k in ("632521", "632522", "632523", "632524", "632525")} == {
            "632521": "共和县人民政府", "632522": "同德县人民政府", "632523": "贵德县人民政府",
            "632524": "兴海县人民政府", "632525": "贵南县人民政府"}
        assert sum(1 for u in units.values() if u["kind"] == "department") >= 10
        # the seeded units (tests sharing this server add units of their own, some without columns)
        from hnsubmit.exchange.seed import load_seed

        seeded = [units[u.code] for u in load_seed().units]
        assert all(set(u["columns"]) <= set(columns) and u["columns"] for u in seeded)


@pytest.mark.integration
def test_an_approver_token_carries_its_unit_and_registered_name(exchange_server):
    """Issue 15 §2: role approver needs a unit and a name (姓名); no other role takes a name; rotation keeps it."""
    s = exchange_server
    with s.client("admin") as c:
        for body, code in (({"role": "approver", "unit": "632521"}, "name_required"),
                           ({"role": "approver", "unit": "632521", "name": "   "}, "invalid_request"),
                           ({"role": "approver", "name": "王五"}, "not_found"),
                           ({"role": "unit", "unit": "632521", "name": "王五"}, "invalid_request"),
                           ({"role": "reviewer", "name": "王五"}, "invalid_request")):
            r = c.post("/api/v1/tokens", json=body)
            assert r.json()["error"]["code"] == code, (body, r.text)
        r = c.post("/api/v1/tokens", json={"role": "approver", "unit": "632521", "name": " 马 国栋 ", "label": "分管副县长"})
        assert r.status_code == 201, r.text
        info = r.json()["info"]
        assert (info["role"], info["unit"], info["name"], info["label"]) == ("approver", "632521", "马 国栋", "分管副县长")
        listed = {t["token_id"]: t for t in c.get("/api/v1/tokens").json()["tokens"]}
        assert listed[info["token_id"]]["name"] == "马 国栋"
    old = r.json()["token"]
    with s.client(token=old) as c:
        me = c.get("/api/v1/whoami").json()
        assert (me["role"], me["unit"]["code"], me["name"]) == ("approver", "632521", "马 国栋")
        rotated = c.post("/api/v1/tokens/rotate")
    assert rotated.status_code == 201
    assert (rotated.json()["info"]["role"], rotated.json()["info"]["unit"], rotated.json()["info"]["name"]) == (
        "approver", "632521", "马 国栋")
    with s.client(token=rotated.json()["token"]) as c:
        assert c.get("/api/v1/whoami").json()["name"] == "马 国栋"
