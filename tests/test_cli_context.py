"""The settings context: a profile's `lang` takes effect, a flag beats it, and `CI=false` is not CI."""

from __future__ import annotations

import pytest

from hnsubmit.config import is_ci


def _profile(tmp_path, monkeypatch, body: str):
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    monkeypatch.setenv("HNSUBMIT_CONFIG", str(path))
    for var in ("HNSUBMIT_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)


def test_a_profiles_lang_is_used(cli, tmp_path, monkeypatch):
    _profile(tmp_path, monkeypatch, '[profiles.default]\nlang = "en"\n')
    code, out, _err = cli("explain", "FMT001")
    assert code == 0
    assert "How to fix" in out and "severity" in out, out
    assert "为什么" not in out and "怎么改" not in out


def test_the_lang_flag_beats_the_profile(cli, tmp_path, monkeypatch):
    _profile(tmp_path, monkeypatch, '[profiles.default]\nlang = "en"\n')
    code_en, out_en, _ = cli("explain", "FMT001")
    code_zh, out_zh, _ = cli("--lang", "zh", "explain", "FMT001")
    assert code_en == code_zh == 0
    assert out_en != out_zh
    assert any("\u4e00" <= ch <= "\u9fff" for ch in out_zh)


def test_a_named_profiles_lang_is_used(cli, tmp_path, monkeypatch):
    _profile(tmp_path, monkeypatch, '[profiles.office]\nlang = "en"\n[profiles.default]\nlang = "zh"\n')
    _, out_default, _ = cli("explain", "FMT001")
    _, out_office, _ = cli("--profile", "office", "explain", "FMT001")
    assert out_default != out_office
    _, out_en, _ = cli("--lang", "en", "explain", "FMT001")
    assert out_office == out_en


@pytest.mark.parametrize(
    "value, expected",
    [("true", True), ("1", True), ("yes", True), ("gitlab", True), ("", False), ("false", False), ("FALSE", False),
     ("0", False), ("no", False), ("off", False), (" ", False)],
)
def test_one_is_ci(value, expected):
    assert is_ci({"CI": value}) is expected


def test_is_ci_without_the_variable():
    assert is_ci({}) is False


def test_progress_bars_and_credentials_agree_on_ci(monkeypatch):
    """Both users of the CI test read the one function: a bar is shown and the keyring used under CI=false."""
    import hnsubmit.cli.output as output
    import hnsubmit.client.credentials as credentials
    import hnsubmit.render.push as push_render

    assert output.is_ci is is_ci
    assert credentials.is_ci is is_ci
    assert push_render.is_ci is is_ci
