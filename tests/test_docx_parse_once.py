"""Issue 19 (P2): a .docx check parses each part of the package once, whoever asks for it (the structure,
macro, object and property steps, the protection step, the text walk), and the report stays the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from hnsubmit.checks.formats import ooxml
from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.policy.model import default_policy

from factories import make_docx

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
WORD = sorted(p for p in (EXAMPLES / "negative").rglob("*.docx")) + sorted((EXAMPLES / "positive").rglob("*.docx"))


def _check(path: Path):
    pol = default_policy()
    ooxml.PARSES.clear()
    report = run_check([path], CheckOptions(pol, selection_from(pol)))
    return report, dict(ooxml.PARSES)


def test_a_generated_document_parses_each_part_once(tmp_path):
    doc = make_docx(tmp_path / "稿件.docx", ["标题", "第一段正文。", "第二段正文。"], clear_properties=False, author="张三")
    report, parses = _check(doc)
    codes = {f.code for f in report.files[0].findings}
    assert "DOC011" in codes  # the author was found: docProps were read
    # every part the steps need was parsed: the content types, the package's and the body's
    # relationships, both property parts, the settings and the body's text
    for part in ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "docProps/core.xml",
                 "docProps/app.xml", "word/settings.xml", "word/document.xml"):
        assert parses.get(part) == 1, (part, parses)
    assert max(parses.values()) == 1, parses


@pytest.mark.parametrize("path", WORD, ids=lambda p: p.name)
def test_the_example_documents_parse_each_part_at_most_once(path):
    report, parses = _check(path)
    assert report.files  # checked
    assert all(n == 1 for n in parses.values()), parses
