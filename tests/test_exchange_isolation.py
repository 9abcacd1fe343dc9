"""The unit-isolation matrix: every endpoint × every role against the real server over HTTP.

A unit must read and write only its own things, and another unit's id must answer exactly like an
id that does not exist (404), so ids cannot be probed (protocol §1).
"""

from __future__ import annotations

import os
import uuid

import pytest

from exchange.harness import digest_of

ACTORS = ("anonymous", "unit", "unit_b", "reviewer", "admin")


def _data() -> bytes:
    return b"isolation " + os.urandom(64)


_SHARED: dict = {}


def _shared(s, name: str, make):
    """A resource owned by unit A, made once per server; calls that are refused cannot change it."""
    key = (s.url, name)
    if key not in _SHARED:
        _SHARED[key] = make()
    return _SHARED[key]


def _submission(s, fresh: bool = True) -> str:
    if not fresh:
        return _shared(s, "submission", lambda: _submission(s))
    r = s.submit("unit", s.manifest("unit", _data()), str(uuid.uuid4()))
    assert r.status_code == 201, r.text
    return r.json()["submission_id"]


def _blob(s, fresh: bool = True) -> str:
    return s.upload("unit", _data()) if fresh else _shared(s, "blob", lambda: s.upload("unit", _data()))


def _session(s, fill: bool = False, fresh: bool = True) -> tuple[str, bytes]:
    if not fresh:
        return _shared(s, f"session{fill}", lambda: _session(s, fill))
    data = _data()
    with s.client("unit") as c:
        r = c.post("/api/v1/uploads", json={"digest": digest_of(data), "size": len(data)})
        assert r.status_code == 201, r.text
        uid = r.json()["upload_id"]
        if fill:
            assert c.patch(f"/api/v1/uploads/{uid}", content=data, headers={"Upload-Offset": "0"}).status_code == 204
    return uid, data


def _fresh_unit(s, fresh: bool = True) -> str:
    if not fresh:
        return "632523"  # refused calls cannot disable it
    code = "T" + uuid.uuid4().hex[:10]
    with s.client("admin") as c:
        assert c.post("/api/v1/units", json={"code": code, "name": "测试单位", "kind": "department",
                                             "columns": ["department-news"]}).status_code == 201
    return code


def _fresh_token_id(s, fresh: bool = True) -> str:
    if not fresh:
        return _shared(s, "token", lambda: _fresh_token_id(s))
    with s.client("admin") as c:
        r = c.post("/api/v1/tokens", json={"role": "unit", "unit": "632523", "label": "to revoke"})
        assert r.status_code == 201
        return r.json()["info"]["token_id"]


def _fresh_token(s, actor: str) -> str:
    role = "unit" if actor.startswith("unit") else actor
    with s.client("admin") as c:
        r = c.post("/api/v1/tokens", json={"role": role, "unit": s.units.get(actor)})
        assert r.status_code == 201, r.text
        return r.json()["token"]


# name → (method, OpenAPI path, request builder, expected status for anonymous, unit, unit_b, reviewer, admin)
# Every resource in a request belongs to unit "unit" (632521); "unit_b" is the other unit.
MATRIX = {
    "healthz": ("GET", "/healthz", lambda s, f: ("/healthz", {}), (200, 200, 200, 200, 200)),
    "openapi": ("GET", "/api/v1/openapi.json", lambda s, f: ("/api/v1/openapi.json", {}), (200, 200, 200, 200, 200)),
    "policy": ("GET", "/api/v1/policy", lambda s, f: ("/api/v1/policy", {}), (200, 200, 200, 200, 200)),
    "proofing": ("GET", "/api/v1/proofing", lambda s, f: ("/api/v1/proofing", {}), (200, 200, 200, 200, 200)),
    "whoami": ("GET", "/api/v1/whoami", lambda s, f: ("/api/v1/whoami", {}), (401, 200, 200, 200, 200)),
    "columns": ("GET", "/api/v1/columns", lambda s, f: ("/api/v1/columns", {}), (401, 200, 200, 200, 200)),
    "units": ("GET", "/api/v1/units", lambda s, f: ("/api/v1/units", {}), (401, 403, 403, 200, 200)),
    "blobs-missing": ("POST", "/api/v1/blobs/missing",
                      lambda s, f: ("/api/v1/blobs/missing", {"json": {"digests": [_blob(s, f)]}}),
                      (401, 200, 200, 403, 403)),
    "blob-get": ("GET", "/api/v1/blobs/{digest}", lambda s, f: (f"/api/v1/blobs/{_blob(s, f)}", {}),
                 (401, 200, 404, 200, 200)),
    "upload-create": ("POST", "/api/v1/uploads",
                      lambda s, f: ("/api/v1/uploads", {"json": {"digest": digest_of(_data()), "size": 74}}),
                      (401, 201, 201, 403, 403)),
    "upload-get": ("GET", "/api/v1/uploads/{upload_id}", lambda s, f: (f"/api/v1/uploads/{_session(s, fresh=f)[0]}", {}),
                   (401, 200, 404, 403, 403)),
    "upload-head": ("HEAD", "/api/v1/uploads/{upload_id}", lambda s, f: (f"/api/v1/uploads/{_session(s, fresh=f)[0]}", {}),
                    (401, 200, 404, 403, 403)),
    "upload-append": ("PATCH", "/api/v1/uploads/{upload_id}",
                      lambda s, f: (f"/api/v1/uploads/{_session(s, fresh=f)[0]}", {"content": b"x" * 10, "headers": {"Upload-Offset": "0"}}),
                      (401, 204, 404, 403, 403)),
    "upload-finish": ("PUT", "/api/v1/uploads/{upload_id}",
                      lambda s, f: (lambda uid, data: (f"/api/v1/uploads/{uid}", {"params": {"digest": digest_of(data)}}))(*_session(s, fill=True, fresh=f)),
                      (401, 201, 404, 403, 403)),
    "upload-cancel": ("DELETE", "/api/v1/uploads/{upload_id}", lambda s, f: (f"/api/v1/uploads/{_session(s, fresh=f)[0]}", {}),
                      (401, 204, 404, 403, 403)),
    # unit_b posting unit A's manifest: its blobs are not unit_b's and the unit is not its own
    "submit": ("POST", "/api/v1/submissions",
               lambda s, f: ("/api/v1/submissions", {"json": s.manifest("unit", _data()), "headers": {"Idempotency-Key": str(uuid.uuid4())}}),
               (401, 201, 422, 403, 403)),
    "list": ("GET", "/api/v1/submissions", lambda s, f: ("/api/v1/submissions", {}), (401, 200, 200, 200, 200)),
    "list-unit": ("GET", "/api/v1/submissions?unit", lambda s, f: ("/api/v1/submissions", {"params": {"unit": "632521"}}),
                  (401, 200, 404, 200, 200)),
    "get": ("GET", "/api/v1/submissions/{submission_id}", lambda s, f: (f"/api/v1/submissions/{_submission(s, f)}", {}),
            (401, 200, 404, 200, 200)),
    # the server's own check of the item (issue 14): the office and the owning unit
    "findings": ("GET", "/api/v1/submissions/{submission_id}/findings",
                 lambda s, f: (f"/api/v1/submissions/{_submission(s, f)}/findings", {}), (401, 200, 404, 200, 200)),
    "review": ("POST", "/api/v1/submissions/{submission_id}/review",
               lambda s, f: (f"/api/v1/submissions/{_submission(s, f)}/review", {"json": {"action": "start"}}),
               (401, 403, 403, 200, 200)),
    # the reviewer's view of one item, with its PRF (issue 15 §1, `review show` at a distance)
    "review-view": ("GET", "/api/v1/submissions/{submission_id}/review",
                    lambda s, f: (f"/api/v1/submissions/{_submission(s, f)}/review", {"params": {"proofing": "false"}}),
                    (401, 403, 403, 200, 200)),
    # the unit's approver (issue 15 §2): the approver role's own columns are in test_exchange_isolation_approver.py
    "approval": ("POST", "/api/v1/submissions/{submission_id}/approval",
                 lambda s, f: (f"/api/v1/submissions/{_submission(s, f)}/approval", {"json": {"action": "accept"}}),
                 (401, 403, 403, 403, 403)),
    "approvers": ("GET", "/api/v1/approvers", lambda s, f: ("/api/v1/approvers", {}), (401, 200, 200, 200, 200)),
    "withdraw": ("POST", "/api/v1/submissions/{submission_id}/withdraw",
                 lambda s, f: (f"/api/v1/submissions/{_submission(s, f)}/withdraw", {"json": {"reason": "已过期"}}),
                 (401, 200, 404, 403, 403)),
    "report": ("GET", "/api/v1/reports/weekly", lambda s, f: ("/api/v1/reports/weekly", {}), (401, 200, 200, 200, 200)),
    "report-quarter": ("GET", "/api/v1/reports/quarter", lambda s, f: ("/api/v1/reports/quarter", {}), (401, 200, 200, 200, 200)),
    # column freshness and expiry (issue 15 §3, §4): a unit sees its own columns and items
    "report-columns": ("GET", "/api/v1/reports/columns", lambda s, f: ("/api/v1/reports/columns", {}), (401, 200, 200, 200, 200)),
    "report-expired": ("GET", "/api/v1/reports/expired", lambda s, f: ("/api/v1/reports/expired", {}), (401, 200, 200, 200, 200)),
    "column-set": ("PATCH", "/api/v1/columns/{column_id}",
                   lambda s, f: ("/api/v1/columns/special-topics", {"json": {"kind": "other"}}), (401, 403, 403, 403, 200)),
    "unit-add": ("POST", "/api/v1/units",
                 lambda s, f: ("/api/v1/units", {"json": {"code": "T" + uuid.uuid4().hex[:10], "name": "测试", "kind": "department"}}),
                 (401, 403, 403, 403, 201)),
    "unit-disable": ("POST", "/api/v1/units/{code}/disable", lambda s, f: (f"/api/v1/units/{_fresh_unit(s, f)}/disable", {}),
                     (401, 403, 403, 403, 200)),
    "unit-enable": ("POST", "/api/v1/units/{code}/enable", lambda s, f: (f"/api/v1/units/{_fresh_unit(s, f)}/enable", {}),
                    (401, 403, 403, 403, 200)),
    "unit-columns": ("PUT", "/api/v1/units/{code}/columns",
                     lambda s, f: (f"/api/v1/units/{_fresh_unit(s, f)}/columns", {"json": {"columns": ["department-news"]}}),
                     (401, 403, 403, 403, 200)),
    "tokens": ("GET", "/api/v1/tokens", lambda s, f: ("/api/v1/tokens", {}), (401, 403, 403, 403, 200)),
    "token-issue": ("POST", "/api/v1/tokens", lambda s, f: ("/api/v1/tokens", {"json": {"role": "reviewer"}}),
                    (401, 403, 403, 403, 201)),
    # rotation acts on the caller's own token: each role rotates a fresh token of its own (see test_matrix)
    "token-rotate": ("POST", "/api/v1/tokens/rotate", lambda s, f: ("/api/v1/tokens/rotate", {}), (401, 201, 201, 201, 201)),
    "token-revoke": ("DELETE", "/api/v1/tokens/{token_id}", lambda s, f: (f"/api/v1/tokens/{_fresh_token_id(s, f)}", {}),
                     (401, 403, 403, 403, 204)),
}


@pytest.mark.integration
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(exchange_server, name, actor):
    method, _route, build, expected = MATRIX[name]
    want = expected[ACTORS.index(actor)]
    path, kwargs = build(exchange_server, want < 300)  # only a call that may succeed gets fresh resources
    with exchange_server.client(None if actor == "anonymous" else actor) as c:
        if name == "token-rotate" and actor != "anonymous":
            kwargs = {"headers": {"Authorization": f"Bearer {_fresh_token(exchange_server, actor)}"}}
        r = c.request(method, path, **kwargs)
    assert r.status_code == want, f"{method} {path} as {actor}: {r.status_code} {r.text[:300]}"
    if r.status_code >= 400 and method != "HEAD":
        assert set(r.json()) == {"error"} and {"code", "message"} <= set(r.json()["error"])
        assert set(r.json()["error"]["message"]) == {"zh", "en"}
    if r.status_code == 401:
        assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.integration
def test_matrix_covers_every_served_endpoint(exchange_server):
    with exchange_server.client() as c:
        spec = c.get("/api/v1/openapi.json").json()
    served = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    covered = {(m, route.split("?")[0]) for m, route, _b, _e in MATRIX.values()}
    served.add(("GET", "/api/v1/openapi.json"))  # the document does not list itself
    assert served == covered


@pytest.mark.integration
def test_another_units_id_answers_exactly_like_a_missing_one(exchange_server):
    s = exchange_server
    sid = _submission(s)
    uid, _ = _session(s)
    digest = s.upload("unit", _data())
    with s.client("unit_b") as c:
        for real, fake in (
            (f"/api/v1/submissions/{sid}", "/api/v1/submissions/HN-20000101-ZZZZZZ"),
            (f"/api/v1/uploads/{uid}", "/api/v1/uploads/u_" + "0" * 32),
            (f"/api/v1/blobs/{digest}", "/api/v1/blobs/sha256:" + "0" * 64),
        ):
            a, b = c.get(real), c.get(fake)
            assert (a.status_code, a.json(), a.headers.get("content-length")) == (b.status_code, b.json(), b.headers.get("content-length"))


@pytest.mark.integration
def test_lists_and_reports_show_only_the_units_own(exchange_server):
    s = exchange_server
    sid = _submission(s)
    with s.client("unit_b") as c:
        items = c.get("/api/v1/submissions", params={"limit": 1000}).json()["items"]
        assert sid not in {i["submission_id"] for i in items}
        assert {i["unit"] for i in items} <= {"632522"}
        assert [r["unit"] for r in c.get("/api/v1/reports/weekly").json()["rows"]] == ["632522"]
        # blob presence is per unit: unit_b cannot learn that unit A holds a file
        data = _data()
        digest = s.upload("unit", data)
        assert c.post("/api/v1/blobs/missing", json={"digests": [digest]}).json() == {"missing": [digest]}
    with s.client("unit") as c:
        assert sid in {i["submission_id"] for i in c.get("/api/v1/submissions", params={"limit": 1000}).json()["items"]}
        assert c.post("/api/v1/blobs/missing", json={"digests": [digest]}).json() == {"missing": []}
    with s.client("reviewer") as c:
        units = {r["unit"] for r in c.get("/api/v1/reports/weekly").json()["rows"]}
        assert {"632521", "632522", "632523", "632524", "632525"} <= units


# Path parameters for calls generated from the OpenAPI document: well-formed, naming nothing in particular
_DUMMY = {"digest": "sha256:" + "0" * 64, "upload_id": "u_" + "0" * 32, "submission_id": "HN-20000101-ZZZZZZ",
          "code": "632521", "token_id": "t_000000000000", "column_id": "county-news"}


def _dead_credentials(s) -> dict[str, tuple[str, int, str]]:
    """name → (secret, status, code) for every kind of token that must open nothing."""
    from datetime import datetime, timedelta, timezone

    from hnsubmit.exchange.store.sqlite import SqliteStorage

    def issue(role: str, unit: str | None = None) -> tuple[str, str]:
        with s.client("admin") as c:
            r = c.post("/api/v1/tokens", json={"role": role, "unit": unit, "label": "dead"})
            assert r.status_code == 201, r.text
            return r.json()["token"], r.json()["info"]["token_id"]

    out = {}
    for role, unit in (("unit", "632521"), ("reviewer", None), ("admin", None)):
        secret, token_id = issue(role, unit)
        with s.client("admin") as c:
            assert c.delete(f"/api/v1/tokens/{token_id}").status_code == 204
        out[f"revoked {role}"] = (secret, 401, "unauthorized")
    secret, token_id = issue("unit", "632521")
    store = SqliteStorage(s.data_dir / "exchange.sqlite3")  # as `hnsubmit admin` would, beside the server
    try:
        store.update_token(token_id, expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
    finally:
        store.close()
    out["expired unit"] = (secret, 401, "unauthorized")
    code = _fresh_unit(s)
    secret, _ = issue("unit", code)
    with s.client("admin") as c:
        assert c.post(f"/api/v1/units/{code}/disable").status_code == 200
    out["disabled unit"] = (secret, 403, "unit_disabled")
    out["unknown"] = ("A" * 43, 401, "unauthorized")
    return out


@pytest.mark.integration
def test_dead_tokens_open_nothing_on_any_served_operation(exchange_server):
    """Generated from the served OpenAPI document: every operation it lists (and every one added later)
    is called with a revoked (unit, reviewer, admin), expired, disabled-unit and unknown token.  An
    operation that declares security answers 401 (403 unit_disabled) before it looks at the request; a
    public one answers exactly as it does to an anonymous caller.  Each must agree with MATRIX."""
    s = exchange_server
    with s.client() as c:
        spec = c.get("/api/v1/openapi.json").json()
    operations = [(m.upper(), p, op) for p, ops in spec["paths"].items() for m, op in ops.items()]
    assert len(operations) >= 25
    by_route = {(m, route.split("?")[0]): expected for m, route, _b, expected in MATRIX.values()}
    dead = _dead_credentials(s)
    failures = []
    for method, route, op in operations:
        secured = bool(op.get("security"))
        anonymous_status = by_route.get((method, route), (None,))[0]
        if anonymous_status is None:
            failures.append(f"{method} {route}: no entry in MATRIX")
            continue
        if secured != (anonymous_status == 401):
            failures.append(f"{method} {route}: OpenAPI security {secured} but anonymous gets {anonymous_status}")
        path = route.format(**{k: v for k, v in _DUMMY.items() if "{" + k + "}" in route})
        body = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
        with s.client() as c:
            public = c.request(method, path, **body).status_code
        for name, (secret, status, code) in dead.items():
            with s.client(token=secret) as c:
                r = c.request(method, path, **body)
            want = (status, code) if secured else (public, None)
            got = (r.status_code, r.json()["error"]["code"] if secured and method != "HEAD" else None)
            if secured and method == "HEAD":
                want = (status, None)
            if got != want:
                failures.append(f"{method} {route} with a {name} token: {got}, want {want}")
            if secured and status == 401 and r.headers.get("www-authenticate") != "Bearer":
                failures.append(f"{method} {route} with a {name} token: no WWW-Authenticate: Bearer")
    assert failures == []
