"""`hnsubmit --profile NAME login` creates the profile NAME; any other command on an unknown profile is an error."""

from __future__ import annotations

from hnsubmit.config import config_file
from hnsubmit.tomlcompat import tomllib


def test_login_creates_a_new_profile(cli):
    code, out, err = cli("--profile", "新单位", "login", "--no-verify", "--endpoint", "http://127.0.0.1:9",
                         "--unit", "632521", "--token-stdin", input="abcdefghijklmnopqrstuvwx\n")
    assert code == 0, out + err
    data = tomllib.loads(config_file().read_text(encoding="utf-8"))
    assert data["profiles"]["新单位"] == {"endpoint": "http://127.0.0.1:9", "unit": "632521"}
    assert "abcdefghijklmnopqrstuvwx" not in config_file().read_text(encoding="utf-8")


def test_other_commands_still_refuse_an_unknown_profile(cli):
    code, out, err = cli("--profile", "没有这个", "status")
    assert code == 3, out + err
    assert "没有名为 没有这个 的配置" in out + err


def test_config_show_says_where_the_profiles_token_is(cli):
    import json

    code, out, err = cli("--profile", "甲", "login", "--no-verify", "--endpoint", "http://127.0.0.1:9",
                         "--unit", "632521", "--token-stdin", input="abcdefghijklmnopqrstuvwx\n")
    assert code == 0, out + err
    code, out, err = cli("--profile", "甲", "config", "show", "-f", "json")
    token = json.loads(out)["settings"]["token"]
    assert token["source"] != "keyring (looked up when needed)", token
    assert token["source"].startswith(("keyring ", "file ")) and "abcdefghijklmnopqrstuvwx" not in out
    code, out, err = cli("--profile", "乙", "login", "--no-verify", "--endpoint", "http://127.0.0.1:9",
                         "--unit", "632522", "--token-stdin", input="abcdefghijklmnopqrstuvwx\n")
    from hnsubmit.client.credentials import delete_token

    delete_token("http://127.0.0.1:9", "632522")
    code, out, err = cli("--profile", "乙", "config", "show")
    assert code == 0, out + err
    assert "尚未保存" in out, out
