"""Submissions over the real server: exactly-once intake with Idempotency-Key, the 分工表 check,
the manifest's blobs, and the review and withdrawal states with their history."""

from __future__ import annotations

import json
import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from exchange.harness import digest_of


def _data() -> bytes:
    return b"submission " + os.urandom(32)


def _error(r) -> tuple[int, str]:
    return r.status_code, r.json()["error"]["code"]


@pytest.mark.integration
def test_same_key_same_body_same_receipt_other_body_409(exchange_server):
    s = exchange_server
    manifest = s.manifest("unit", _data())
    key = str(uuid.uuid4())
    first = s.submit("unit", manifest, key)
    assert first.status_code == 201, first.text
    receipt = first.json()
    assert set(receipt) == {"submission_id", "received_at", "manifest_digest", "unit", "state", "idempotency_key"}
    body = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    assert receipt["manifest_digest"] == digest_of(body)  # the client can check it locally
    assert (receipt["unit"], receipt["state"], receipt["idempotency_key"]) == ("632521", "received", key)
    again = s.submit("unit", manifest, key)
    assert (again.status_code, again.json(), again.headers["idempotent-replayed"]) == (200, receipt, "true")
    changed = dict(manifest, title="另一条信息")
    assert _error(s.submit("unit", changed, key)) == (409, "idempotency_conflict")
    # keys are per unit: another unit may use the same key for its own submission
    other = s.manifest("unit_b", _data(), title="同德县信息")
    assert s.submit("unit_b", other, key).status_code == 201
    with s.client("unit") as c:
        mine = [i for i in c.get("/api/v1/submissions", params={"limit": 1000}).json()["items"] if i["idempotency_key"] == key]
        assert [i["submission_id"] for i in mine] == [receipt["submission_id"]]


@pytest.mark.integration
def test_concurrent_retries_make_one_submission(exchange_server):
    s = exchange_server
    manifest = s.manifest("unit", _data())
    key = str(uuid.uuid4())
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: s.submit("unit", manifest, key), range(8)))
    assert sorted(r.status_code for r in results) == [200] * 7 + [201]
    assert len({r.json()["submission_id"] for r in results}) == 1


@pytest.mark.integration
def test_column_the_unit_does_not_feed_is_refused_naming_its_columns(exchange_server):
    s = exchange_server
    manifest = s.manifest("unit", _data(), column="finance")  # 财政信息 is the 州财政局's column
    r = s.submit("unit", manifest, str(uuid.uuid4()))
    assert _error(r) == (422, "column_not_assigned")
    err = r.json()["error"]
    with s.client("unit") as c:
        mine = c.get("/api/v1/whoami").json()["unit"]["columns"]
    assert err["details"] == {"column": "finance", "columns": mine}
    assert "共和县人民政府" in err["message"]["zh"] and "财政信息" in err["message"]["zh"]
    for name in ("县区动态", "办事指南", "视频海南"):
        assert name in err["message"]["zh"]
    assert "county-news" in err["message"]["en"]
    r = s.submit("unit", s.manifest("unit", _data(), column="no-such-column"), str(uuid.uuid4()))
    assert _error(r) == (422, "unknown_column")


@pytest.mark.integration
def test_manifest_checks(exchange_server):
    s = exchange_server
    good = s.manifest("unit", _data())
    missing = digest_of(b"never uploaded " + os.urandom(8))
    cases = [
        (dict(good, unit="632522"), (422, "unit_mismatch")),
        (dict(good, files=[dict(good["files"][0], digest=missing)]), (422, "blob_missing")),
        (dict(good, files=[dict(good["files"][0], size=1)]), (422, "size_mismatch")),
        (dict(good, category="gossip"), (422, "invalid_request")),
        (dict(good, title="   "), (422, "invalid_request")),
        ({k: v for k, v in good.items() if k != "approval"}, (422, "invalid_request")),  # 五(二): approval required
        (dict(good, files=[]), (422, "invalid_request")),
        (dict(good, files=[good["files"][0], good["files"][0]]), (422, "invalid_request")),
        (dict(good, channels=["portal", "portal"]), (422, "invalid_request")),
        (dict(good, files=[dict(good["files"][0], role="poster")]), (422, "invalid_request")),
    ]
    for manifest, expected in cases:
        r = s.submit("unit", manifest, str(uuid.uuid4()))
        assert _error(r) == expected, (manifest, r.text)
    r = s.submit("unit", dict(good, files=[dict(good["files"][0], digest=missing)]), str(uuid.uuid4()))
    assert r.json()["error"]["details"] == {"missing": [missing]}
    with s.client("unit") as c:
        for body in (b"not json", b"\xff\xfe", b'{"title": "\\ud800"}', b"[" * 100_000):
            r = c.post("/api/v1/submissions", content=body, headers={"Idempotency-Key": str(uuid.uuid4())})
            assert _error(r) == (422, "invalid_request"), body[:20]
        for key in (None, "", "with space", "x" * 129, "键"):
            headers = {} if key is None else {"Idempotency-Key": key}
            r = c.post("/api/v1/submissions", json=good, headers={k: v.encode() if k else v for k, v in headers.items()})
            assert _error(r) == (400, "bad_request"), key
    # nothing above was stored: a rejected manifest leaves its key unused
    key = str(uuid.uuid4())
    assert s.submit("unit", dict(good, unit="632522"), key).status_code == 422
    assert s.submit("unit", good, key).status_code == 201
    # a newer client's extra fields are kept as sent
    extra = dict(good, expires_on="2027-01-01")
    sid = s.submit("unit", extra, str(uuid.uuid4())).json()["submission_id"]
    with s.client("unit") as c:
        assert c.get(f"/api/v1/submissions/{sid}").json()["manifest"]["expires_on"] == "2027-01-01"


def _new(s) -> str:
    r = s.submit("unit", s.manifest("unit", _data(), title="贵南县春耕生产有序推进"), str(uuid.uuid4()))
    assert r.status_code == 201, r.text
    return r.json()["submission_id"]


def _review(s, sid, action, reason=None, who="reviewer"):
    with s.client(who) as c:
        return c.post(f"/api/v1/submissions/{sid}/review", json={"action": action, "reason": reason})


@pytest.mark.integration
def test_review_transitions_and_history(exchange_server):
    s = exchange_server
    # received → in_review → published, then withdrawn by the unit (seed 003: expired documents)
    sid = _new(s)
    assert _review(s, sid, "start").json()["state"] == "in_review"
    assert _error(_review(s, sid, "start")) == (409, "invalid_transition")
    assert _review(s, sid, "accept", "已采用", who="admin").json()["state"] == "published"
    assert _error(_review(s, sid, "reject", "晚了")) == (409, "invalid_transition")
    with s.client("unit") as c:
        r = c.post(f"/api/v1/submissions/{sid}/withdraw", json={"reason": "文件已废止"})
        assert (r.json()["state"], r.json()["reason"]) == ("withdrawn", "文件已废止")
        assert _error(c.post(f"/api/v1/submissions/{sid}/withdraw", json={"reason": "again"})) == (409, "invalid_transition")
        detail = c.get(f"/api/v1/submissions/{sid}").json()
    hist = [(h["from"], h["to"], h["by"].split(":")[0], h["reason"]) for h in detail["history"]]
    assert hist == [
        (None, "received", "unit", None),
        ("received", "in_review", "reviewer", None),
        ("in_review", "published", "admin", "已采用"),
        ("published", "withdrawn", "unit", "文件已废止"),
    ]
    assert detail["history"][0]["by"] == "unit:632521"
    # received → rejected needs a reason, which the unit then sees
    sid = _new(s)
    assert _error(_review(s, sid, "reject")) == (422, "reason_required")
    assert _error(_review(s, sid, "reject", "  ")) == (422, "reason_required")
    r = _review(s, sid, "reject", "图片缺少说明")
    assert (r.json()["state"], r.json()["reason"]) == ("rejected", "图片缺少说明")
    with s.client("unit") as c:
        assert c.get(f"/api/v1/submissions/{sid}").json()["reason"] == "图片缺少说明"
        assert _error(c.post(f"/api/v1/submissions/{sid}/withdraw", json={"reason": "x"})) == (409, "invalid_transition")
        assert _error(c.post(f"/api/v1/submissions/{sid}/withdraw", json={"reason": ""})) == (422, "invalid_request")
    # received → published directly
    sid = _new(s)
    assert _review(s, sid, "accept").json()["state"] == "published"
    with s.client("reviewer") as c:
        states = {i["submission_id"]: i["state"] for i in c.get("/api/v1/submissions", params={"unit": "632521", "state": "published", "limit": 1000}).json()["items"]}
        assert states[sid] == "published" and set(states.values()) == {"published"}
        assert _error(c.get("/api/v1/submissions", params={"week": "2026-W54"})) == (422, "invalid_request")
        assert _error(c.get("/api/v1/submissions", params={"week": "26-W1"})) == (422, "invalid_request")
