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
