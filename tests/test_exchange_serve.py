"""`hnsubmit serve` holding its ground: HTTPS with --tls-cert/--tls-key, a loud warning for plain HTTP on
a non-loopback address, a header timeout against slowloris, and an access log without query strings."""

from __future__ import annotations

import socket
import ssl
import time
from urllib.parse import urlsplit

import httpx
import pytest

from exchange.harness import start_server


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("serve") / "data", args=("--header-timeout", "1"))
    yield s
    s.stop()


def _connect(s) -> socket.socket:
    parts = urlsplit(s.url)
    return socket.create_connection((parts.hostname, parts.port), timeout=10)


def _closed_after(sock: socket.socket) -> float:
    """Seconds until the server closes the connection (recv returns b"")."""
    started = time.monotonic()
    while True:
        data = sock.recv(4096)
        if not data:
            return time.monotonic() - started


@pytest.mark.integration
def test_a_partial_header_is_closed_within_the_header_timeout(quick):
    with _connect(quick) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        for _ in range(3):  # a trickle of header bytes does not extend the deadline
            time.sleep(0.3)
            sock.sendall(b"a")
        assert _closed_after(sock) < 2.5
    with _connect(quick) as sock:  # a connection that sends nothing at all
        assert _closed_after(sock) < 2.5
    with _connect(quick) as sock:  # a whole request is answered, and keep-alive is not cut short by it
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert b" 200 " in sock.recv(4096).split(b"\r\n")[0] + b" "
        time.sleep(1.5)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")


@pytest.mark.integration
def test_the_access_log_never_holds_a_query_string(exchange_server):
    quick = exchange_server
    secret = "sEcReT-in-a-url-" + "x" * 20
    with quick.client("unit") as c:
        c.get("/api/v1/whoami", params={"token": secret})
        c.put("/api/v1/uploads/u_" + "0" * 32, params={"digest": "sha256:" + "a" * 64, "access_token": secret})
    time.sleep(0.2)
    log = quick.log()
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
