"""SUB017 on both sides of the wire (issue 15 §2): when `check` knows the unit's approvers, and how a
client says the exchange's refusal — as the rule's own finding, whatever the server put in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES
from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.policy.model import default_policy

ITEM = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"  # unit 632521, approver 马国栋


def _codes(mode: str, approvers: dict[str, list[str]]) -> list[str]:
    pol = default_policy()
    pol = pol.model_copy(update={"approval": pol.approval.model_copy(update={"mode": mode, "approvers": approvers})})
    report = run_check([ITEM / "submission.toml"], CheckOptions(pol, selection_from(pol)))
    return [f.code for f in report.findings]


@pytest.mark.parametrize("mode,approvers,found", [
    ("approver", {"632521": ["马国栋"]}, []),
    ("approver", {"632521": [" 马国栋 ", "李副县长"]}, []),  # compared as the exchange compares names
    ("approver", {"632521": ["李副县长"]}, ["SUB017"]),
    ("approver", {"632521": []}, ["SUB017"]),  # the exchange said: none registered
    ("approver", {"632522": ["赵六"]}, []),  # this unit's names not known here: the exchange checks at push
    ("approver", {}, []),
    ("declared", {"632521": ["李副县长"]}, []),  # the liaison's own word, as before
])
def test_sub017_only_in_approver_mode_and_only_against_known_names(mode, approvers, found):
    assert _codes(mode, approvers) == found


def _refusal(details: dict):
    from hnsubmit.client.transport import ServerRefused

    return ServerRefused(422, "approver_not_registered", "审核领导“李明”不是本单位登记的审批人。", details)


def test_the_exchanges_refusal_reads_as_the_finding_in_the_readers_language():
    from hnsubmit.i18n import _, set_lang

    refusal = _refusal({"rule": "SUB017", "args": {"value": "李明", "names": "马国栋"}})
    assert refusal.render(_) == "SUB017 审核领导“李明”不是本单位登记的审批人(登记的审批人:马国栋):须经本单位责任领导审批后方可上报"
    assert "hnsubmit admin token issue --role approver" in refusal.render_hint(_)
    set_lang("en")
    try:
        assert refusal.render(_).startswith("SUB017 The approving leader '李明' is not a registered approver of the unit")
    finally:
        set_lang("zh")


@pytest.mark.parametrize("details", [
    {},  # an older server: no rule named
    {"rule": "SUB017"},  # no arguments
    {"rule": "SUB017", "args": {"value": ["李明"], "names": "马国栋"}},  # not text
    {"rule": "XYZ999", "args": {"value": "李明"}},  # a rule this client does not know
    {"rule": "sub-017", "args": {}},
])
def test_a_refusal_without_a_known_rule_is_said_as_the_server_said_it(details):
    from hnsubmit.i18n import _

    text = _refusal(details).render(_)
    assert "422 approver_not_registered" in text and "李明" in text


def test_a_hostile_servers_arguments_are_made_printable():
    from hnsubmit.i18n import _

    text = _refusal({"rule": "SUB017", "args": {"value": "\x1b[2J李明\x07" + "长" * 2000, "names": "\u202e马国栋"}}).render(_)
    assert text.startswith("SUB017 ") and "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert len(text) <= 520
