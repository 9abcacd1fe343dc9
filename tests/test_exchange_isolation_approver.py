"""The isolation matrix's approver columns (issue 15 §2): every endpoint of MATRIX as an approver of the
unit that owns the resources (632521) and as an approver of another unit (632522), over HTTP.

An approver reads its own unit's items and blobs, approves them, and can do nothing else: it cannot
push (no uploads, no submissions), review for the office, withdraw, administer, or see another unit's
things (another unit's id answers 404 like a missing one).  The shared server is in declared mode, so
none of its items awaits approval: an approver's accept answers 409 there (the role gate passed, the
state did not); accepting for real is in tests/test_approval_process.py.
"""

from __future__ import annotations

import pytest

from test_exchange_isolation import MATRIX, _submission

APPROVER_ACTORS = ("approver", "approver_b")
# name → expected status for (approver of 632521, approver of 632522)
APPROVER = {
    "healthz": (200, 200), "openapi": (200, 200), "policy": (200, 200), "proofing": (200, 200),
    "whoami": (200, 200), "columns": (200, 200), "units": (403, 403),
    "blobs-missing": (403, 403), "blob-get": (200, 404),  # reads its own unit's files, to judge the item
    "upload-create": (403, 403), "upload-get": (403, 403), "upload-head": (403, 403), "upload-append": (403, 403),
    "upload-finish": (403, 403), "upload-cancel": (403, 403), "submit": (403, 403),  # cannot push
    "list": (200, 200), "list-unit": (200, 404), "get": (200, 404), "findings": (200, 404),
    "review": (403, 403), "review-view": (403, 403),  # cannot review for the office
    "approval": (409, 404),  # declared mode: nothing awaits approval; another unit's item: 404
    "approvers": (200, 200),
    "withdraw": (403, 403),
    "report": (200, 200), "report-quarter": (200, 200),  # its own unit's row only (test below)
    "report-columns": (200, 200), "report-expired": (200, 200),  # its own unit's columns and items
    "column-set": (403, 403), "unit-columns": (403, 403),
    "unit-add": (403, 403), "unit-disable": (403, 403), "unit-enable": (403, 403),
    "tokens": (403, 403), "token-issue": (403, 403), "token-rotate": (201, 201), "token-revoke": (403, 403),
}
NAMES = {"approver": ("632521", "王五"), "approver_b": ("632522", "赵六")}
_TOKENS: dict = {}


def approver_token(s, actor: str, fresh: bool = False) -> str:
    """An approver token of the actor's unit, issued by the admin over HTTP (one per server unless fresh)."""
    key = (s.url, actor)
    if fresh or key not in _TOKENS:
        unit, name = NAMES[actor]
        with s.client("admin") as c:
            r = c.post("/api/v1/tokens", json={"role": "approver", "unit": unit, "name": name, "label": "分管领导"})
            assert r.status_code == 201, r.text
            assert (r.json()["info"]["role"], r.json()["info"]["unit"], r.json()["info"]["name"]) == ("approver", unit, name)
        if fresh:
            return r.json()["token"]
        _TOKENS[key] = r.json()["token"]
    return _TOKENS[key]


@pytest.mark.integration
@pytest.mark.parametrize("actor", APPROVER_ACTORS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_approver_matrix(exchange_server, name, actor):
    if name not in APPROVER:
        pytest.fail(f"MATRIX row {name!r} has no approver expectation: add it to APPROVER in this file")
    method, _route, build, _expected = MATRIX[name]
    want = APPROVER[name][APPROVER_ACTORS.index(actor)]
    path, kwargs = build(exchange_server, want < 300 or name == "approval")
    # rotation acts on the caller's own token: a fresh one, so the shared approver token stays usable
    token = approver_token(exchange_server, actor, fresh=name == "token-rotate")
    with exchange_server.client(token=token) as c:
        r = c.request(method, path, **kwargs)
    assert r.status_code == want, f"{method} {path} as {actor}: {r.status_code} {r.text[:300]}"
    if r.status_code >= 400 and method != "HEAD":
        assert set(r.json()) == {"error"} and set(r.json()["error"]["message"]) == {"zh", "en"}


@pytest.mark.integration
def test_every_matrix_row_says_what_an_approver_gets():
    # an expectation may come before its row (a row added in another commit); a row never without one
    assert sorted(set(MATRIX) - set(APPROVER)) == []


@pytest.mark.integration
def test_an_approver_sees_its_own_units_items_rows_and_approvers_only(exchange_server):
    s = exchange_server
    sid = _submission(s)
    mine, other = approver_token(s, "approver"), approver_token(s, "approver_b")
    with s.client(token=other) as c:
        items = c.get("/api/v1/submissions", params={"limit": 1000}).json()["items"]
        assert sid not in {i["submission_id"] for i in items} and {i["unit"] for i in items} <= {"632522"}
        assert [r["unit"] for r in c.get("/api/v1/reports/weekly").json()["rows"]] == ["632522"]
        assert {a["unit"] for a in c.get("/api/v1/approvers").json()["approvers"]} == {"632522"}
        # another unit's item answers exactly like a missing one, for reading and for approving
        real, fake = c.get(f"/api/v1/submissions/{sid}"), c.get("/api/v1/submissions/HN-20000101-ZZZZZZ")
        assert (real.status_code, real.json()) == (fake.status_code, fake.json())
        real = c.post(f"/api/v1/submissions/{sid}/approval", json={"action": "accept"})
        fake = c.post("/api/v1/submissions/HN-20000101-ZZZZZZ/approval", json={"action": "accept"})
        assert (real.status_code, real.json()) == (fake.status_code, fake.json()) == (404, fake.json())
    with s.client(token=mine) as c:
        assert sid in {i["submission_id"] for i in c.get("/api/v1/submissions", params={"limit": 1000}).json()["items"]}
        assert {i["unit"] for i in c.get("/api/v1/submissions", params={"limit": 1000}).json()["items"]} == {"632521"}
        me = c.get("/api/v1/whoami").json()
        assert (me["role"], me["unit"]["code"], me["name"]) == ("approver", "632521", "王五")
    with s.client("unit") as c:  # a liaison learns its own unit's approvers (to check the name before pushing)
        answer = c.get("/api/v1/approvers").json()
        assert answer["mode"] == "declared" and {a["unit"] for a in answer["approvers"]} == {"632521"}
        assert "王五" in {a["name"] for a in answer["approvers"]}
    with s.client("reviewer") as c:
        assert {"632521", "632522"} <= {a["unit"] for a in c.get("/api/v1/approvers").json()["approvers"]}


@pytest.mark.integration
def test_dead_approver_tokens_open_nothing(exchange_server):
    """A revoked approver token, and one of a disabled unit, are refused like any dead token."""
    import uuid

    s = exchange_server
    with s.client("admin") as c:
        r = c.post("/api/v1/tokens", json={"role": "approver", "unit": "632521", "name": "王五"})
        revoked, token_id = r.json()["token"], r.json()["info"]["token_id"]
        assert c.delete(f"/api/v1/tokens/{token_id}").status_code == 204
        code = "T" + uuid.uuid4().hex[:10]
        assert c.post("/api/v1/units", json={"code": code, "name": "测试单位", "kind": "department",
                                             "columns": ["department-news"]}).status_code == 201
        r = c.post("/api/v1/tokens", json={"role": "approver", "unit": code, "name": "测试领导"})
        disabled = r.json()["token"]
        assert c.post(f"/api/v1/units/{code}/disable").status_code == 200
    for token, status, error in ((revoked, 401, "unauthorized"), (disabled, 403, "unit_disabled")):
        with s.client(token=token) as c:
            for method, path in (("GET", "/api/v1/whoami"), ("GET", "/api/v1/submissions"), ("GET", "/api/v1/approvers"),
                                 ("POST", "/api/v1/submissions/HN-20000101-ZZZZZZ/approval")):
                r = c.request(method, path, json={"action": "accept"} if method == "POST" else None)
                assert (r.status_code, r.json()["error"]["code"]) == (status, error), (method, path)
