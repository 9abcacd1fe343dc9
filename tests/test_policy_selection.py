"""Policy loading and rule selection (flake8's longest-prefix decision)."""

from __future__ import annotations

import pytest

from hnsubmit.errors import PolicyError
from hnsubmit.rules.findings import Finding, Severity
from hnsubmit.policy.model import default_policy, load_policy, policy_from_dict
from hnsubmit.rules.selection import Selection


def test_default_policy_encodes_the_notice():
    p = default_policy()
    assert p.formats.allowed == ["docx", "doc", "jpeg", "wmv"]
    assert p.formats.attachments == ["pdf"]
    assert set(p.defaults) == {"limits", "jpeg", "wmv"}  # marked as hnsubmit defaults, not the notice
    assert p.limits.max_bytes_for("jpeg") == 10_000_000
    assert p.limits.max_bytes_for("never-heard-of") == 20_000_000


def test_policy_round_trips_through_json():
    p = default_policy()
    again = policy_from_dict(p.to_dict(), "server")
    assert again.to_dict() == p.to_dict() and again.source == "server"


def test_unknown_top_level_key_is_refused(tmp_path):
    f = tmp_path / "p.toml"
    f.write_text("colour = 'red'\n", encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_policy(f)
    assert "colour" in str(err.value)


def test_missing_policy_file(tmp_path):
    with pytest.raises(PolicyError):
        load_policy(tmp_path / "absent.toml")


@pytest.mark.parametrize(
    "select,ignore,code,enabled",
    [
        ((), (), "JPG003", True),
        ((), ("JPG",), "JPG003", False),
        (("JPG003",), ("JPG",), "JPG003", True),  # longer select wins
        (("JPG",), ("JPG003",), "JPG003", False),  # longer ignore wins
        (("JPG",), ("JPG",), "JPG001", True),  # tie: explicit select wins
        (("FMT",), (), "JPG001", False),  # not selected at all
    ],
)
def test_selection(select, ignore, code, enabled):
    assert Selection(select, ignore).enabled(code) is enabled


def test_severity_override_by_prefix_longest_wins():
    sel = Selection(severity={"JPG": Severity.INFO, "JPG003": Severity.ERROR})
    f1 = Finding("JPG003", Severity.WARNING, "a.jpg")
    f2 = Finding("JPG004", Severity.WARNING, "a.jpg")
    out = sel.apply([f1, f2])
    assert [f.severity for f in out] == [Severity.ERROR, Severity.INFO]
