"""`hnsubmit serve` holding its ground: HTTPS with --tls-cert/--tls-key, a loud warning for plain HTTP on
a non-loopback address, a header timeout against slowloris, an access log without query strings, and
failed authentication throttled per address and token prefix (a valid token keeps working)."""

from __future__ import annotations

import socket
import ssl
import time
from urllib.parse import urlsplit

import secrets

import httpx
import pytest

from exchange.harness import start_server
from hnsubmit.exchange.throttle import FAILURES_PER_ADDRESS, FAILURES_PER_PREFIX


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("serve") / "data",
                     args=("--header-timeout", "1", "--auth-failures", str(FAILURES_PER_ADDRESS)))
    yield s
    s.stop()


def _connect(s) -> socket.socket:
    parts = urlsplit(s.url)
    return socket.create_connection((parts.hostname, parts.port), timeout=30)


def _response(sock: socket.socket) -> bytes:
    """One whole response (head and Content-Length body): the two may arrive in separate segments."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        assert chunk, data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")[1:]
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        chunk = sock.recv(4096)
        assert chunk, data
        body += chunk
    return head + b"\r\n\r\n" + body


def _closed_after(sock: socket.socket) -> float:
    """Seconds until the server closes the connection (recv returns b"")."""
    started = time.monotonic()
    while True:
        data = sock.recv(4096)
        if not data:
            return time.monotonic() - started


@pytest.mark.integration
def test_a_partial_header_is_closed_within_the_header_timeout(guarded):
    with _connect(guarded) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        for _ in range(3):  # a trickle of header bytes does not extend the deadline
            time.sleep(0.3)
            sock.sendall(b"a")
        # the timeout is 1 s; the bound is loose because a loaded CI machine delays the server's timer,
        # and without a header timeout the socket stays open until its own 30 s timeout fails the test
        assert _closed_after(sock) < 8
    with _connect(guarded) as sock:  # a connection that sends nothing at all
        assert _closed_after(sock) < 8
    with _connect(guarded) as sock:  # a whole request is answered, and keep-alive is not cut short by it
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert _response(sock).startswith(b"HTTP/1.1 200")
        time.sleep(1.5)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert _response(sock).startswith(b"HTTP/1.1 200")


@pytest.mark.integration
def test_the_access_log_never_holds_a_query_string(exchange_server):
    guarded = exchange_server
    secret = "sEcReT-in-a-url-" + "x" * 20
    with guarded.client("unit") as c:
        c.get("/api/v1/whoami", params={"token": secret})
        c.put("/api/v1/uploads/u_" + "0" * 32, params={"digest": "sha256:" + "a" * 64, "access_token": secret})
    time.sleep(0.2)
    log = guarded.log()
    assert '"GET /api/v1/whoami HTTP/1.1" 200' in log
    assert f'"PUT /api/v1/uploads/u_{"0" * 32} HTTP/1.1" 404' in log
    access = [line for line in log.splitlines() if ' HTTP/1.1" ' in line]
    assert access and secret not in log and not any("?" in line for line in access)


@pytest.mark.integration
def test_tls_cert_and_key_serve_https(tmp_path):
    trustme = pytest.importorskip("trustme", reason="trustme is a test dependency (pyproject [test])")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert.private_key_pem.write_to_path(str(tmp_path / "server.key"))
    cert.cert_chain_pems[0].write_to_path(str(tmp_path / "server.pem"))
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    s = start_server(tmp_path / "data", args=("--tls-cert", str(tmp_path / "server.pem"), "--tls-key", str(tmp_path / "server.key")))
    try:
        assert s.url.startswith("https://127.0.0.1:")
        with httpx.Client(base_url=s.url, verify=ssl.create_default_context(cafile=str(tmp_path / "ca.pem")), headers={"Authorization": f"Bearer {s.tokens['unit']}"}) as c:
            assert c.get("/api/v1/whoami").json()["unit"]["code"] == "632521"
        with pytest.raises(httpx.RemoteProtocolError):  # plain HTTP is not answered on the TLS port
            httpx.get(s.url.replace("https://", "http://") + "/healthz", timeout=5)
        assert "WARNING" not in s.log()
    finally:
        s.stop()


def test_plain_http_off_loopback_warns_and_bad_tls_files_are_usage_errors(cli, tmp_path):
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: the warning comes, then binding fails (exit 2)
    code, out, err = cli("serve", "--data", str(tmp_path / "d"), "--host", "192.0.2.1", "--port", "0")
    assert code == 2 and "警告" in err and "192.0.2.1" in err and "--tls-cert" in err
    code, out, err = cli("serve", "--data", str(tmp_path / "d"), "--tls-cert", str(tmp_path / "none.pem"))
    assert code == 2 and "none.pem" in err and "Traceback" not in err
    code, out, err = cli("serve", "--data", str(tmp_path / "d"), "--tls-key", str(tmp_path / "k.pem"))
    assert code == 2 and "--tls-cert" in err


def _bad() -> str:
    return secrets.token_urlsafe(32)  # a well-formed token nobody issued


@pytest.mark.integration
def test_failed_authentication_is_throttled_and_valid_tokens_keep_working(guarded):
    s = guarded
    # per token prefix: one token's variants from another address (127.0.0.2 reaches 127.0.0.1 on Linux)
    prefix = _bad()[:8]
    with s.client(transport=httpx.HTTPTransport(local_address="127.0.0.2")) as c:
        codes = [c.get("/api/v1/whoami", headers={"Authorization": f"Bearer {prefix}{_bad()[8:]}"}).status_code
                 for _ in range(FAILURES_PER_PREFIX + 1)]
        assert codes == [401] * FAILURES_PER_PREFIX + [429]
        other = c.get("/api/v1/whoami", headers={"Authorization": f"Bearer {_bad()}"})
        assert other.status_code == 401  # that address is not over its own limit

    # per address: any tokens, one address
    with s.client() as c:
        answers = [c.get("/api/v1/whoami", headers={"Authorization": f"Bearer {_bad()}"})
                   for _ in range(FAILURES_PER_ADDRESS + 2)]
    assert [a.status_code for a in answers] == [401] * FAILURES_PER_ADDRESS + [429, 429]
    last = answers[-1]
    assert last.json()["error"]["code"] == "too_many_failures"
    assert 1 <= int(last.headers["retry-after"]) <= 60
    assert "秒后再试" in last.json()["error"]["message"]["zh"]
    with s.client("unit") as c:  # the same address, a valid token: works, throttle or not
        assert c.get("/api/v1/whoami").status_code == 200
    with s.client() as c:  # no token at all guesses nothing and is not throttled
        assert c.get("/api/v1/whoami").status_code == 401
    assert "authentication failures throttled" in s.log() and "Traceback" not in s.log()


def test_serve_parses_http_with_httptools_and_keeps_the_head_deadline_on_h11():
    """The server extra brings httptools (issue 19: h11's receive buffer cost a third of an upload's
    samples); serve's protocol is the httptools one with the head deadline, h11 the fallback."""
    from uvicorn.protocols.http.h11_impl import H11Protocol
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    from hnsubmit.exchange.server import header_timeout_protocol

    assert issubclass(header_timeout_protocol(1.0), HttpToolsProtocol)
    fallback = header_timeout_protocol(1.0, prefer="h11")
    assert issubclass(fallback, H11Protocol) and hasattr(fallback, "_head_timeout")
