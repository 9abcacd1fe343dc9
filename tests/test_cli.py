"""The command line, end to end through the real error boundary: every foundation command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from conftest import EXAMPLES, REPO
from factories import make_jpeg, make_png

NEG = EXAMPLES / "negative"
POS = EXAMPLES / "positive"


def test_check_clean_folder_exits_0(cli):
    code, out, _ = cli("check", POS)
    assert code == 0
    assert "PASSED" in out or "通过" in out


def test_check_failing_file_exits_1_and_names_codes(cli):
    code, out, _ = cli("check", NEG / "截图-其实是PNG.jpg")
    assert code == 1
    assert "FMT001" in out and "FMT002" in out
    assert "PNG" in out


def test_check_missing_path_is_usage_error(cli, tmp_path):
    code, _, err = cli("check", tmp_path / "nope.jpg")
    assert code == 2
    assert "nope.jpg" in err


def test_exit_zero_reports_but_passes(cli):
    code, out, _ = cli("check", NEG / "宣传片.mp4", "--exit-zero")
    assert code == 0 and "FMT001" in out


def test_strict_makes_warnings_fail(cli, tmp_path):
    # a real JPEG named .png: only FMT002 (a warning)
    path = make_jpeg(tmp_path / "photo.png", (400, 300))
    code, _, _ = cli("check", path, "--select", "FMT")
    assert code == 0
    code, out, _ = cli("check", path, "--strict", "--select", "FMT")
    assert code == 1 and "FMT002" in out


def test_select_ignore_longest_prefix_wins(cli):
    path = NEG / "截图-其实是PNG.jpg"
    _, out, _ = cli("check", path, "--ignore", "FMT", "--select", "FMT002", "--format", "json")
    codes = [f["code"] for f in json.loads(out)["files"][0]["findings"]]
    assert codes == ["FMT002"]
    _, out, _ = cli("check", path, "--ignore", "FMT00", "--select", "FMT", "--format", "json")
    assert json.loads(out)["files"][0]["findings"] == []


def test_severity_override_from_command_line(cli):
    code, out, _ = cli("check", NEG / "宣传片.mp4", "--severity", "FMT001=warning", "--format", "json")
    assert code == 0
    assert json.loads(out)["files"][0]["findings"][0]["severity"] == "warning"


def test_bad_severity_spec_is_usage_error(cli):
    code, _, _ = cli("check", POS, "--severity", "FMT001=fatal")
    assert code == 2


def test_policy_file_and_bad_policy(cli, tmp_path):
    code, out, _ = cli("check", NEG / "limits" / "大照片.jpg", "--policy", NEG / "limits" / "small.policy.toml")
    assert code == 1 and "FMT005" in out
    bad = tmp_path / "bad.toml"
    bad.write_text("[formats]\nallowed = 3\n", encoding="utf-8")
    code, _, err = cli("check", POS, "--policy", bad)
    assert code == 3 and "formats.allowed" in err
    broken = tmp_path / "broken.toml"
    broken.write_text("[formats\n", encoding="utf-8")
    code, _, err = cli("check", POS, "--policy", broken)
    assert code == 3 and "TOML" in err


def test_policy_severity_override_and_allowing_a_format(cli, tmp_path):
    pol = tmp_path / "p.toml"
    pol.write_text('[formats]\nallowed = ["docx", "doc", "jpeg", "wmv", "png"]\n', encoding="utf-8")
    png = make_png(tmp_path / "shot.png")
    assert cli("check", png, "--policy", pol)[0] == 0
    assert cli("check", png)[0] == 1


def test_every_output_format(cli, tmp_path):
    target = NEG / "截图-其实是PNG.jpg"
    _, out, _ = cli("check", target, "--format", "json")
    doc = json.loads(out)
    assert doc["summary"]["errors"] == 1 and doc["summary"]["warnings"] == 1
    assert doc["files"][0]["kind"] == "png"

    _, out, _ = cli("check", target, "--format", "junit")
    suite = ET.fromstring(out.split("?>", 1)[1]).find("testsuite")
    assert suite.get("failures") == "1"
    assert suite.find("testcase/failure").get("type") == "FMT001"

    _, out, _ = cli("check", target, "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"FMT001", "FMT002"}
    assert {r["level"] for r in results} == {"error", "warning"}
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in results] == [r["ruleId"] for r in results]

    _, out, _ = cli("check", target, "--format", "github")
    lines = out.strip().splitlines()
    assert lines[0].startswith("::error file=") and "FMT001" in lines[0]
    assert lines[1].startswith("::warning file=")

    _, out, _ = cli("check", target, "--format", "gitlab")
    gl = json.loads(out)
    assert {i["severity"] for i in gl} == {"critical", "minor"}
    assert all(len(i["fingerprint"]) == 64 for i in gl)


def test_several_formats_and_output_files(cli, tmp_path):
    sarif = tmp_path / "out" / "report.sarif"
    junit = tmp_path / "out" / "junit.xml"
    code, out, _ = cli("check", NEG, "--format", "text", "-o", f"sarif={sarif}", "-o", f"junit={junit}")
    assert code == 1
    assert json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert ET.parse(junit).getroot().tag == "testsuites"
    code, _, _ = cli("check", NEG, "-o", "pdf=x.pdf")
    assert code == 2


def test_english_messages(cli):
    _, out, _ = cli("--lang", "en", "check", NEG / "宣传片.mp4")
    assert "the portal accepts only" in out
    _, out, _ = cli("check", NEG / "宣传片.mp4")
    assert "门户网站只接收" in out


def test_english_locale_picks_english(cli):
    _, out, _ = cli("check", NEG / "宣传片.mp4", env={"LANG": "en_US.UTF-8"})
    assert "the portal accepts only" in out


def test_explain_in_both_languages(cli):
    code, out, _ = cli("explain", "FMT001")
    assert code == 0 and "格式不在报送范围内" in out and "南政办〔2015〕86号" in out
    code, out, _ = cli("--lang", "en", "explain", "FMT001")
    assert code == 0 and "Format not accepted by the portal" in out and "Passes:" in out
    code, out, _ = cli("explain", "extension-mismatch")
    assert code == 0 and "FMT002" in out


def test_explain_unknown_code_exits_2_with_suggestion(cli):
    code, _, err = cli("explain", "FMT01")
    assert code == 2
    assert "FMT01" in err and "FMT001" in err


def test_rules_list_text_and_json(cli):
    code, out, _ = cli("rules", "--format", "json")
    rules = json.loads(out)
    assert code == 0 and any(r["code"] == "FMT001" and r["fixable"] for r in rules)
    assert all({"zh", "en"} <= set(r["title"]) for r in rules)
    code, out, _ = cli("rules", "--family", "FMT")
    assert code == 0 and "FMT009" in out


def test_config_show_sources_and_hidden_token(cli, tmp_path, monkeypatch):
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        'default_profile = "gonghe"\n[profiles.gonghe]\nunit = "632521"\nendpoint = "https://exchange.example"\n',
        encoding="utf-8",
    )
    secret = "tok_" + "x" * 40
    code, out, _ = cli(
        "config", "show", "--format", "json",
        env={"HNSUBMIT_CONFIG": str(cfg), "HNSUBMIT_ENDPOINT": "http://127.0.0.1:9", "HNSUBMIT_TOKEN": secret},
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["profile"] == "gonghe"
    s = doc["settings"]
    assert s["unit"] == {"value": "632521", "source": f"config file {cfg} [profiles.gonghe]"}
    assert s["endpoint"]["source"] == "environment HNSUBMIT_ENDPOINT"
    assert s["token"]["value"] == "<hidden>"
    assert secret not in out


def test_config_unknown_profile_is_config_error(cli, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[profiles.a]\nunit = '632521'\n", encoding="utf-8")
    code, _, err = cli("--profile", "b", "config", "show", env={"HNSUBMIT_CONFIG": str(cfg)})
    assert code == 3 and "b" in err


def test_config_policy_prints_default_policy(cli):
    code, out, _ = cli("config", "policy")
    assert code == 0 and 'allowed = ["docx", "doc", "jpeg", "wmv"]' in out


def test_fix_writes_copies_and_leaves_originals(cli, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    jpeg_named_png = make_jpeg(src / "photo.png", (400, 300))
    before = jpeg_named_png.read_bytes()
    out = tmp_path / "fixed"
    code, stdout, _ = cli("fix", src, "-o", out)
    assert jpeg_named_png.read_bytes() == before
    fixed = out / "photo.jpg"
    assert fixed.exists() and fixed.read_bytes() == before
    assert ".jpg" in stdout


def test_version_and_help(cli):
    code, out, _ = cli("--version")
    assert code == 0 and out.startswith("hnsubmit ")
    code, out, _ = cli("--help")
    assert code == 0 and "check" in out


def test_python_dash_m_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "hnsubmit", "check", str(NEG / "宣传片.mp4"), "--format", "json"],
        capture_output=True, text=True, cwd=REPO, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["files"][0]["kind"] == "mp4"
    assert "Traceback" not in proc.stderr


def test_fix_writes_nothing_when_no_fixer_applies(cli, tmp_path):
    """A fixable code (FMT001) on a format no fixer handles: no copy, no invented change."""
    import openpyxl

    src = tmp_path / "in"
    src.mkdir()
    wb = openpyxl.Workbook()
    wb.active["A1"] = "统计表"
    wb.save(src / "统计.xlsx")
    out = tmp_path / "fixed"
    code, stdout, _ = cli("fix", src, "-o", out)
    assert code == 1
    assert not out.exists() or not any(out.rglob("*"))
    assert "FMT001" in stdout and "extension" not in stdout
