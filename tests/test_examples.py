"""Acceptance: every example file gives exactly the codes examples/expected.toml lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES
from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.policy.model import load_policy
from hnsubmit.tomlcompat import tomllib

# examples/expected.toml, plus one file per family in examples/expected.d/ (so families do not
# edit one shared file).
EXPECTATION_FILES = [EXAMPLES / "expected.toml", *sorted((EXAMPLES / "expected.d").glob("*.toml"))]
CASES = []
for _file in EXPECTATION_FILES:
    _data = tomllib.loads(_file.read_text(encoding="utf-8"))
    CASES += [(path, codes, "") for path, codes in _data.get("files", {}).items()]
    CASES += [
        (path, codes, policy)
        for policy, files in _data.get("with_policy", {}).items()
        for path, codes in files.items()
    ]


@pytest.mark.parametrize("rel,codes,policy", CASES, ids=[f"{c[0]}{'@' + c[2] if c[2] else ''}" for c in CASES])
def test_example_codes_exactly(rel, codes, policy):
    pol = load_policy(EXAMPLES / policy) if policy else load_policy()
    report = run_check([EXAMPLES / rel], CheckOptions(pol, selection_from(pol)))
    assert sorted(f.code for f in report.findings) == sorted(codes)


def test_every_example_file_is_listed():
    """A new example without an expectation would silently test nothing."""
    from hnsubmit.checks.walk import iter_entries

    listed = {p for p, _, _ in CASES}
    for sub in ("positive", "negative"):
        if not (EXAMPLES / sub).exists():
            continue
        for entry in iter_entries([EXAMPLES / sub]):
            rel = Path(entry.path).relative_to(EXAMPLES).as_posix()
            assert rel in listed, f"{rel} has no entry in examples/expected.toml"


def test_positive_examples_are_clean_as_a_folder():
    pol = load_policy()
    report = run_check([EXAMPLES / "positive"], CheckOptions(pol, selection_from(pol)))
    assert report.files and not report.findings


def test_files_a_submission_ignores_are_not_checked(tmp_path):
    """`ignore` in submission.toml means 'not sent': check does not judge those files either."""
    from factories import make_jpeg

    folder = tmp_path / "item"
    folder.mkdir()
    make_jpeg(folder / "照片.jpg", (800, 600))
    (folder / "说明.txt").write_text("给编辑的说明", encoding="utf-8")
    (folder / "submission.toml").write_text('ignore = ["说明.txt"]\n', encoding="utf-8")
    pol = load_policy()
    report = run_check([folder], CheckOptions(pol, selection_from(pol)))
    paths = [Path(r.path).name for r in report.files]
    assert "说明.txt" not in paths and "照片.jpg" in paths
    (folder / "submission.toml").write_text("ignore = []\n", encoding="utf-8")
    report = run_check([folder], CheckOptions(pol, selection_from(pol)))
    assert "说明.txt" in [Path(r.path).name for r in report.files]
