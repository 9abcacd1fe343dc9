"""Quiet on clean text: PRF over the five seed notices and the four official texts in ../shared.

Every error-level finding there must be a real error, and fewer than 0.5 per 10,000 characters.
The texts are read where they are (never copied into the project); without ../shared the test
skips, saying so.  docs/proofing.md gives the figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO
from hnsubmit.checks.proofing.engine import proofreader
from hnsubmit.rules.registry import get_rule
from hnsubmit.rules.severity import Severity

SHARED = REPO.parent / "shared"
# The real errors in these texts, each checked by hand: (file name prefix, wrong text, context).
REAL_ERRORS = {
    ("004", "即", "台。它即是展示海南州整体形"),  # 即是…又是 where 既是…又是 is meant
}


def _texts() -> list[Path]:
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    texts = sorted(p for p in (SHARED / "texts").glob("*.md") if p.name != "SOURCES.md")
    if len(seeds) < 5 or len(texts) < 4:
        pytest.skip(f"the seed notices and official texts are absent at {SHARED} (../shared beside the project)")
    return seeds + texts


def test_error_level_findings_on_clean_texts_are_real_and_rare():
    reader = proofreader(("builtin:words", "builtin:organs", "builtin:expressions"))
    chars = 0
    errors = set()
    for path in _texts():
        text = path.read_text(encoding="utf-8")
        chars += len(text)
        for paragraph in text.splitlines():  # paragraph by paragraph, as the Word validators hand text over
            for hit in reader.check(paragraph):
                if get_rule(hit.code).severity is Severity.ERROR:
                    context = paragraph[max(0, hit.start - 3):hit.end + 9]
                    errors.add((path.name[:3], paragraph[hit.start:hit.end], context))
    assert chars > 40_000
    assert errors == REAL_ERRORS
    assert len(errors) / chars * 10_000 < 0.5
