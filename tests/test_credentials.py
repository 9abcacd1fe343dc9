"""Credentials: the lookup order, the keyring timeout, no backend, CI, and the token never shown."""

from __future__ import annotations

import threading
import time

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail

from hnsubmit.client import credentials
from hnsubmit.client.credentials import (
    Secret,
    delete_token,
    get_credential,
    normalize_endpoint,
    service_name,
    store_token,
    validate_token,
)
from hnsubmit.errors import CredentialsError, UsageError
from keyring_memory import MemoryKeyring

TOKEN = "Zq9-secret_TOKEN.value~abc123456789012345678901"
EP = "http://127.0.0.1:8765"


class Recording(KeyringBackend):
    """Fails the test if anything touches it (under CI nothing may)."""

    priority = 1
    calls: list = []

    def get_password(self, service, username):
        self.calls.append(("get", service, username))
        return TOKEN

    def set_password(self, service, username, password):
        self.calls.append(("set", service, username))

    def delete_password(self, service, username):
        self.calls.append(("delete", service, username))


class Hung(KeyringBackend):
    """A Secret Service waiting for an unlock prompt nobody answers."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service, username):
        self.release.wait(30)
        return TOKEN

    def set_password(self, service, username, password):
        self.release.wait(30)

    def delete_password(self, service, username):
        self.release.wait(30)


@pytest.fixture(autouse=True)
def memory_keyring():
    previous = keyring.get_keyring()
    MemoryKeyring._store.clear()
    keyring.set_keyring(MemoryKeyring())
    yield MemoryKeyring._store
    MemoryKeyring._store.clear()
    keyring.set_keyring(previous)


def test_store_get_delete_round_trip_per_endpoint_and_unit(memory_keyring):
    store_token(EP + "/", "632521", Secret(TOKEN))
    assert list(memory_keyring) == [("hnsubmit:http://127.0.0.1:8765", "632521")]
    cred = get_credential(EP, "632521")
    assert cred.token.reveal() == TOKEN
    assert cred.source.startswith("keyring keyring_memory.MemoryKeyring")
    with pytest.raises(CredentialsError) as other_unit:
        get_credential(EP, "632522")
    assert "632522" in str(other_unit.value) and "HNSUBMIT_TOKEN" in other_unit.value.render_hint()
    with pytest.raises(CredentialsError):
        get_credential("http://127.0.0.1:9999", "632521")
    assert delete_token(EP, "632521") is True
    assert delete_token(EP, "632521") is False
    assert memory_keyring == {}


def test_environment_token_overrides_the_keyring(memory_keyring):
    store_token(EP, "632521", Secret("from-keyring-aaaaaaaaaaaaaaaa"))
    cred = get_credential(EP, "632521", environ={"HNSUBMIT_TOKEN": TOKEN + "\n"})
    assert cred.token.reveal() == TOKEN
    assert cred.source == "environment HNSUBMIT_TOKEN"


def test_under_ci_the_keyring_is_never_touched():
    Recording.calls.clear()
    keyring.set_keyring(Recording())
    with pytest.raises(CredentialsError) as exc:
        get_credential(EP, "632521", environ={"CI": "true"})
    assert "HNSUBMIT_TOKEN" in exc.value.render_hint()
    with pytest.raises(CredentialsError):
        store_token(EP, "632521", Secret(TOKEN), environ={"CI": "1"})
    with pytest.raises(CredentialsError):
        delete_token(EP, "632521", environ={"CI": "yes"})
    cred = get_credential(EP, "632521", environ={"CI": "true", "HNSUBMIT_TOKEN": TOKEN})
    assert cred.token.reveal() == TOKEN
    assert Recording.calls == []
    # CI=false is not CI: the keyring is used
    assert get_credential(EP, "632521", environ={"CI": "false"}).token.reveal() == TOKEN
    assert Recording.calls == [("get", "hnsubmit:http://127.0.0.1:8765", "632521")]


@pytest.mark.parametrize("backend", [fail.Keyring(), chainer.ChainerBackend()])
def test_no_usable_backend_points_at_the_environment_variable(backend, monkeypatch):
    if isinstance(backend, chainer.ChainerBackend):
        monkeypatch.setattr(chainer.ChainerBackend, "backends", property(lambda self: []))
    keyring.set_keyring(backend)
    for call in (lambda: get_credential(EP, "632521", environ={}), lambda: store_token(EP, "632521", Secret(TOKEN), environ={})):
        with pytest.raises(CredentialsError) as exc:
            call()
        assert exc.value.exit_code == 4
        assert "HNSUBMIT_TOKEN" in exc.value.render_hint()


def test_a_hung_keyring_times_out(monkeypatch):
    hung = Hung()
    keyring.set_keyring(hung)
    monkeypatch.setattr(credentials, "KEYRING_TIMEOUT", 0.5)
    started = time.monotonic()
    try:
        with pytest.raises(CredentialsError) as exc:
            get_credential(EP, "632521", environ={})
        assert time.monotonic() - started < 5
        assert "HNSUBMIT_TOKEN" in exc.value.render_hint()
        leftover = [t for t in threading.enumerate() if t.name == "hnsubmit-keyring"]
        assert leftover and all(t.daemon for t in leftover)  # cannot keep the process alive at exit
    finally:
        hung.release.set()


def test_secret_never_shows_itself():
    s = Secret(TOKEN)
    assert TOKEN not in repr(s) and TOKEN not in str(s) and TOKEN not in f"{s}" and TOKEN not in "%s" % s
    assert TOKEN not in repr(credentials.Credential(EP, "u", s, "x"))
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(s)


@pytest.mark.parametrize("bad", ["", "   ", "two words", "line\nbreak", "令牌", "x" * 5000, "ab\x00cd"])
def test_bad_tokens_are_refused_without_echoing_them(bad):
    with pytest.raises(CredentialsError) as exc:
        validate_token(bad)
    if bad.strip():
        assert bad.strip() not in exc.value.render() and bad.strip() not in exc.value.render_hint()


@pytest.mark.parametrize(
    "given, expected",
    [
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765"),
        ("HTTP://Exchange.Example.CN:443/", "http://exchange.example.cn:443"),
        ("https://exchange.example.cn:443/api/", "https://exchange.example.cn/api"),
        ("http://host:80", "http://host"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_endpoint_spellings_share_one_entry(given, expected):
    assert normalize_endpoint(given) == expected
    assert service_name(given) == "hnsubmit:" + expected


@pytest.mark.parametrize("bad", ["ftp://x", "127.0.0.1:8765", "", "https://user:pw@host/"])
def test_bad_endpoints_are_usage_errors(bad):
    with pytest.raises(UsageError) as exc:
        normalize_endpoint(bad)
    assert "pw" not in exc.value.render()


def test_login_whoami_source_logout_through_the_cli(cli, memory_keyring):
    code, out, err = cli("login", "--endpoint", EP, "--unit", "632521", "--token-stdin", "--no-verify", input=TOKEN + "\n")
    assert code == 0, err
    assert TOKEN not in out + err
    assert memory_keyring == {("hnsubmit:" + EP, "632521"): TOKEN}
    code, out, err = cli("config", "show", "--format", "json")
    assert TOKEN not in out + err
    code, out, err = cli("logout", "--endpoint", EP, "--unit", "632521")
    assert code == 0 and memory_keyring == {}
    code, out, err = cli("logout", "--endpoint", EP, "--unit", "632521")
    assert code == 0


@pytest.mark.filterwarnings("ignore::getpass.GetPassWarning")  # the test runner has no terminal to hide input on
def test_login_hidden_prompt_and_bad_token_exit_4(cli, memory_keyring):
    code, out, err = cli("login", "--endpoint", EP, "--unit", "632521", "--no-verify", input=TOKEN + "\n")
    assert code == 0, err
    assert TOKEN not in out + err  # hide_input: the prompt never echoes
    assert memory_keyring[("hnsubmit:" + EP, "632521")] == TOKEN
    code, out, err = cli("login", "--endpoint", EP, "--unit", "632521", "--token-stdin", "--no-verify", input="bad token here\n")
    assert code == 4
    assert "bad token here" not in out + err


def test_login_under_ci_is_refused_and_points_at_the_variable(cli, monkeypatch):
    monkeypatch.setenv("CI", "true")
    code, out, err = cli("login", "--endpoint", EP, "--unit", "632521", "--token-stdin", "--no-verify", input=TOKEN + "\n")
    assert code == 4
    assert "HNSUBMIT_TOKEN" in err and TOKEN not in out + err
