"""Issue 12, items 1–3: login records endpoint and unit in the profile; with no keyring the token goes to a
0600 file store after a warning; top-level config keys are the default profile, unknown keys exit 3."""

from __future__ import annotations

import stat

import pytest

from hnsubmit.config import config_file, load_settings

TOKEN = "tok-abcdefghijklmnop0123456789"
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


@pytest.fixture
def no_keyring(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    import keyring.core

    monkeypatch.setattr(keyring.core, "_keyring_backend", None)  # chosen again from the variable
    yield
    keyring.core._keyring_backend = None


def test_login_records_endpoint_and_unit_in_the_profile(cli, exchange_server):
    code, out, err = cli("login", "--endpoint", exchange_server.url, "--unit", "632521", "--token-stdin",
                         input=exchange_server.tokens["unit"] + "\n")
    assert code == 0, err
    text = config_file().read_text(encoding="utf-8")
    assert '[profiles.default]' in text and 'unit = "632521"' in text and exchange_server.url.split("//")[1] in text
    code, out, err = cli("--lang", "en", "whoami")  # no flags: the profile has them
    assert code == 0, err
    assert "632521" in out


def test_login_keeps_other_profiles(cli, exchange_server):
    cfg = config_file()
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text('[profiles.office]\nlang = "en"\nunit = "632599"\n', encoding="utf-8")
    code, _out, err = cli("login", "--endpoint", exchange_server.url, "--unit", "632521", "--token-stdin",
                          input=exchange_server.tokens["unit"] + "\n")
    assert code == 0, err
    assert load_settings("office").get("unit") == "632599"
    assert load_settings(None).get("unit") == "632521"


def test_no_keyring_token_stdin_warns_and_uses_the_file_store(cli, no_keyring):
    code, out, err = cli("--lang", "en", "login", "--endpoint", "http://127.0.0.1:9", "--unit", "632521",
                         "--token-stdin", "--no-verify", input=TOKEN + "\n")
    assert code == 0, err
    assert "no system keyring" in err.lower()
    from hnsubmit.client.token_file import token_file_path

    path = token_file_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert TOKEN in path.read_text(encoding="utf-8")
    from hnsubmit.client.credentials import get_credential

    cred = get_credential("http://127.0.0.1:9", "632521", environ={})
    assert cred.token.reveal() == TOKEN and cred.source.startswith("file ")
    # HNSUBMIT_TOKEN still wins
    assert get_credential("http://127.0.0.1:9", "632521", environ={"HNSUBMIT_TOKEN": "other"}).token.reveal() == "other"
    # logout removes the entry
    code, out, err = cli("--lang", "en", "logout")
    assert code == 0, err
    assert "Removed" in out
    assert not path.exists() or TOKEN not in path.read_text(encoding="utf-8")


def test_no_keyring_interactive_warns_before_asking_and_needs_consent(cli, no_keyring):
    code, out, err = cli("--lang", "en", "login", "--endpoint", "http://127.0.0.1:9", "--unit", "632521",
                         "--no-verify", input="n\n")
    assert code == 4
    assert "no system keyring" in err.lower()
    assert "Token" not in out  # never asked for the token
    from hnsubmit.client.token_file import token_file_path

    assert not token_file_path().exists()
    code, out, err = cli("--lang", "en", "login", "--endpoint", "http://127.0.0.1:9", "--unit", "632521",
                         "--no-verify", input="y\n" + TOKEN + "\n")
    assert code == 0, err
    assert out.index("Store the token in this file?") < out.index("Token")
    assert TOKEN in token_file_path().read_text(encoding="utf-8")


def test_file_store_keeps_one_entry_per_endpoint_and_unit(no_keyring):
    from hnsubmit.client import token_file

    token_file.put("http://a", "1", "t1")
    token_file.put("http://a", "2", "t2")
    token_file.put("http://b", "1", "t3")
    token_file.put("http://a", "1", "t4")
    assert (token_file.get("http://a", "1"), token_file.get("http://a", "2"), token_file.get("http://b", "1")) == ("t4", "t2", "t3")
    assert token_file.delete("http://a", "1") and not token_file.delete("http://a", "1")
    assert token_file.get("http://a", "2") == "t2"


def test_top_level_keys_are_the_default_profile(cli):
    cfg = config_file()
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text('unit = "632521"\nendpoint = "http://127.0.0.1:9"\n[profiles.office]\nunit = "632599"\n', encoding="utf-8")
    s = load_settings(None)
    assert s.get("unit") == "632521" and s.get("endpoint") == "http://127.0.0.1:9"
    assert load_settings("office").get("unit") == "632599"


@pytest.mark.parametrize("text, key", [
    ('unti = "632521"\n', "unti"),
    ('[profiles.default]\nendpiont = "http://x"\n', "profiles.default.endpiont"),
])
def test_unknown_keys_exit_3_naming_key_and_file(cli, text, key):
    cfg = config_file()
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(text, encoding="utf-8")
    code, out, err = cli("--lang", "en", "config", "show")
    assert code == 3
    assert key in err and str(cfg) in err
    assert "Traceback" not in err


def test_a_keyring_that_refuses_to_store_falls_back_to_the_file_store(cli, monkeypatch):
    import keyring.core
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordSetError

    class Refusing(KeyringBackend):  # looks usable, refuses every write (a locked collection, no session bus)
        priority = 1

        def get_password(self, service, username):
            return None

        def set_password(self, service, username, password):
            raise PasswordSetError("locked")

        def delete_password(self, service, username):
            raise PasswordSetError("locked")

    monkeypatch.setattr(keyring.core, "_keyring_backend", Refusing())
    code, out, err = cli("login", "--endpoint", "http://127.0.0.1:9", "--unit", "632521", "--token-stdin",
                         "--no-verify", input=TOKEN + "\n")
    assert code == 0, err
    assert "没有可用的系统密钥环" in err
    from hnsubmit.client.credentials import get_credential

    assert get_credential("http://127.0.0.1:9", "632521", environ={}).token.reveal() == TOKEN


def test_logout_without_keyring_or_entry_is_no_error(cli, no_keyring):
    code, out, err = cli("--lang", "en", "logout", "--endpoint", "http://127.0.0.1:9", "--unit", "632521")
    assert code == 0, err
    assert "No token of unit 632521" in out
