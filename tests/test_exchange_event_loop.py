"""No storage call runs on the event loop's thread (issue 19): a synchronous SQLite call or file write
made from an async handler stops every other request for its duration (38.6 % of the loop's samples
were such calls with 64 clients pushing).

The real app is driven in-process over httpx's ASGI transport through an upload (two chunks, one above
the write batch), finish, submit, status, the missing-blobs question, an over-long chunk and a cancelled
upload, with the exchange's `storage` and `blobs` replaced by wrappers that record the thread of every
call (and of every write, commit and abort of the appenders the blob store hands out).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading

import anyio
import httpx

from hnsubmit.exchange.app import create_app
from hnsubmit.exchange.auth import issue_token
from hnsubmit.exchange.context import utcnow

UNIT = "632521"


class Recorder:
    """Every method call on `target` is recorded as (name, thread id) before it runs."""

    def __init__(self, target, calls: list, prefix: str) -> None:
        self._target, self._calls, self._prefix = target, calls, prefix

    def __getattr__(self, name):
        value = getattr(self._target, name)
        if not callable(value):
            return value
        calls, label = self._calls, f"{self._prefix}.{name}"

        def recorded(*args, **kwargs):
            calls.append((label, threading.get_ident()))
            out = value(*args, **kwargs)
            if name == "appender":  # the appender's writes are storage calls too
                return Recorder(out, calls, "appender")
            return out

        return recorded


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


async def _cycle(app, token: str) -> tuple[int, list]:
    loop_thread = threading.get_ident()
    headers = {"Authorization": f"Bearer {token}"}
    data = os.urandom((1 << 20) + 300_000)  # the first chunk is above uploads.WRITE_BATCH
    digest = _digest(data)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://exchange", headers=headers) as c:
        r = await c.post("/api/v1/blobs/missing", json={"digests": [digest]})
        assert r.json()["missing"] == [digest]
        r = await c.post("/api/v1/uploads", json={"digest": digest, "size": len(data)})
        assert r.status_code == 201, r.text
        uid = r.json()["upload_id"]
        cut = (1 << 20) + 100_000
        for offset, part in ((0, data[:cut]), (cut, data[cut:])):
            r = await c.patch(f"/api/v1/uploads/{uid}", content=part,
                              headers={"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})
            assert r.status_code == 204, r.text
        r = await c.put(f"/api/v1/uploads/{uid}", params={"digest": digest})
        assert r.status_code == 201, r.text
        manifest = {
            "title": "共和县召开政务公开工作推进会", "unit": UNIT, "column": "county-news", "category": "meetings",
            "liaison": {"name": "李四", "phone": "0974-8512655"},
            "approval": {"approver": "王五", "approved_at": "2026-11-17T09:30:00+08:00"},
            "channels": ["portal"],
            "files": [{"path": "正文.docx", "role": "body", "digest": digest, "size": len(data)}],
        }
        body = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
        r = await c.post("/api/v1/submissions", content=body,
                         headers={"Idempotency-Key": "event-loop-1", "Content-Type": "application/json"})
        assert r.status_code == 201, r.text
        sid = r.json()["submission_id"]
        r = await c.get(f"/api/v1/submissions/{sid}")
        assert r.status_code == 200 and r.json()["state"] == "received"
        r = await c.get("/api/v1/submissions", params={"limit": 20})
        assert [s["submission_id"] for s in r.json()["items"]] == [sid]
        r = await c.post("/api/v1/blobs/missing", json={"digests": [digest]})
        assert r.json()["missing"] == []
        other = os.urandom(1000)
        r = await c.post("/api/v1/uploads", json={"digest": _digest(other), "size": len(other)})
        uid = r.json()["upload_id"]

        async def too_long():  # no Content-Length: refused while streaming, the chunk rolled back (abort)
            yield other
            yield other

        r = await c.patch(f"/api/v1/uploads/{uid}", content=too_long(),
                          headers={"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})
        assert r.status_code == 413, r.text
        r = await c.delete(f"/api/v1/uploads/{uid}")
        assert r.status_code == 204, r.text
    return loop_thread


def test_no_storage_call_on_the_event_loop_thread(tmp_path):
    app = create_app(tmp_path / "data")
    ex = app.state.exchange
    token = issue_token(ex.storage, "unit", UNIT, "信息员", utcnow())[0]
    calls: list[tuple[str, int]] = []
    ex.storage = Recorder(ex.storage, calls, "storage")  # the test hook: the app reads ex.storage per request
    ex.blobs = Recorder(ex.blobs, calls, "blobs")
    try:
        loop_thread = anyio.run(_cycle, app, token)
    finally:
        ex.storage = ex.storage._target
        ex.blobs = ex.blobs._target
        ex.close()
    names = {name for name, _ in calls}
    # the cycle did reach the storage the handlers use, through both kinds of handler
    assert {"storage.add_upload", "storage.set_upload_offset", "storage.add_blob_ref", "storage.finish_upload",
            "storage.add_submission", "storage.list_submissions", "storage.held_sizes", "storage.delete_upload",
            "blobs.appender", "appender.commit", "appender.abort", "blobs.finish", "blobs.discard"} <= names, names
    assert {"appender.write", "appender.write_many"} & names, names  # a batch is written one way or the other
    on_loop = sorted({name for name, thread in calls if thread == loop_thread})
    assert on_loop == [], f"storage calls on the event loop's thread: {on_loop}"
