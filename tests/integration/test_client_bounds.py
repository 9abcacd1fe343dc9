"""What a hostile or broken server can make the client do, bounded (issue 11, client side).

Each server here is a small real HTTP server of the test's own on 127.0.0.1 (hostile_server.py): a
10 GB answer, a one-byte-a-second drip, redirects to another origin, HTML pages, JSON that is not an
object, control characters in its messages, 503/507, and a Retry-After of a day.  The client must
answer each with a clear error and the right exit code (never 70), read at most a few MiB, keep to
its deadline, never send the token elsewhere and never let an ESC reach the terminal.
"""

from __future__ import annotations

import resource
import time

import pytest
from hostile_server import Answer, HostileServer, zeros

from hnsubmit.client.api import BadAnswer, Bounds, ExchangeClient, RetryPolicy
from hnsubmit.client.credentials import Secret
from hnsubmit.errors import NetworkError, UsageError

pytestmark = pytest.mark.integration
TOKEN = "T" * 43
ONCE = RetryPolicy(attempts=1, timeout=10)
WHOAMI = r"/api/v1/whoami"
ME = {"role": "unit", "token_id": "t_1", "unit": {"code": "632521", "name": "共和县"}, "server": {"api": "v1"}}


def _rss_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("declared", [True, False], ids=["content-length 10 GB", "chunked"])
def test_a_huge_answer_is_cut_off_and_the_client_does_not_grow(declared):
    total = 400 << 20  # the server would go on to 10 GB; 400 MB is enough to see growth (and quick to refuse)
    headers = {"Content-Type": "application/json"}
    if declared:
        headers["Content-Length"] = str(10 << 30)
    with HostileServer() as hostile:
        hostile.rule("GET", WHOAMI, lambda req: Answer(200, zeros(total), headers))
        before = _rss_peak_mb()
        started = time.monotonic()
        with ExchangeClient(hostile.url, Secret(TOKEN), retry=ONCE) as client:
            with pytest.raises(BadAnswer) as exc:
                client.whoami()
        elapsed = time.monotonic() - started
        time.sleep(0.2)
        sent = hostile.bytes_sent
    assert exc.value.exit_code == 5
    assert "4,194,304" in exc.value.render()
    assert _rss_peak_mb() - before < 64, "the client held the answer in memory"
    assert sent < 64 << 20, f"the client went on reading: {sent:,} bytes"
    assert elapsed < 5


def test_a_drip_feed_times_out_within_the_deadline():
    def drip(req):
        return Answer(200, (b"{" if i == 0 else b" " for i in range(30)), {"Content-Type": "application/json",
                                                                           "Content-Length": "1000"}, pace=0.5)

    with HostileServer() as hostile:
        hostile.rule("GET", WHOAMI, drip)
        started = time.monotonic()
        with ExchangeClient(hostile.url, Secret(TOKEN), retry=RetryPolicy(attempts=3, timeout=30),
                            bounds=Bounds(deadline=1.5, read_timeout=5)) as client:
            with pytest.raises(NetworkError) as exc:
                client.whoami()
        elapsed = time.monotonic() - started
        asked = len(hostile.seen("GET", WHOAMI))
    assert 1.3 < elapsed < 3.0, elapsed  # one deadline, not a retry per byte nor three deadlines
    assert asked == 1  # a dripping server is not asked again
    assert exc.value.exit_code == 5 and "1.5" in exc.value.render()


def test_a_drip_of_the_headers_times_out_too_and_the_deadline_is_a_setting(cli, monkeypatch):
    head = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 2000
    with HostileServer() as hostile:
        # a server that sends its status line and headers a byte at a time: the answer never gets past them
        hostile.rule("GET", WHOAMI, lambda req: Answer(200, (head[i:i + 1] for i in range(len(head))), pace=0.3, raw=True))
        monkeypatch.setenv("HNSUBMIT_TOKEN", TOKEN)
        monkeypatch.setenv("HNSUBMIT_ANSWER_DEADLINE", "1")
        started = time.monotonic()
        code, out, err = cli("whoami", "--endpoint", hostile.url)
        elapsed = time.monotonic() - started
    assert code == 5, out + err
    assert elapsed < 4
    assert "秒内完成应答" in err and "Traceback" not in err


def test_a_bad_deadline_setting_is_a_configuration_error(cli, monkeypatch):
    monkeypatch.setenv("HNSUBMIT_TOKEN", TOKEN)
    monkeypatch.setenv("HNSUBMIT_ANSWER_DEADLINE", "soon")
    code, out, err = cli("whoami", "--endpoint", "http://127.0.0.1:9")
    assert code == 3 and "answer_deadline" in err


def test_a_redirect_is_not_followed_and_the_token_stays_home(cli, monkeypatch):
    with HostileServer() as elsewhere, HostileServer() as hostile:
        hostile.rule("*", r"/.*", lambda req: Answer(302, b"", {"Location": elsewhere.url + req.path}))
        monkeypatch.setenv("HNSUBMIT_TOKEN", TOKEN)
        code, out, err = cli("whoami", "--endpoint", hostile.url)
        assert elsewhere.requests == []
        assert all(r.headers.get("authorization") == "Bearer " + TOKEN for r in hostile.requests)
    assert code == 5, out + err
    assert "重定向" in err and "Internal error" not in err and TOKEN not in out + err


@pytest.mark.parametrize("answer", [
    Answer(200, b"<html><body>Please log in to the guest Wi-Fi</body></html>", {"Content-Type": "text/html"}),
    Answer(502, b"<html><h1>502 Bad Gateway</h1></html>", {"Content-Type": "text/html", "Retry-After": "0"}),
    Answer(404, b"<html><h1>Not Found</h1></html>", {"Content-Type": "text/html"}),
    Answer.json(200, None), Answer.json(200, [1, 2, 3]), Answer.json(200, "ok"),
    Answer(200, b'{"role": ', {"Content-Type": "application/json"}),
    Answer(200, b"[" * 100000, {"Content-Type": "application/json"}),
], ids=["captive portal", "html 502", "html 404", "null", "list", "string", "broken json", "deep json"])
def test_answers_that_are_not_the_exchange_never_crash(answer, cli, monkeypatch):
    with HostileServer() as hostile:
        hostile.rule("*", r"/.*", lambda req: answer)
        monkeypatch.setenv("HNSUBMIT_TOKEN", TOKEN)
        code, out, err = cli("status", "--endpoint", hostile.url)
    assert code in (5, 6), out + err  # network class, or the server's own refusal (404)
    assert "Internal error" not in err and "Traceback" not in err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err)  # said in Chinese


def test_an_upload_session_with_a_lying_offset_is_a_clear_error(tmp_path):
    data = b"x" * 1000
    with HostileServer() as hostile:
        hostile.rule("POST", r"/api/v1/uploads", lambda req: Answer.json(201, {"upload_id": "u_1", "offset": "lots"}))
        with ExchangeClient(hostile.url, Secret(TOKEN), retry=ONCE) as client:
            with pytest.raises(BadAnswer):
                client.upload_blob("sha256:" + "0" * 64, len(data), lambda offset: __import__("io").BytesIO(data[offset:]))


def test_control_characters_from_the_server_never_reach_the_terminal(cli, monkeypatch):
    evil = "\x1b[2J\x1b]0;pwned\x07\x1b[31m伪造\u202e提示\r\n$ "
    body = {"error": {"code": "bad\x1b[5m", "message": {"zh": evil, "en": evil}, "details": {}}}
    with HostileServer() as hostile:
        hostile.rule("*", r"/.*", lambda req: Answer.json(422, body))
        monkeypatch.setenv("HNSUBMIT_TOKEN", TOKEN)
        code, out, err = cli("whoami", "--endpoint", hostile.url)
    assert code == 6, out + err
    for ch in ("\x1b", "\x07", "\u202e", "\r"):
        assert ch not in out + err
    assert "\\x1b[2J" in err and "伪造" in err  # still readable, but inert


def test_507_says_storage_full_and_503_temporarily_unavailable(cli, monkeypatch):
    monkeypatch.setenv("HNSUBMIT_TOKEN", TOKEN)
    storage_full = {"error": {"code": "insufficient_storage", "message": {"zh": "存储空间不足", "en": "full"}, "details": {}}}
    with HostileServer() as hostile:
        hostile.rule("*", r"/.*", lambda req: Answer.json(507, storage_full))
        started = time.monotonic()
        code, out, err = cli("whoami", "--endpoint", hostile.url)
        assert len(hostile.requests) == 1  # a full disk does not empty itself within seconds: not retried
    assert code == 5 and "服务器存储空间不足" in err, out + err
    assert time.monotonic() - started < 3
    with HostileServer() as hostile:
        hostile.rule("*", r"/.*", lambda req: Answer.json(503, {"error": {"code": "unavailable", "message": "x"}},
                                                           **{"Retry-After": "0"}))
        code, out, err = cli("whoami", "--endpoint", hostile.url)
    assert code == 5 and "服务器暂时不可用" in err, out + err


def test_retry_after_is_capped_and_the_wait_is_said_in_chinese(cli, monkeypatch):
    monkeypatch.setenv("HNSUBMIT_TOKEN", TOKEN)
    monkeypatch.setenv("HNSUBMIT_RETRY_AFTER_MAX", "1")
    answers = iter([Answer.json(503, {"error": {"code": "unavailable", "message": "x"}}, **{"Retry-After": "86400"})])

    def first_busy_then_fine(req):
        return next(answers, None) or Answer.json(200, ME)

    with HostileServer() as hostile:
        hostile.rule("GET", WHOAMI, first_busy_then_fine)
        started = time.monotonic()
        code, out, err = cli("whoami", "--endpoint", hostile.url)
        elapsed = time.monotonic() - started
    assert code == 0, out + err
    assert 0.9 < elapsed < 4, elapsed  # the day the server asked for became the 1 s cap
    assert "等待 1 秒" in err and "服务器暂时不可用" in err
    assert "stamina" not in err and "retry_scheduled" not in err


def test_plain_http_to_another_host_needs_allow_http_and_warns_each_time(cli, monkeypatch):
    monkeypatch.setenv("HNSUBMIT_TOKEN", TOKEN)
    with HostileServer() as hostile:
        hostile.rule("GET", WHOAMI, lambda req: Answer.json(200, ME))
        # 0.0.0.0 is not a loopback address by name, yet Linux delivers it to this machine: the test stays local
        remote = hostile.url.replace("127.0.0.1", "0.0.0.0")
        code, out, err = cli("whoami", "--endpoint", remote)
        assert code == 2 and "http://" in err and "--allow-http" in err, out + err
        assert hostile.requests == []  # refused before anything was sent
        for attempt in range(2):
            code, out, err = cli("whoami", "--endpoint", remote, "--allow-http")
            assert code == 0, out + err
            assert "未加密" in err
        withdraw = ("withdraw", "HN-20261118-7KQ2XM", "--reason", "过期", "--endpoint", remote)
        code, out, err = cli(*withdraw)
        assert code == 2 and len(hostile.requests) == 2, out + err
        code, out, err = cli(*withdraw, "--allow-http")  # the server here knows no such submission: its 404
        assert code == 6 and "未加密" in err and len(hostile.seen("POST", r"/api/v1/submissions/.*/withdraw")) == 1
        monkeypatch.setenv("HNSUBMIT_ALLOW_HTTP", "true")  # the profile setting, through its variable
        code, out, err = cli("whoami", "--endpoint", remote)
        assert code == 0 and "未加密" in err
        assert len(hostile.requests) == 4
    with pytest.raises(UsageError):
        ExchangeClient("http://portal.example.gov.cn", Secret(TOKEN))
    ExchangeClient("http://localhost:8765", Secret(TOKEN)).close()  # loopback stays allowed
    ExchangeClient("http://[::1]:8765", Secret(TOKEN)).close()


def test_a_compressed_answer_is_bounded_after_decompression():
    import zlib

    packer = zlib.compressobj(1, zlib.DEFLATED, 31)  # gzip
    bomb = b"".join(packer.compress(bytes(1 << 20)) for _ in range(150)) + packer.flush()  # 150 MB of zeros in ~700 KB
    with HostileServer() as hostile:
        hostile.rule("GET", WHOAMI, lambda req: Answer(200, bomb, {"Content-Type": "application/json",
                                                                   "Content-Encoding": "gzip"}))
        before = _rss_peak_mb()
        with ExchangeClient(hostile.url, Secret(TOKEN), retry=ONCE) as client:
            with pytest.raises(BadAnswer):
                client.whoami()
            assert hostile.requests[0].headers.get("accept-encoding") == "identity"
    assert _rss_peak_mb() - before < 64, "the client inflated the whole answer"
    import gzip
    import json

    with HostileServer() as hostile:  # an honest compressed answer is still read
        hostile.rule("GET", WHOAMI, lambda req: Answer(200, gzip.compress(json.dumps(ME).encode()),
                                                       {"Content-Type": "application/json", "Content-Encoding": "gzip"}))
        with ExchangeClient(hostile.url, Secret(TOKEN), retry=ONCE) as client:
            assert client.whoami() == ME


def test_push_over_plain_http_is_refused_before_anything_is_queued(cli, monkeypatch, tmp_path):
    from test_push_e2e import MEETING, copy_submission

    from hnsubmit.client.outbox import Outbox

    monkeypatch.setenv("HNSUBMIT_TOKEN", TOKEN)
    folder = copy_submission(MEETING, tmp_path / "m", "明文")
    with HostileServer() as hostile:
        code, out, err = cli("push", folder, "--endpoint", hostile.url.replace("127.0.0.1", "0.0.0.0"), "--quiet",
                             "--policy", "hnsubmit/policy/default.toml")
        assert not any(r.headers.get("authorization") for r in hostile.requests)
    assert code == 2 and "--allow-http" in err, out + err
    assert Outbox().list() == []


@pytest.mark.parametrize("command, path, body", [
    (("whoami",), WHOAMI, {"role": "unit", "unit": "632521"}),
    (("whoami",), WHOAMI, {"role": ["unit"], "unit": {"code": ["x"], "name": None}}),
    (("status",), r"/api/v1/.*", {"items": "not a list", "total": "many", "rows": "none", "week": 7}),
    (("status",), r"/api/v1/.*", {"items": [1, None, "x", {"state": 5, "title": ["t"]}], "rows": [{"sent": "lots"}]}),
    (("status", "HN-20261118-7KQ2XM"), r"/api/v1/.*", {"history": "none", "state": None, "reason": 17}),
    (("status", "HN-20261118-7KQ2XM"), r"/api/v1/.*", {"history": [None, {"from": 3, "to": []}]}),
], ids=["whoami unit string", "whoami odd types", "status odd lists", "status odd items", "detail odd", "detail odd history"])
def test_objects_with_wrong_field_types_never_crash(command, path, body, cli, monkeypatch):
    monkeypatch.setenv("HNSUBMIT_TOKEN", TOKEN)
    with HostileServer() as hostile:
        hostile.rule("GET", path, lambda req: Answer.json(200, body))
        code, out, err = cli(*command, "--endpoint", hostile.url)
    assert "Internal error" not in err and "Traceback" not in err, err
    assert code in (0, 5), out + err


def test_login_says_the_wait_in_chinese_never_as_a_raw_log_line(cli):
    import stamina.instrumentation

    stamina.instrumentation.set_on_retry_hooks(None)  # stamina's own hooks, as in a fresh process
    answers = iter([Answer.json(503, {"error": {"code": "unavailable", "message": "x"}}, **{"Retry-After": "0"})])
    me = {**ME, "unit": {"code": "632521", "name": "共和县", "columns": []}}
    with HostileServer() as hostile:
        hostile.rule("GET", WHOAMI, lambda req: next(answers, None) or Answer.json(200, me))
        code, out, err = cli("login", "--endpoint", hostile.url, "--unit", "632521", "--token-stdin", input=TOKEN + "\n")
    assert code == 0, out + err
    assert "服务器暂时不可用" in err and "stamina" not in err and "retry_scheduled" not in err
