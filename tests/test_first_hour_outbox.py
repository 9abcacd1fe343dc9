"""Issue 12, item 6: the outbox shows where an item goes, moves it with `retry --endpoint`, keeps one entry per
package, fails at once on an endpoint where nothing listens, hints at `outbox drop`, and speaks Chinese."""

from __future__ import annotations

import json
import shutil
import socket

import pytest

from conftest import EXAMPLES
from hnsubmit.client.outbox import Outbox, error_record
from hnsubmit.errors import NetworkError

MEETING = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"


def dead_endpoint() -> str:
    """An address on 127.0.0.1 where nothing listens (a port just freed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _package(tmp_path, name="pkg.zip", payload=b"PK\x05\x06" + b"\0" * 18):
    path = tmp_path / name
    path.write_bytes(payload)
    return path


def test_list_shows_endpoint_state_and_error_in_chinese_and_hints_at_drop(cli, tmp_path):
    dead = dead_endpoint()
    box = Outbox()
    item, _ = box.add(_package(tmp_path), dead, "632521", source="今日信息")
    box.mark_failed(item.id, error_record(NetworkError(
        "The exchange at {endpoint} could not be reached ({problem}).", endpoint=dead, problem="ConnectionRefusedError")))
    code, out, err = cli("outbox", "list")
    assert code == 0, err
    assert dead in out and "失败" in out and "failed" not in out
    assert "无法连接" in out and "could not" not in out  # the cell wraps at 80 columns
    assert f"hnsubmit outbox drop {item.id}" in out and "--endpoint" in out
    code, out, err = cli("outbox", "list", "--format", "json")
    assert json.loads(out)[0]["last_error"] == f"无法连接交换接口 {dead}(ConnectionRefusedError)。"
    code, out, err = cli("--lang", "en", "outbox", "list", "--format", "json")
    assert json.loads(out)[0]["last_error"] == f"The exchange at {dead} could not be reached (ConnectionRefusedError)."


def test_same_package_for_another_endpoint_is_one_entry_that_moves(tmp_path):
    box = Outbox()
    first, created = box.add(_package(tmp_path), "http://127.0.0.1:1", "632521")
    box.mark_failed(first.id, "unreachable")
    again, created = box.add(_package(tmp_path), "http://127.0.0.1:2", "632521")
    assert not created and again.id == first.id
    [only] = box.pending()
    assert only.endpoint == "http://127.0.0.1:2" and only.state == "queued" and only.uploads == {}


def test_retry_on_an_endpoint_where_nothing_listens_fails_at_once(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("HNSUBMIT_TOKEN", "abcdefghijklmnopqrstuvwx")
    box = Outbox()
    item, _ = box.add(_package(tmp_path), dead_endpoint(), "632521")
    code, out, err = cli("-v", "outbox", "retry", "--quiet")
    assert code == 5, out + err
    # at once: not one retry (with -v each is said), rather than a time that a loaded machine breaks
    assert "秒后重试" not in out + err and "次重试" not in out + err, out + err
    assert box.get(item.id).state == "failed"
    assert "hnsubmit outbox drop" in out
    from hnsubmit.i18n import _  # why, in Chinese, when listed later

    assert "没有服务在运行" in box.get(item.id).error_text(_)


def test_retry_endpoint_moves_a_stuck_item_to_the_right_server(cli, exchange_server, tmp_path, monkeypatch):
    monkeypatch.setenv("HNSUBMIT_TOKEN", exchange_server.tokens["unit"])
    folder = tmp_path / "meeting"
    shutil.copytree(MEETING, folder)
    toml = folder / "submission.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("生产工作会议\"", "生产工作会议(改址)\"", 1), encoding="utf-8")
    dead = dead_endpoint()
    code, out, err = cli("push", folder, "--endpoint", dead, "--quiet")
    assert code == 5, out + err
    code, out, err = cli("push", folder, "--endpoint", dead_endpoint(), "--quiet")  # pushed twice, wrongly
    assert code == 5, out + err
    [stuck] = Outbox().pending()  # one entry per package
    code, out, err = cli("outbox", "retry", "--endpoint", exchange_server.url, "--quiet")
    assert code == 0, out + err
    [item] = Outbox().list()
    assert item.state == "sent" and item.endpoint == exchange_server.url and item.id == stuck.id
    assert item.receipt["submission_id"] in out
