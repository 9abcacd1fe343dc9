"""A network failure is said in words in the reader's language, never by the name of an exception class."""

from __future__ import annotations

import shutil
import socket
import threading

import pytest

from conftest import EXAMPLES

MEETING = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"


@pytest.fixture
def hang_up_server():
    """A listener on 127.0.0.1 that accepts each connection and closes it without a byte of answer."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    stop = threading.Event()

    def loop():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            conn.recv(65536)
            conn.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.getsockname()[1]}"
    stop.set()
    thread.join(2)
    srv.close()


@pytest.mark.parametrize("lang,words,foreign", [
    ("zh", "无法连接交换接口", "broke off"),
    ("zh", "应答传输中途连接中断", "could not be reached"),
    ("en", "the connection broke off", "连接中断"),
])
def test_a_server_that_hangs_up_is_reported_in_words(cli, hang_up_server, monkeypatch, tmp_path, lang, words, foreign):
    monkeypatch.setenv("HNSUBMIT_TOKEN", "abcdefghijklmnopqrstuvwx")
    folder = tmp_path / "meeting"
    shutil.copytree(MEETING, folder)
    code, out, err = cli("--lang", lang, "push", folder, "--endpoint", hang_up_server, "--retries", "2")
    text = out + err
    assert code == 5, text
    assert words in text and foreign not in text, text
    assert "ProtocolError" not in text and "ConnectError" not in text and "Unreachable" not in text, text


def test_every_transport_problem_has_a_chinese_phrase():
    from hnsubmit.client.transport import TRANSPORT_PROBLEMS
    from hnsubmit.i18n import _, set_lang

    set_lang("zh")
    try:
        for msgid in set(TRANSPORT_PROBLEMS.values()):
            assert _(msgid) != msgid, msgid
    finally:
        set_lang(None)
