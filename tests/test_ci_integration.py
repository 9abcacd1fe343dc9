"""The pre-commit hook's file pattern selects what hnsubmit checks, and the CI examples use real options."""

from __future__ import annotations

import re

import yaml

from conftest import EXAMPLES, REPO


def test_pre_commit_hook_pattern():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["entry"] == "hnsubmit check"
    pattern = re.compile(hook["files"])
    for name in ["正文.docx", "a/b/照片.JPG", "宣传片.wmv", "guides/指南.yaml", "item/submission.toml", "x.pdf"]:
        assert pattern.search(name), name
    for name in ["README.md", "setup.toml", "script.py", "notes.txt"]:
        assert not pattern.search(name), name


def test_ci_examples_use_existing_formats():
    for name in ("github-actions.yml", "gitlab-ci.yml"):
        doc = yaml.safe_load((EXAMPLES / "ci" / name).read_text(encoding="utf-8"))
        formats = re.findall(r"(?:--format |-o )(\w+)", str(doc))
        assert formats, name
        for fmt in formats:
            assert fmt in ("text", "json", "junit", "sarif", "github", "gitlab"), fmt
