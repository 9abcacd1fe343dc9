"""`hnsubmit guide new|check|export|schema` through the real command line, and the schema against the export."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import EXAMPLES
from factories_guide import batch, clean_guide, write_xlsx, write_yaml

from hnsubmit.guide.profiles import NATIONAL, PORTAL_2015

GUIDES = EXAMPLES / "office-guides"
POSITIVE = sorted(p for p in GUIDES.iterdir() if p.is_file())


def guide_codes(out: str) -> list[str]:
    doc = json.loads(out)
    return sorted(f["code"] for g in doc["guides"] for f in g["findings"]) + sorted(
        f["code"] for r in doc["files"] for f in r["findings"])


@pytest.mark.parametrize("fmt", ["yaml", "docx", "xlsx"])
@pytest.mark.parametrize("profile", [PORTAL_2015, NATIONAL], ids=lambda p: p.name)
def test_new_template_checks_with_only_missing_elements(cli, tmp_path, fmt, profile):
    target = tmp_path / f"新指南.{fmt}"
    code, out, err = cli("guide", "new", "--format", fmt, "-o", target, "--profile", profile.name)
    assert code == 0, err
    code, out, _ = cli("guide", "check", target, "--profile", profile.name, "-f", "json", "-q")
    found = guide_codes(out)
    if fmt == "xlsx":  # headers only: no guide yet
        assert (code, found, json.loads(out)["guides"]) == (0, [], [])
    elif fmt == "yaml":  # the template shows one empty material record
        assert (code, found) == (1, ["GDE002"] * (len(profile.required) - 1) + ["GDE015"])
    else:
        assert (code, found) == (1, ["GDE002"] * len(profile.required))


def test_new_refuses_to_overwrite(cli, tmp_path):
    target = tmp_path / "a.yaml"
    target.write_text("keep", encoding="utf-8")
    code, _, err = cli("guide", "new", "-o", target)
    assert code == 2 and target.read_text(encoding="utf-8") == "keep"
    assert cli("guide", "new", "-o", target, "--force")[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# 办事指南")


def test_check_exit_codes_strict_and_text_table(cli):
    assert cli("guide", "check", GUIDES / "negative" / "GDE010-电话缺少区号.yaml", "-q")[0] == 1
    assert cli("guide", "check", GUIDES / "negative" / "GDE010-电话缺少区号.yaml", "-q", "--exit-zero")[0] == 0
    warning_only = GUIDES / "negative" / "GDE006-时限单位不一致.yaml"
    assert cli("guide", "check", warning_only, "-q")[0] == 0
    assert cli("guide", "check", warning_only, "-q", "--strict")[0] == 1
    code, out, _ = cli("--lang", "en", "guide", "check", GUIDES / "共和县-恰卜恰镇-便民服务事项.json", "-q")
    assert code == 0 and "2 guides, 0 errors, 0 warnings: PASSED" in out and out.count("[0]") == out.count("[1]") == 1
    code, out, _ = cli("guide", "check", GUIDES / "共和县-恰卜恰镇-便民服务事项.json", "-q", "-f", "json")
    assert [g["name"] for g in json.loads(out)["guides"]] == ["高龄老人生活补贴申领", "老年人优待证办理"]


def test_unknown_profile_and_bad_policy(cli, tmp_path):
    assert cli("guide", "check", GUIDES, "--profile", "provincial", "-q")[0] == 2
    policy = tmp_path / "p.toml"
    policy.write_text('[guide]\nprofile = "provincial"\n', encoding="utf-8")
    assert cli("guide", "check", GUIDES, "--policy", policy, "-q")[0] == 3
    policy.write_text('[guide]\nprofile = "national"\n', encoding="utf-8")
    code, out, _ = cli("guide", "check", GUIDES / "贵南县-民政局-结婚登记.yaml", "--policy", policy, "-q", "-f", "json")
    assert code == 1 and json.loads(out)["profile"] == "national"


def test_hnsubmit_check_reads_guides_with_the_policy_profile(cli, tmp_path):
    policy = tmp_path / "p.toml"
    policy.write_text('[guide]\nprofile = "national"\n', encoding="utf-8")
    portal_guide = GUIDES / "贵南县-民政局-结婚登记.yaml"
    code, out, _ = cli("check", portal_guide, "-f", "json", "-q")
    assert code == 0 and json.loads(out)["files"][0]["kind"] == "office-guide"
    code, out, _ = cli("check", portal_guide, "--policy", policy, "-f", "json", "-q")
    assert code == 1 and {f["code"] for f in json.loads(out)["files"][0]["findings"]} == {"GDE002"}


def test_schema_command_is_a_valid_schema_per_profile(cli):
    import jsonschema

    for profile in (PORTAL_2015, NATIONAL):
        code, out, _ = cli("guide", "schema", "--profile", profile.name)
        schema = json.loads(out)
        assert code == 0
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["required"] == list(profile.required)
        assert schema["properties"]["item_name"]["title"] == "事项名称"


def test_export_validates_against_the_schema_and_reads_back(cli, tmp_path):
    import jsonschema

    out_dir = tmp_path / "导出"
    code, out, err = cli("guide", "export", *POSITIVE, "-o", out_dir, "--profile", "national", "-q")
    assert code == 1 and "内地居民结婚登记" in err  # the portal-only guide lacks national elements
    exported = sorted(out_dir.glob("*.json"))
    assert len(exported) == 29  # 6 national YAML + 2 JSON + 1 Word + 20 Excel
    code, schema_text, _ = cli("guide", "schema", "--profile", "national")
    validator = jsonschema.Draft202012Validator(json.loads(schema_text))
    for path in exported:
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        assert errors == [], (path.name, errors[:1])
    assert len(list(out_dir.glob("*.docx"))) == 29
    assert (out_dir / "表格" / "行政许可申请书.pdf").is_file()  # forms travel with the export
    # The export is itself a clean set of guides: JSON and printable Word files alike.
    code, out, _ = cli("guide", "check", out_dir, "--profile", "national", "-q", "-f", "json")
    doc = json.loads(out)
    assert code == 0 and doc["summary"]["guides"] == 58 and doc["summary"]["errors"] == 0


def test_portal_export_passes_the_portal_schema(cli, tmp_path):
    import jsonschema

    code, schema_text, _ = cli("guide", "schema")  # the policy's default profile: portal-2015
    validator = jsonschema.Draft202012Validator(json.loads(schema_text))
    code, _, _ = cli("guide", "export", GUIDES / "贵南县-民政局-结婚登记.yaml", "-o", tmp_path, "--no-docx")
    (path,) = tmp_path.glob("*.json")
    assert code == 0 and list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8")))) == []
    national = jsonschema.Draft202012Validator(json.loads(cli("guide", "schema", "--profile", "national")[1]))
    assert list(national.iter_errors(json.loads(path.read_text(encoding="utf-8"))))  # it lacks national elements


def test_schema_rejects_what_the_rules_reject():
    import jsonschema

    from hnsubmit.guide.model import OfficeGuide
    from hnsubmit.guide.profiles import guide_schema

    validator = jsonschema.Draft202012Validator(guide_schema("national"))
    good = OfficeGuide.model_validate(clean_guide()).model_dump(mode="json", exclude_none=True)
    assert list(validator.iter_errors(good)) == []
    for broken in ({**good, "item_type": "行政审批"}, {**good, "online": True},
                   {**good, "fee_required": True}, {k: v for k, v in good.items() if k != "address"}):
        assert list(validator.iter_errors(broken))


def test_export_skips_guides_with_errors_unless_forced(cli, tmp_path):
    src = write_yaml(tmp_path / "src" / "a.yaml", [clean_guide(), clean_guide(item_name="错的", consult_phone="8591516")])
    code, out, err = cli("guide", "export", src, "-o", tmp_path / "out", "--no-docx")
    assert code == 1 and [p.name for p in (tmp_path / "out").glob("*.json")] == ["生育登记.json"]
    assert "错的" in err
    code, _, _ = cli("guide", "export", src, "-o", tmp_path / "forced", "--no-docx", "--force")
    assert code == 0 and sorted(p.name for p in (tmp_path / "forced").glob("*.json")) == ["生育登记.json", "错的.json"]


def test_same_name_exports_do_not_overwrite(cli, tmp_path):
    src = write_yaml(tmp_path / "src" / "a.yaml", [clean_guide(), clean_guide()])
    code, _, _ = cli("guide", "export", src, "-o", tmp_path / "out", "--no-docx")
    assert code == 0 and sorted(p.name for p in (tmp_path / "out").glob("*.json")) == ["生育登记-2.json", "生育登记.json"]


@pytest.mark.slow
def test_five_hundred_row_batch(tmp_path):
    """A whole prefecture's batch in one workbook: every row a guide, none lost (time it with -s)."""
    import time

    from hnsubmit.checks.guides import check_guides

    shutil.copytree(GUIDES / "表格", tmp_path / "表格")
    path = write_xlsx(tmp_path / "500.xlsx", batch(500))
    start = time.perf_counter()
    report = check_guides([path])
    print(f"\n500 guides checked in {time.perf_counter() - start:.2f} s")
    assert len(report.guides) == 500 and report.findings == []
