"""Text from the server never steers the terminal: titles, reasons, ids, file names (issue 11).

A liaison's `status` reads titles and reasons from the server, and a reviewer's `review list/show`
reads titles, file names and captions that units sent.  An ESC sequence (clear the screen, set the
window title, a colour), a bell, a bidi override or Rich markup in any of them must reach the screen
inert: escaped and readable, never interpreted.
"""

from __future__ import annotations

import hashlib

import pytest
from hostile_server import Answer, HostileServer
from push_live import live  # noqa: F401  (the fixture)

from hnsubmit.submission.manifest import canonical_json

pytestmark = pytest.mark.integration
EVIL = "\x1b[2J\x1b]0;pwned\x07[red]红字[/red]\u202e倒序\x9b1m"
STEERING = ("\x1b", "\x07", "\u202e", "\x9b")


def _inert(text: str) -> None:
    for ch in STEERING:
        assert ch not in text, repr(ch)
    assert "[red]红字[/red]" in text  # markup shown as written, not interpreted
    assert "\\x1b[2J" in text


def test_status_list_and_detail_show_server_text_inert(cli, monkeypatch):
    item = {"submission_id": "HN-20261118-7KQ2XM", "received_at": "2026-11-18T02:03:04Z", "manifest_digest": "sha256:" + "a" * 64,
            "unit": "632521", "state": "rejected", "idempotency_key": "k", "title": EVIL, "column": "county-news",
            "category": "meetings", "reason": EVIL, "updated_at": "2026-11-18T02:03:04Z"}
    detail = {**item, "manifest": {"title": EVIL}, "history": [
        {"from": None, "to": "received", "at": "2026-11-18T02:03:04Z", "by": EVIL, "reason": None},
        {"from": "received", "to": EVIL, "at": "2026-11-18T02:03:04Z", "by": "reviewer:t_1", "reason": EVIL}]}
    monkeypatch.setenv("HNSUBMIT_TOKEN", "T" * 43)
    monkeypatch.setenv("COLUMNS", "400")  # no wrapping inside a cell: the escaped text is checked whole
    with HostileServer() as hostile:
        hostile.rule("GET", r"/api/v1/submissions", lambda req: Answer.json(200, {"items": [item], "total": 1}))
        hostile.rule("GET", r"/api/v1/submissions/HN-.*", lambda req: Answer.json(200, detail))
        hostile.rule("GET", r"/api/v1/reports/weekly", lambda req: Answer.json(200, {"week": EVIL, "rows": []}))
        code, out, err = cli("status", "--endpoint", hostile.url)
        assert code == 0, out + err
        _inert(out)
        code, out, err = cli("status", "HN-20261118-7KQ2XM", "--endpoint", hostile.url)
        assert code == 0, out + err
        _inert(out)


def test_review_list_and_show_sanitise_what_a_unit_sent(cli, live, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    data = b"evil body"
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    token = live.unit_token()
    manifest = {
        "manifest_version": 1, "title": "标题" + EVIL, "unit": "632521", "column": "county-news", "category": "meetings",
        "liaison": {"name": "李四" + EVIL, "phone": "0974"}, "approval": {"approver": "王五", "approved_at": "2026-11-17T09:30:00+08:00"},
        "files": [{"path": "正文.docx", "role": "body", "digest": digest, "size": len(data), "caption": "说明" + EVIL}],
    }
    with live.client(token) as c:
        import io

        c.upload_blob(digest, len(data), lambda offset: io.BytesIO(data[offset:]))
        receipt, _ = c.submit(canonical_json(manifest), "hnsubmit-pkg-" + "e" * 64)
    code, out, err = cli("review", "list", "--data", live.data_dir)
    assert code == 0, out + err
    assert receipt["submission_id"] in out
    for ch in STEERING:
        assert ch not in out
    code, out, err = cli("review", "show", receipt["submission_id"], "--data", live.data_dir)
    assert code == 0, out + err
    _inert(out)


def test_whoami_shows_the_unit_name_inert(cli, monkeypatch):
    me = {"role": "unit", "token_id": "t_1", "unit": {"code": "632521", "name": EVIL, "columns": [EVIL]}}
    monkeypatch.setenv("HNSUBMIT_TOKEN", "T" * 43)
    monkeypatch.setenv("COLUMNS", "400")
    with HostileServer() as hostile:
        hostile.rule("GET", r"/api/v1/whoami", lambda req: Answer.json(200, me))
        code, out, err = cli("whoami", "--endpoint", hostile.url)
    assert code == 0, out + err
    _inert(out)
