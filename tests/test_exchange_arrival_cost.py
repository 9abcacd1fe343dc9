"""What the check on arrival costs the server (issue 19, P6), without giving up issue 14's guarantees.

The running server checks files in one long-lived, niced check process instead of a fork of itself per
file, and a file already checked (the same blob under the same name, with the same lists: the forms of
office guides, item after item) reuses its findings. The findings are the same as a child per file
gives; a check that runs out of time, fails or dies still becomes FMT006 and the next file gets a fresh
process; the process ends with the server. Counted (checks, forks, the niceness), never timed.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time
import uuid
from pathlib import Path

import pytest

from exchange.harness import start_server
from factories_proofing import _docx, draft_docx

TITLE = "共和县各单位再接再励做好冬春生产"


@pytest.fixture
def office(tmp_path):
    """A data folder (no server) with a function that stores a submission of the given files."""
    from hnsubmit.exchange.auth import Principal
    from hnsubmit.exchange.context import open_exchange, utcnow
    from hnsubmit.exchange.submissions import submit

    ex = open_exchange(tmp_path / "exchange")
    unit = ex.storage.get_unit("632524")

    def store(files: list[tuple[str, bytes]]) -> str:
        entries = []
        for i, (name, content) in enumerate(files):
            digest = "sha256:" + hashlib.sha256(content).hexdigest()
            ex.storage.add_blob_ref(unit.code, digest, len(content), utcnow())
            folder = tmp_path / "exchange" / "blobs" / "sha256" / digest[7:9]
            folder.mkdir(parents=True, exist_ok=True)
            (folder / digest[7:]).write_bytes(content)
            entries.append({"path": name, "role": "body" if i == 0 else "attachment", "digest": digest, "size": len(content)})
        manifest = {"title": TITLE, "unit": unit.code, "column": "county-news", "category": "development",
                    "liaison": {"name": "赵六", "phone": "0974-8512655"},
                    "approval": {"approver": "钱七", "approved_at": "2026-11-17T09:30:00+08:00"}, "files": entries}
        status, receipt, _ = submit(ex, Principal("unit", "t_x", unit), str(uuid.uuid4()), json.dumps(manifest).encode(),
                                    utcnow())
        assert status == 201
        return receipt["submission_id"]

    yield ex, store
    ex.close()


def _pairs(record, path: str) -> set[tuple[str, str]]:
    body = json.loads(record.result_json)
    return {(f["code"], f["args"].get("wrong", "")) for f in body["findings"] if f["path"] == path}


def test_a_form_already_checked_is_not_checked_again(office, tmp_path):
    from hnsubmit.exchange import proofing
    from hnsubmit.exchange.findings import check_now, lists_digest

    ex, store = office
    form = draft_docx(tmp_path / "表格.docx").read_bytes()
    first = store([("正文.docx", _docx(tmp_path / "一.docx", ["第一份正文。"]).read_bytes()), ("表格/申请书.docx", form)])
    second = store([("正文.docx", _docx(tmp_path / "二.docx", ["第二份正文。"]).read_bytes()), ("表格/申请书.docx", form)])
    renamed = store([("正文.docx", _docx(tmp_path / "三.docx", ["第三份正文。"]).read_bytes()), ("表格/另一份.docx", form)])
    known, lists = proofing.KnownFiles(), lists_digest(ex.policy)
    counts = []
    for sid in (first, second, renamed):
        before = proofing.CHECKED[0]
        record = check_now(ex, sid, ex.policy, lists=lists, known=known)
        counts.append(proofing.CHECKED[0] - before)
        assert record.state == "done"
    # the second item's form is the first one's blob under the same name: its findings are reused;
    # under another name it is checked again (the name is in every finding, its extension is checked)
    assert counts == [2, 1, 2]
    assert known.reused == 1
    form_findings = [[f for f in json.loads(ex.storage.get_findings(sid).result_json)["findings"]
                      if f["path"] == "表格/申请书.docx"] for sid in (first, second)]
    assert form_findings[0] == form_findings[1]
    assert ("PRF001", "再接再励") in _pairs(ex.storage.get_findings(second), "表格/申请书.docx")
    # other lists: nothing is reused
    before = proofing.CHECKED[0]
    check_now(ex, second, ex.policy, lists="sha256:other", known=known)
    assert proofing.CHECKED[0] - before == 2


def test_reused_findings_keep_the_cap_and_the_count_past_it(office, tmp_path):
    from hnsubmit.exchange import proofing
    from hnsubmit.exchange.proofing import MAX_PER_FILE, proofread

    ex, store = office
    many = _docx(tmp_path / "多.docx", ["各单位再接再励。" * 50] * 6).read_bytes()  # 300 hits in one file
    sid = store([("正文.docx", many)])
    detail = {"manifest": json.loads(ex.storage.get_submission(sid).manifest_json)}
    known = proofing.KnownFiles()
    fresh, reused = (proofread(ex, detail, ex.policy, known=known, lists="l") for _ in range(2))
    assert known.reused == 1
    assert [f for f in reused.findings if f.path == "正文.docx"] == [f for f in fresh.findings if f.path == "正文.docx"]
    assert len([f for f in reused.findings if f.path == "正文.docx"]) == MAX_PER_FILE
    assert reused.omitted == fresh.omitted == {"正文.docx": 300 - MAX_PER_FILE}


def _niceness(pid: int = 0) -> int:
    return os.getpriority(os.PRIO_PROCESS, pid)


def test_the_files_of_many_items_are_checked_in_one_niced_process(office, tmp_path):
    from hnsubmit.exchange import proofing
    from hnsubmit.exchange.proofing import NICE, CheckProcess, proofread

    ex, store = office
    sids = [store([(f"正文{i}.docx", _docx(tmp_path / f"{i}.docx", [f"第{i}份:各单位再接再励。"]).read_bytes()),
                   ("表格/申请书.docx", draft_docx(tmp_path / "表格.docx").read_bytes())]) for i in range(3)]
    details = [{"manifest": json.loads(ex.storage.get_submission(sid).manifest_json)} for sid in sids]
    process = CheckProcess(ex.policy)
    try:
        forks = proofing.FORKS[0]
        shared = [proofread(ex, d, ex.policy, process=process) for d in details]
        assert proofing.FORKS[0] - forks == 1  # six files, one process
        assert process.files == 6
        assert _niceness(process.pid) == min(19, _niceness() + NICE)
    finally:
        process.close()
    forks = proofing.FORKS[0]
    alone = [proofread(ex, d, ex.policy) for d in details]  # a child per file, as where no server runs
    assert proofing.FORKS[0] - forks == 6
    assert [r.findings for r in shared] == [r.findings for r in alone]
    assert ("PRF001", "再接再励") in {(f.code, f.args.get("wrong")) for f in shared[2].findings if f.path == "正文2.docx"}
    # a child of its own runs niced too
    assert proofing._isolated(_niceness, (), 30) == min(19, _niceness() + NICE)


def test_a_check_process_that_fails_runs_out_of_time_or_dies_is_replaced(office, tmp_path):
    from hnsubmit.exchange import proofing
    from hnsubmit.exchange.proofing import CheckerStopped, CheckProcess

    ex, _store = office
    process = CheckProcess(ex.policy, recycle_after=3)
    try:
        first = process.run(os.getpid, (), 30)
        assert process.run(os.getpid, (), 30) == first  # the same process answers
        with pytest.raises(CheckerStopped, match="^ValueError$"):
            process.run(int, ("not a number",), 30)
        second = process.run(os.getpid, (), 30)
        assert second != first  # a process whose checker failed is not used again
        with pytest.raises(CheckerStopped, match="^TimeoutError"):  # str(): the English text
            process.run(time.sleep, (30,), 0.2)
        third = process.run(os.getpid, (), 30)
        assert third not in (first, second)
        with pytest.raises(CheckerStopped, match=r"ended \(3\)"):
            process.run(os._exit, (3,), 30)
        fourth = process.run(os.getpid, (), 30)
        os.kill(fourth, signal.SIGKILL)  # dies while idle (the memory limit, an operator)
        deadline = time.monotonic() + 30
        while _alive(fourth) and time.monotonic() < deadline:
            time.sleep(0.05)
        fifth = process.run(os.getpid, (), 30)
        assert fifth != fourth
        forks = proofing.FORKS[0]
        assert [process.run(os.getpid, (), 30) for _ in range(4)][:2] == [fifth, fifth]
        assert proofing.FORKS[0] - forks == 1  # after recycle_after calls a fresh process takes over
    finally:
        process.close()


def _check_children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                head, _, tail = Path(f"/proc/{entry}/stat").read_text().rpartition(")")
            except OSError:
                continue
            if int(tail.split()[1]) == pid and head.partition("(")[2] == "hnsubmit-check":
                out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_check_process_ends_with_a_killed_server(tmp_path):
    server = start_server(tmp_path / "data")
    try:
        body = draft_docx(tmp_path / "稿件.docx").read_bytes()
        manifest = server.manifest("unit", body, title=TITLE)
        assert server.submit("unit", manifest, str(uuid.uuid4())).status_code == 201
        deadline = time.monotonic() + 60
        while not (children := _check_children(server.proc.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(children) == 1  # the long-lived check process, still there after the check
        server.stop(kill=True)
        deadline = time.monotonic() + 30
        while _alive(children[0]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(children[0])  # it saw its server gone and ended: no orphan holds the port
    finally:
        server.stop()


class _Recorder:
    """Every method call on `target` recorded as (name, args, thread name) before it runs."""

    def __init__(self, target, calls: list) -> None:
        self._target, self._calls = target, calls

    def __getattr__(self, name):
        import threading

        value = getattr(self._target, name)
        if not callable(value):
            return value

        def recorded(*args, **kwargs):
            self._calls.append((name, args, threading.current_thread().name))
            return value(*args, **kwargs)

        return recorded


def test_a_receipt_and_its_pending_check_are_one_write_and_the_role_gates_no_thread(tmp_path):
    """One write transaction per receipt (the check's pending record rides along), and the dependencies
    that do no I/O are coroutines: FastAPI hands a plain `def` dependency to a worker thread."""
    import inspect

    import anyio
    import httpx

    from hnsubmit.exchange.api import deps
    from hnsubmit.exchange.app import create_app
    from hnsubmit.exchange.auth import issue_token
    from hnsubmit.exchange.context import utcnow

    for gate in (deps.exchange, deps.unit_role, deps.approver_role, deps.office_role, deps.admin_role):
        assert inspect.iscoroutinefunction(gate), gate.__name__
    app = create_app(tmp_path / "data")
    ex = app.state.exchange
    token = issue_token(ex.storage, "unit", "632521", "信息员", utcnow())[0]
    body = draft_docx(tmp_path / "稿件.docx").read_bytes()
    digest = "sha256:" + hashlib.sha256(body).hexdigest()
    calls: list = []

    async def push() -> str:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://exchange",
                                     headers={"Authorization": f"Bearer {token}"}) as c:
            uid = (await c.post("/api/v1/uploads", json={"digest": digest, "size": len(body)})).json()["upload_id"]
            await c.patch(f"/api/v1/uploads/{uid}", content=body, headers={"Upload-Offset": "0"})
            assert (await c.put(f"/api/v1/uploads/{uid}", params={"digest": digest})).status_code == 201
            manifest = {"title": TITLE, "unit": "632521", "column": "county-news", "category": "meetings",
                        "liaison": {"name": "李四", "phone": "0974-8512655"},
                        "approval": {"approver": "王五", "approved_at": "2026-11-17T09:30:00+08:00"},
                        "files": [{"path": "正文.docx", "role": "body", "digest": digest, "size": len(body)}]}
            ex.storage = _Recorder(ex.storage, calls)
            r = await c.post("/api/v1/submissions", content=json.dumps(manifest).encode(),
                             headers={"Idempotency-Key": "cost-1", "Content-Type": "application/json"})
            assert r.status_code == 201, r.text
            return r.json()["submission_id"]

    try:
        sid = anyio.run(push)
        deadline = time.monotonic() + 60
        while ex.storage.get_findings(sid).state == "pending" and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        ex.storage = ex.storage._target
        app.state.arrival.close()
        ex.close()
    writes = [(name, args) for name, args, thread in calls if not thread.startswith("hnsubmit-arrival")
              and name in ("add_submission", "put_findings", "transition", "update_token")]
    assert [name for name, _ in writes] == ["add_submission"]
    record = writes[0][1][2]
    assert (record.submission_id, record.state, record.origin) == (sid, "pending", "arrival")
    # the check itself ran (in the worker) and stored its findings over the pending record
    assert [args[0].state for name, args, thread in calls if name == "put_findings"] == ["done"]
