"""Every rule is complete (messages, hint, explanation, examples) and every example behaves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import EXAMPLES, require_corpus
from hnsubmit.rules.registry import CODE_RE, FAMILIES, all_rules, find_rule, suggest

RULES = list(all_rules().values())


def test_registry_is_not_empty_and_codes_are_well_formed():
    assert len(RULES) >= 9
    for rule in RULES:
        assert CODE_RE.match(rule.code), rule.code
        assert rule.family in FAMILIES
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.slug), rule.slug


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_is_complete(rule):
    for what in ("title", "message", "hint", "explanation"):
        texts = getattr(rule, what)
        assert texts["zh"].strip() and texts["en"].strip(), f"{rule.code} lacks {what}"
        assert re.search(r"[\u4e00-\u9fff]", texts["zh"]), f"{rule.code} {what}.zh is not Chinese"
    assert rule.examples_fail, f"{rule.code} has no failing example"
    assert rule.examples_pass, f"{rule.code} has no passing example"
    # the explanation shows a failing and a passing case in words, too
    assert "不通过" in rule.explanation["zh"] or "提示" in rule.explanation["zh"]
    assert "Fails" in rule.explanation["en"] or "Reported" in rule.explanation["en"]
    assert "通过" in rule.explanation["zh"] and "Passes" in rule.explanation["en"]


def test_message_placeholders_agree_between_languages():
    for rule in RULES:
        zh = set(re.findall(r"\{(\w+)\}", rule.message["zh"]))
        en = set(re.findall(r"\{(\w+)\}", rule.message["en"]))
        assert zh == en, rule.code


def test_lookup_by_code_slug_and_suggestions():
    assert find_rule("fmt001").code == "FMT001"
    assert find_rule("format-not-allowed").code == "FMT001"
    assert find_rule("XYZ999") is None
    assert "FMT001" in suggest("FMT01")


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_examples_fail_and_pass(rule, tmp_path, monkeypatch):
    from factories_rules import evaluate

    without_corpus = []  # examples read from the third-party corpus, when it is absent
    for spec, where, failing in [(s, "fail", True) for s in rule.examples_fail] + [(s, "pass", False) for s in rule.examples_pass]:
        try:
            codes = evaluate(spec, tmp_path / where, rule.examples_policy, monkeypatch)
        except pytest.skip.Exception:
            without_corpus.append(spec)
            continue
        if failing:
            assert rule.code in codes, f"{rule.code}: failing example {spec} gave {codes}"
        else:
            assert rule.code not in codes, f"{rule.code}: passing example {spec} gave {codes}"
    if without_corpus:  # every other example has run and held
        require_corpus()
