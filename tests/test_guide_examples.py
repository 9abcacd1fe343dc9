"""Acceptance for examples/office-guides: every file gives exactly the listed codes, in both profiles.

Guide files are checked with `check_guides` (the `hnsubmit guide check` engine, which also reads the
Word template); YAML/JSON/Excel guides must give the same codes through `hnsubmit check` (run_check).
The forms beside them are ordinary files for `hnsubmit check`.  Every file must be listed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES

from hnsubmit.checks.guides import check_guides
from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.policy.model import load_policy

GUIDES = EXAMPLES / "office-guides"
CLEAN: list[str] = []
PORTAL_ONLY = "贵南县-民政局-结婚登记.yaml"
# The portal-era guide fills in only the portal-2015 elements: under national these 13 are missing.
NATIONAL_GAPS = ["GDE002"] * 13

# relative path → codes under portal-2015 (the default) and under national
GUIDE_FILES: dict[str, tuple[list[str], list[str]]] = {
    "同德县-市场监管局-个体工商户设立登记.yaml": ([], []),
    "海南州-公安局-普通护照签发.yaml": ([], []),
    "共和县-自然资源局-不动产首次登记.yaml": ([], []),
    "贵德县-人社局-城乡居民养老保险参保登记.yaml": ([], []),
    "兴海县-卫健局-生育登记.yaml": ([], []),
    "海南州-生态环境局-建设项目环境影响评价审批.yaml": ([], []),
    PORTAL_ONLY: ([], NATIONAL_GAPS),
    "共和县-恰卜恰镇-便民服务事项.json": ([], []),
    "贵南县-民政局-婚姻登记档案查询.docx": ([], []),
    "海南州-办事指南批量报送.xlsx": ([], []),
}
for _code in range(1, 21):
    _matches = sorted(p.name for p in (GUIDES / "negative").glob(f"GDE{_code:03d}-*"))
    assert len(_matches) == 1, f"one negative example for GDE{_code:03d}, found {_matches}"
    GUIDE_FILES[f"negative/{_matches[0]}"] = ([f"GDE{_code:03d}"], [f"GDE{_code:03d}"])

# Forms and other non-guide files, as `hnsubmit check` sees them.
OTHER_FILES: dict[str, list[str]] = {
    **{f"表格/{p.name}": (["FMT009"] if p.suffix == ".pdf" else []) for p in (GUIDES / "表格").iterdir()},
    "negative/表格/生育登记申请表.docx": [],
    "negative/表格/损坏的申请表.docx": ["FMT008"],
    "negative/表格/损坏的申请表.pdf": ["FMT009"],
}
NATIVE = (".yaml", ".json", ".xlsx")  # what `hnsubmit check` itself reads as an office guide


def _codes(report) -> list[str]:
    return sorted(f.code for f in report.findings)


@pytest.mark.parametrize("rel", sorted(GUIDE_FILES), ids=str)
@pytest.mark.parametrize("profile", ["portal-2015", "national"])
def test_guide_example_codes_exactly(rel, profile):
    expected = GUIDE_FILES[rel][0 if profile == "portal-2015" else 1]
    report = check_guides([GUIDES / rel], profile=profile)
    assert report.guides or report.files
    assert _codes(report) == sorted(expected)


@pytest.mark.parametrize("rel", sorted(r for r in GUIDE_FILES if r.endswith(NATIVE)), ids=str)
def test_check_command_agrees(rel):
    pol = load_policy()
    report = run_check([GUIDES / rel], CheckOptions(pol, selection_from(pol)))
    assert [r.kind for r in report.files] == ["office-guide"]
    assert _codes(report) == sorted(GUIDE_FILES[rel][0])


@pytest.mark.parametrize("rel", sorted(OTHER_FILES), ids=str)
def test_form_files_codes_exactly(rel):
    pol = load_policy()
    report = run_check([GUIDES / rel], CheckOptions(pol, selection_from(pol)))
    assert _codes(report) == sorted(OTHER_FILES[rel])


def test_every_office_guide_example_is_listed():
    from hnsubmit.checks.walk import iter_entries

    listed = set(GUIDE_FILES) | set(OTHER_FILES)
    found = {Path(e.path).relative_to(GUIDES).as_posix() for e in iter_entries([GUIDES])}
    assert found == listed


def test_folder_check_counts_every_guide_once():
    report = check_guides([GUIDES], profile="portal-2015")
    per_source: dict[str, int] = {}
    for g in report.guides:
        per_source[Path(g.source).name] = per_source.get(Path(g.source).name, 0) + 1
    assert per_source["海南州-办事指南批量报送.xlsx"] == 20
    assert per_source["共和县-恰卜恰镇-便民服务事项.json"] == 2
    assert per_source["GDE020-材料行无对应指南.xlsx"] == 3
    assert "生育登记申请表.docx" not in per_source  # forms are not guides
    assert len(report.guides) == 51


def test_examples_cover_the_issue():
    """Six or more YAML guides: prefecture and county, licensing and public service, fees and forms."""
    from hnsubmit.guide.api import read_source
    from hnsubmit.guide.build import Builder
    from hnsubmit.guide.forms import is_form

    guides = []
    for path in sorted(GUIDES.glob("*.yaml")):
        raw = read_source(path, path.name).guides[0]
        guides.append(Builder(path.name, raw.locator).build(raw.data))
    assert len(guides) >= 6
    levels = {g.exercise_level.value for g in guides if g.exercise_level}
    types = {g.item_type.value for g in guides if g.item_type}
    assert {"市(州)", "县"} <= levels and {"行政许可", "公共服务"} <= types
    assert any(g.fee_required for g in guides) and any(g.fee_required is False for g in guides)
    assert any(is_form(m) for g in guides for m in g.materials or ())


def test_fictitious_codes_pass_the_checksum():
    """Every 统一社会信用代码 in the examples is valid, except the one GDE008's example breaks on purpose."""
    from stdnum.cn import uscc

    report = check_guides([GUIDES], profile="national")
    by_source: dict[str, set[str]] = {}
    for g in report.guides:
        if g.guide and g.guide.implementing_org_uscc:
            by_source.setdefault(Path(g.source).name, set()).add(g.guide.implementing_org_uscc)
    assert len(set().union(*by_source.values())) >= 15
    invalid = {name for name, codes in by_source.items() if not all(uscc.is_valid(c) for c in codes)}
    assert invalid == {"GDE008-统一社会信用代码校验失败.yaml"}
