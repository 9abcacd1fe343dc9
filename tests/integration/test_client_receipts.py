"""An item leaves the outbox only on a receipt the client verified and read back (issue 11).

Each test pushes a real submission through a hostile server of its own on 127.0.0.1 that forwards
everything to the real exchange except the one answer it forges: the submit's receipt, or the
read-back of the submission.  The push must exit 6, say in Chinese that the receipt was not
accepted, and keep the item in the outbox; an honest answer through the same server still goes.
"""

from __future__ import annotations

import pytest
from hostile_server import Answer, HostileServer
from push_live import live  # noqa: F401  (the fixture)
from test_push_e2e import MEETING, copy_submission

from hnsubmit.client.outbox import Outbox

pytestmark = pytest.mark.integration
SUBMIT = r"/api/v1/submissions"
READ = r"/api/v1/submissions/HN-[^/]+"


def _changed(**fields):
    """A rule: forward the submit to the real exchange, then change (None: drop) fields of its receipt."""
    def rule(req):
        answer = req.forward()
        data = answer.data()
        for key, value in fields.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        return Answer.json(answer.status, data)
    return rule


FORGED = {
    "201 {}": (SUBMIT, lambda req: Answer.json(201, {})),
    "no manifest_digest": (SUBMIT, _changed(manifest_digest=None)),
    "another unit": (SUBMIT, _changed(unit="632522")),
    "another idempotency key": (SUBMIT, _changed(idempotency_key="hnsubmit-pkg-" + "0" * 64)),
    "a read-back that disagrees": (READ, lambda req: _readback_other_title(req)),
}


def _readback_other_title(req):
    answer = req.forward()
    data = answer.data()
    data["manifest"]["title"] = "别的标题"
    return Answer.json(answer.status, data)


@pytest.mark.parametrize("case", sorted(FORGED))
def test_an_unverified_receipt_keeps_the_item(case, cli, live, tmp_path, monkeypatch):
    token = live.unit_token()
    monkeypatch.setenv("HNSUBMIT_TOKEN", token.reveal())
    folder = copy_submission(MEETING, tmp_path / "m", "伪造回执-" + case)
    path, rule = FORGED[case]
    with HostileServer(live.url) as hostile:
        hostile.rule("POST" if path == SUBMIT else "GET", path, rule)
        code, out, err = cli("push", folder, "--endpoint", hostile.url, "--quiet", "--retries", "1")
    assert code == 6, out + err
    [item] = Outbox().list()
    assert item.state == "failed" and item.receipt is None
    assert "回执未通过核验" in out + err and "发件箱" in out + err
    assert "Internal error" not in out + err and "Traceback" not in out + err


def test_an_honest_answer_through_the_same_server_is_sent_and_read_back(cli, live, tmp_path, monkeypatch):
    token = live.unit_token()
    monkeypatch.setenv("HNSUBMIT_TOKEN", token.reveal())
    folder = copy_submission(MEETING, tmp_path / "m", "诚实回执")
    with HostileServer(live.url) as hostile:
        code, out, err = cli("push", folder, "--endpoint", hostile.url, "--quiet")
        [item] = Outbox().list()
        assert code == 0, out + err
        assert item.state == "sent"
        # the receipt was read back by its id before the item left the outbox
        assert [r.path for r in hostile.seen("GET", READ)] == [f"/api/v1/submissions/{item.receipt['submission_id']}"]


def test_a_forged_receipt_is_sent_again_by_outbox_retry_once_the_server_is_honest(cli, live, tmp_path, monkeypatch):
    token = live.unit_token()
    monkeypatch.setenv("HNSUBMIT_TOKEN", token.reveal())
    folder = copy_submission(MEETING, tmp_path / "m", "伪造后重发")
    with HostileServer(live.url) as hostile:
        hostile.rule("POST", SUBMIT, lambda req: Answer.json(201, {}))
        code, out, err = cli("push", folder, "--endpoint", hostile.url, "--quiet", "--retries", "1")
        assert code == 6, out + err
        hostile.rules.clear()
        code, out, err = cli("outbox", "retry", "--quiet")
    assert code == 0, out + err
    [item] = Outbox().list()
    assert item.state == "sent" and item.receipt["submission_id"].startswith("HN-")


# the other fields, checked by the same functions push calls (no server needed to show each one counts)
RECEIPT = {"submission_id": "HN-20261118-7KQ2XM", "received_at": "2026-11-18T02:03:04.123456Z",
           "manifest_digest": "sha256:" + "a" * 64, "unit": "632521", "state": "received",
           "idempotency_key": "hnsubmit-pkg-" + "b" * 64}


@pytest.mark.parametrize("field, value", [
    ("submission_id", "../../whoami"), ("submission_id", "HN-20261118-7KQ2X"), ("submission_id", 17),
    ("state", "sent"), ("state", None), ("received_at", "2999-01-01T00:00:00Z"), ("received_at", "yesterday"),
    ("received_at", None), ("unit", None), ("idempotency_key", None),
])
def test_every_receipt_field_is_checked(field, value):
    from hnsubmit.client.receipts import ReceiptRejected, verify_receipt

    good = dict(RECEIPT)
    assert verify_receipt(good, unit="632521", key=good["idempotency_key"], manifest_digest=good["manifest_digest"]) == good
    bad = {**RECEIPT, field: value}
    with pytest.raises(ReceiptRejected) as exc:
        verify_receipt(bad, unit="632521", key=good["idempotency_key"], manifest_digest=good["manifest_digest"])
    assert exc.value.exit_code == 6 and exc.value.field == field


def test_a_read_back_must_match_the_receipt_and_the_manifest():
    from hnsubmit.client.receipts import ReceiptRejected, verify_readback

    manifest = {"title": "标题", "files": []}
    stored = {**RECEIPT, "state": "in_review", "manifest": manifest}
    verify_readback(RECEIPT, stored, manifest)  # a reviewer may have moved it on: the state may differ
    for field, value in (("idempotency_key", "x"), ("unit", "632522"), ("received_at", "2026-11-18T02:03:05Z"),
                         ("manifest", {"title": "别的"}), ("state", "lost")):
        with pytest.raises(ReceiptRejected):
            verify_readback(RECEIPT, {**stored, field: value}, manifest)
    with pytest.raises(ReceiptRejected):
        verify_readback(RECEIPT, ["not", "an", "object"], manifest)


def test_storage_full_on_submit_keeps_the_item_and_says_so(cli, live, tmp_path, monkeypatch):
    token = live.unit_token()
    monkeypatch.setenv("HNSUBMIT_TOKEN", token.reveal())
    folder = copy_submission(MEETING, tmp_path / "m", "存储已满")
    full = {"error": {"code": "insufficient_storage", "message": {"zh": "磁盘已满", "en": "disk full"}, "details": {}}}
    with HostileServer(live.url) as hostile:
        hostile.rule("POST", SUBMIT, lambda req: Answer.json(507, full))
        code, out, err = cli("push", folder, "--endpoint", hostile.url, "--quiet")
        assert len(hostile.seen("POST", SUBMIT)) == 1  # not retried
    assert code == 5, out + err
    assert "服务器存储空间不足" in out + err
    [item] = Outbox().list()
    assert item.state == "failed"
