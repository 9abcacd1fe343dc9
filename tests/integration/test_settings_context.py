"""One settings context per invocation (issue 10): built once, a profile's `lang` used, one `is_ci`,
and a push that looks its credential up once per (endpoint, unit) — a keyring call may wait 10 s."""

from __future__ import annotations

import keyring
import pytest
from keyring_memory import MemoryKeyring
from push_live import live  # noqa: F401  (the fixture)
from test_push_e2e import MEETING, copy_submission

from hnsubmit.client.credentials import store_token

pytestmark = pytest.mark.integration


@pytest.fixture()
def counted_keyring(monkeypatch):
    calls: list[tuple[str, str]] = []
    previous = keyring.get_keyring()
    MemoryKeyring._store.clear()
    keyring.set_keyring(MemoryKeyring())
    original = MemoryKeyring.get_password

    def counting(self, service, username):
        calls.append((service, username))
        return original(self, service, username)

    monkeypatch.setattr(MemoryKeyring, "get_password", counting)
    yield calls
    MemoryKeyring._store.clear()
    keyring.set_keyring(previous)


def test_push_looks_the_credential_up_once(cli, live, tmp_path, counted_keyring):
    store_token(live.url, "632521", live.unit_token())
    folder = copy_submission(MEETING, tmp_path / "meeting", "一次查找凭据")
    code, out, err = cli("push", folder, "--endpoint", live.url, "--unit", "632521", "--quiet")
    assert code == 0, out + err
    assert len(counted_keyring) == 1, counted_keyring


def test_settings_are_read_once_per_invocation(cli, live, tmp_path, counted_keyring, monkeypatch):
    import hnsubmit.cli.context as context

    reads = []
    original = context.load_settings

    def counting(*args, **kwargs):
        reads.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(context, "load_settings", counting)
    store_token(live.url, "632521", live.unit_token())
    folder = copy_submission(MEETING, tmp_path / "meeting", "设置只读一次")
    code, out, err = cli("push", folder, "--endpoint", live.url, "--unit", "632521", "--quiet")
    assert code == 0, out + err
    code, out, err = cli("status", "--endpoint", live.url, "--unit", "632521")
    assert code == 0, out + err
    assert len(reads) == 2  # one per invocation: push, then status
