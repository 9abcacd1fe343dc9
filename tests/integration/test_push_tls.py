"""TLS: the real exchange behind HTTPS with a government-internal CA (trustme); --ca-bundle or nothing."""

from __future__ import annotations

import socket
import threading
import time

import pytest

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def tls_exchange(tmp_path_factory):
    import trustme
    import uvicorn

    from hnsubmit.exchange.app import create_app
    from hnsubmit.exchange.auth import issue_token
    from hnsubmit.exchange.context import open_exchange, utcnow

    root = tmp_path_factory.mktemp("tls")
    ca = trustme.CA(organization_name="海南州电子政务 internal CA (test)")
    cert = ca.issue_cert("127.0.0.1")
    key_file, cert_file, ca_file = root / "server.key", root / "server.pem", root / "ca.pem"
    cert.private_key_pem.write_to_path(str(key_file))
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    ca.cert_pem.write_to_path(str(ca_file))
    ex = open_exchange(root / "data")
    token, _ = issue_token(ex.storage, "unit", "632521", "tls test", utcnow())
    ex.close()
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(root / "data"), log_level="warning", ssl_keyfile=str(key_file),
                                           ssl_certfile=str(cert_file)))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive()
        time.sleep(0.02)
    yield f"https://127.0.0.1:{port}", token, ca_file
    server.should_exit = True
    thread.join(15)


def test_an_internal_ca_works_with_ca_bundle_and_fails_fast_without(tls_exchange):
    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.client.credentials import Secret
    from hnsubmit.errors import NetworkError

    url, token, ca_file = tls_exchange
    with ExchangeClient(url, Secret(token), ca_bundle=str(ca_file)) as c:
        assert c.whoami()["unit"]["code"] == "632521"
    started = time.monotonic()
    with ExchangeClient(url, Secret(token)) as c:  # the system trust store does not know the office's CA
        with pytest.raises(NetworkError) as exc:
            c.whoami()
    assert time.monotonic() - started < 5  # not retried: the same certificate would come back
    assert "--ca-bundle" in exc.value.render_hint() and "certificate" in exc.value.render()


def test_cli_ca_bundle_flag_and_profile_setting(cli, tls_exchange, monkeypatch, tmp_path):
    url, token, ca_file = tls_exchange
    monkeypatch.setenv("HNSUBMIT_TOKEN", token)
    code, out, err = cli("whoami", "--endpoint", url)
    assert code == 5 and "--ca-bundle" in err and token not in out + err
    code, out, err = cli("whoami", "--endpoint", url, "--ca-bundle", ca_file)
    assert code == 0 and "632521" in out
    config = tmp_path / "config.toml"
    config.write_text(f'[profiles.default]\nendpoint = "{url}"\nca_bundle = "{ca_file}"\n', encoding="utf-8")
    monkeypatch.setenv("HNSUBMIT_CONFIG", str(config))
    code, out, err = cli("whoami")
    assert code == 0 and "632521" in out
    code, out, err = cli("whoami", "--ca-bundle", tmp_path / "missing.pem")
    assert code == 2 and "missing.pem" in err
