"""The server checks each submission on arrival and stores what it found (issue 14).

Against the real server (`hnsubmit serve` on 127.0.0.1) with the office's policy and lists: an item
posted straight over the protocol — a unit that never ran `check` — with a Word body saying 再接再励
and a leader under the wrong title gets stored PRF findings, readable through the API by the office
and the owning unit only, printed by `review show`, and still there after a restart; a file that
makes a checker fail becomes a finding; an item stored before the server checked on arrival is
checked when first opened, and says so.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid

import pytest

from exchange.harness import start_server
from factories_proofing import DRAFT_EXPECTED, LEADERS_CSV_FULL, draft_docx

TITLE = "共和县各单位再接再励做好冬春生产"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("arrival")
    (folder / "领导名单.csv").write_text(LEADERS_CSV_FULL, encoding="utf-8")
    policy = folder / "office.policy.toml"
    policy.write_text('[proofing]\nleaders = "领导名单.csv"\n', encoding="utf-8")
    server = start_server(folder / "data", policy_file=policy)
    yield server
    server.stop()
    assert "Traceback" not in server.log()


def _post(s, files: list[tuple[str, bytes]], title: str = TITLE) -> str:
    manifest = s.manifest("unit", files[0][1], title=title)
    manifest["files"] = [{"path": name, "role": "body" if i == 0 else "attachment", "digest": s.upload("unit", data),
                          "size": len(data)} for i, (name, data) in enumerate(files)]
    r = s.submit("unit", manifest, str(uuid.uuid4()))
    assert r.status_code == 201, r.text
    return r.json()["submission_id"]


def _findings(s, sid: str, who: str = "reviewer") -> dict:
    """The stored findings once the server's check has run (it runs after the receipt, in its own thread)."""
    deadline = time.monotonic() + 120
    while True:
        with s.client(who) as c:
            r = c.get(f"/api/v1/submissions/{sid}/findings")
        assert r.status_code == 200, r.text
        if r.json()["state"] != "pending" or time.monotonic() > deadline:
            return r.json()
        time.sleep(0.1)


def _pairs(record: dict, path: str) -> set[tuple[str, str]]:
    return {(f["code"], f["args"].get("wrong", "")) for f in record["findings"] if f["path"] == path}


def test_findings_are_stored_on_arrival_and_served_to_the_office_and_the_unit(office, tmp_path):
    body = draft_docx(tmp_path / "稿件.docx").read_bytes()
    sid = _post(office, [("正文.docx", body)])
    record = _findings(office, sid)
    assert (record["state"], record["origin"], record["error"]) == ("done", "arrival", None)
    assert _pairs(record, "正文.docx") == DRAFT_EXPECTED  # PRF007 李四州长 and PRF008 王小名 need the office's leaders list
    assert ("PRF001", "再接再励") in _pairs(record, "submission")  # the title
    assert record["lists"].startswith("sha256:") and record["checked_at"]
    wrong_title = next(f for f in record["findings"] if f["code"] == "PRF007")
    assert wrong_title["args"]["suggestion"] == "李四副州长" and wrong_title["location"]
    with office.client("unit") as c:  # the owning unit reads the same
        assert c.get(f"/api/v1/submissions/{sid}/findings").json() == record
    with office.client("unit_b") as c, office.client() as anonymous:
        other = c.get(f"/api/v1/submissions/{sid}/findings")
        missing = c.get("/api/v1/submissions/HN-20000101-ZZZZZZ/findings")
        assert (other.status_code, other.json()) == (missing.status_code, missing.json()) == (404, missing.json())
        assert anonymous.get(f"/api/v1/submissions/{sid}/findings").status_code == 401


def test_review_show_prints_the_stored_findings_and_they_survive_a_restart(office, tmp_path, cli):
    sid = _post(office, [("正文.docx", draft_docx(tmp_path / "稿件.docx").read_bytes())])
    before = _findings(office, sid)
    code, out, err = cli("--lang", "en", "review", "show", sid, "--data", office.data_dir, env={"COLUMNS": "250"})
    assert code == 0, err
    section = out[out.index("proofreading (PRF):"):]
    for code_, wrong in (("PRF001", "再接再励"), ("PRF007", "李四州长"), ("PRF008", "王小名")):
        assert any(line.strip().startswith(f"{code_} 正文.docx:") and wrong in line for line in section.splitlines()), (code_, section)
    # the reviewer gave no leaders list here: the findings printed are the server's, made with the office's
    assert "checked when first opened" not in out
    office.restart(kill=False)
    assert _findings(office, sid) == before  # read back, not checked again (checked_at unchanged)


def test_a_file_that_makes_a_checker_fail_becomes_a_finding(office, tmp_path):
    # a name the protocol allows (255 characters at most) but no file system holds as one name (765 bytes)
    hostile = "附件" * 125 + ".docx"
    body = draft_docx(tmp_path / "稿件.docx").read_bytes()
    sid = _post(office, [("正文.docx", body), (hostile, body[:-7] + b"garbage")])
    record = _findings(office, sid)
    assert record["state"] == "done"
    crash = [f for f in record["findings"] if f["path"] == hostile]
    assert [(f["code"], f["args"]["error"]) for f in crash] == [("FMT006", "OSError")]
    assert _pairs(record, "正文.docx") == DRAFT_EXPECTED  # the other file is checked as usual
    assert "Traceback" not in office.log()


def test_findings_are_capped_per_file(office, tmp_path):
    from factories_proofing import _docx

    many = _docx(tmp_path / "多.docx", ["各单位再接再励。" * 50] * 6)  # 300 hits in one file
    sid = _post(office, [("正文.docx", many.read_bytes())])
    record = _findings(office, sid)
    from hnsubmit.exchange.proofing import MAX_PER_FILE

    assert len([f for f in record["findings"] if f["path"] == "正文.docx"]) == MAX_PER_FILE
    assert record["omitted"] == {"正文.docx": 300 - MAX_PER_FILE}


@pytest.fixture
def stored_before(tmp_path):
    """A submission stored as a server before this change stored it: no findings record."""
    from hnsubmit.exchange.auth import Principal
    from hnsubmit.exchange.context import open_exchange, utcnow
    from hnsubmit.exchange.submissions import submit

    data = tmp_path / "exchange"
    content = draft_docx(tmp_path / "稿件.docx").read_bytes()
    digest = "sha256:" + hashlib.sha256(content).hexdigest()
    ex = open_exchange(data)
    try:
        unit = ex.storage.get_unit("632524")
        ex.storage.add_blob_ref(unit.code, digest, len(content), utcnow())
        folder = data / "blobs" / "sha256" / digest[7:9]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / digest[7:]).write_bytes(content)
        manifest = {"title": TITLE, "unit": unit.code, "column": "county-news", "category": "development",
                    "liaison": {"name": "赵六", "phone": "0974-8512655"},
                    "approval": {"approver": "钱七", "approved_at": "2026-11-17T09:30:00+08:00"},
                    "files": [{"path": "正文.docx", "role": "body", "digest": digest, "size": len(content)}]}
        status, receipt, _ = submit(ex, Principal("unit", "t_x", unit), "k-before", json.dumps(manifest).encode(), utcnow())
        assert status == 201 and ex.storage.get_findings(receipt["submission_id"]) is None
    finally:
        ex.close()
    return data, receipt["submission_id"]


def test_an_item_stored_before_is_checked_when_first_opened_and_says_so(stored_before, cli, tmp_path):
    data, sid = stored_before
    (tmp_path / "领导.csv").write_text(LEADERS_CSV_FULL, encoding="utf-8")
    code, out, err = cli("--lang", "en", "review", "show", sid, "--data", data, "--leaders", tmp_path / "领导.csv",
                         env={"COLUMNS": "250"})
    assert code == 0, err
    assert "checked when first opened" in out and "PRF007" in out
    from hnsubmit.exchange.context import open_exchange

    ex = open_exchange(data, create=False)
    try:
        record = ex.storage.get_findings(sid)
        assert (record.state, record.origin) == ("done", "opened")
    finally:
        ex.close()


def test_the_server_checks_an_item_stored_before_when_it_is_asked_for(stored_before):
    data, sid = stored_before
    server = start_server(data)
    try:
        server.units["unit"] = "632524"
        record = _findings(server, sid)
        assert (record["state"], record["origin"]) == ("done", "opened")
        assert ("PRF001", "再接再励") in _pairs(record, "正文.docx")
    finally:
        server.stop()


def test_asked_for_right_after_its_receipt_an_item_is_pending_on_arrival(office, tmp_path):
    """The check is queued after the receipt is sent; a reader asking at once sees it pending (or done),
    as an arrival, and it is checked once: never taken for an item stored before."""
    sid = _post(office, [("正文.docx", draft_docx(tmp_path / "稿件.docx").read_bytes())])
    with office.client("reviewer") as c:
        first = c.get(f"/api/v1/submissions/{sid}/findings").json()
    assert (first["state"] in ("pending", "done"), first["origin"]) == (True, "arrival")
    assert _findings(office, sid)["origin"] == "arrival"


def test_an_office_that_turned_proofreading_off_gets_no_findings(stored_before):
    from hnsubmit.exchange.context import open_exchange
    from hnsubmit.exchange.findings import check_now, record_out
    from hnsubmit.policy.model import policy_from_dict

    data, sid = stored_before
    ex = open_exchange(data, create=False)
    try:
        off = record_out(check_now(ex, sid, policy_from_dict({"proofing": {"check": False}}, "office.toml")))
        on = record_out(check_now(ex, sid, ex.policy))
    finally:
        ex.close()
    assert (off["state"], off["findings"]) == ("done", [])
    assert on["state"] == "done" and ("PRF001", "再接再励") in _pairs(on, "正文.docx")


def test_a_file_whose_check_takes_too_long_is_stopped_and_becomes_a_finding(stored_before):
    import json as _json

    from hnsubmit.exchange.context import open_exchange
    from hnsubmit.exchange.proofing import proofread

    data, sid = stored_before
    ex = open_exchange(data, create=False)
    try:
        detail = {"manifest": _json.loads(ex.storage.get_submission(sid).manifest_json)}
        stopped = proofread(ex, detail, ex.policy, seconds=0)  # no time at all: the child is stopped
        again = proofread(ex, detail, ex.policy)  # and the next check is whole
    finally:
        ex.close()
    crash = [f for f in stopped.findings if f.path == "正文.docx"]
    assert [(f.code, f.args["error"]["en"].split(":")[0]) for f in crash] == [("FMT006", "TimeoutError")]
    # what the reader sees, in each language: no English inside the Chinese message
    from hnsubmit.exchange.findings import finding_out
    from hnsubmit.rules.registry import get_rule

    served = _json.loads(_json.dumps(finding_out(crash[0])))  # as stored and served
    zh = get_rule("FMT006").render("message", "zh", served["args"])
    assert "超过 0 秒未查完,已停止" in zh and "Timeout" not in zh, zh
    assert "TimeoutError: more than 0 s" in get_rule("FMT006").render("message", "en", served["args"])
    assert ("PRF001", "再接再励") in {(f.code, f.args.get("wrong")) for f in stopped.findings if f.path == "submission"}
    assert ("PRF001", "再接再励") in {(f.code, f.args.get("wrong")) for f in again.findings if f.path == "正文.docx"}


def test_a_check_that_cannot_run_is_stored_as_failed_without_the_servers_paths(stored_before):
    from hnsubmit.exchange.context import open_exchange
    from hnsubmit.exchange.findings import check_now, record_out
    from hnsubmit.policy.model import policy_from_dict

    data, sid = stored_before
    lost = policy_from_dict({"proofing": {"leaders": "/srv/office/领导名单.csv"}}, "/srv/office/office.toml")  # not there
    ex = open_exchange(data, create=False)
    try:
        record = record_out(check_now(ex, sid, lost))
    finally:
        ex.close()
    assert (record["state"], record["findings"]) == ("failed", [])
    assert record["error"] and "/srv" not in record["error"] and "领导名单" not in record["error"]
