"""The TXT scanner over a file's extracted texts: codes, locations, bounds, and no full number in any output."""

from __future__ import annotations

from pathlib import Path

import pytest

from factories_text import FICTITIOUS_MOBILE, fictitious_card, fictitious_id, fictitious_id15, make_text_docx
from hnsubmit.rules.findings import FileResult, Location, Report, Severity
from hnsubmit.checks.formats.identify import info
from hnsubmit.policy.model import load_policy
from hnsubmit.checks.validators import text_scan
from hnsubmit.checks.context import FileContext

ID = fictitious_id()
CARD = fictitious_card()


def context(*segments: tuple[str, Location]) -> FileContext:
    ctx = FileContext(Path("稿件.docx"), "稿件.docx", info("docx"), load_policy())
    for text, location in segments:
        ctx.add_text(text, location)
    return ctx


def codes_and_places(findings) -> list[tuple[str, str]]:
    return [(f.code, f.location.describe()) for f in findings]


def test_every_kind_with_its_location():
    # Locations named as the Word validators name them (hnsubmit/formats/wordml.py)
    ctx = context(
        ("机密★1年", Location(part="header1", paragraph=1)),
        (f"联系人:李某,手机 {FICTITIOUS_MOBILE}", Location(part="body", paragraph=3)),
        (ID, Location(part="table", paragraph=5, table_cell="table 1, row 2, column 3")),
        (f"卡号 {CARD}", Location(part="text box", paragraph=7)),
        ("请回复 li@example.com", Location(part="comment", paragraph=1)),
        (fictitious_id15(), Location(part="footer2", paragraph=1)),
    )
    findings = list(text_scan.scan(ctx))
    assert codes_and_places(findings) == [
        ("TXT001", "header1 ¶1"),
        ("TXT004", "body ¶3"),
        ("TXT002", "table ¶5 table 1, row 2, column 3"),
        ("TXT003", "text box ¶7"),
        ("TXT005", "comment ¶1"),
        ("TXT002", "footer2 ¶1"),
    ]
    assert [f.severity for f in findings] == [
        Severity.ERROR, Severity.WARNING, Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.ERROR,
    ]
    mark, mobile, id18, card, email, id15 = findings
    assert mark.args["value"] == "机密★1年" and mark.args["place"] == {"zh": "页眉1第 1 段", "en": "header1, paragraph 1"}
    assert mobile.args["value"] == "138****8000" and mobile.args["place"]["zh"] == "正文第 3 段"
    assert id18.args["value"] == f"6325{'*' * 10}{ID[-4:]}"
    assert id18.args["place"] == {"zh": "表 1 第 2 行第 3 列", "en": "table 1, row 2, column 3"}
    assert id18.args["variant"]["en"] == "18 characters" and id15.args["variant"]["en"] == "15-digit legacy form"
    assert card.args["place"]["zh"] == "文本框第 7 段"
    assert email.args == {"value": "l***@example.com", "excerpt": "请回复 l***@example.com", "place": {"zh": "批注第 1 段", "en": "comment, paragraph 1"}}
    assert id15.args["place"]["zh"] == "页脚2第 1 段"


def test_messages_render_in_both_languages():
    from hnsubmit.rules.registry import get_rule

    (f,) = text_scan.scan(context((f"身份证 {ID}", Location(part="body", paragraph=2))))
    rule = get_rule(f.code)
    value = f.args["value"]
    assert rule.render("message", "zh", f.args) == f"正文第 2 段有居民身份证号码 {value}(18 位),上下文:“身份证 {value}”"
    assert rule.render("message", "en", f.args) == f"Resident ID number {value} (18 characters) in body, paragraph 2; context: “身份证 {value}”"


def test_clean_text_gives_nothing():
    ctx = context(
        ("各单位要严格保守国家秘密。联系电话:0974-8512345,热线 12345。", Location(part="body", paragraph=1)),
        ("依据南政办〔2015〕86号,2015年7月13日印发。", Location(part="body", paragraph=2)),
    )
    assert list(text_scan.scan(ctx)) == []


def test_findings_per_code_are_capped_and_the_rest_counted():
    rows = [(f"学员{i} 1380013{8000 + i}", Location(part="body", table_cell=f"table 1, row {i + 1}, column 2")) for i in range(25)]
    findings = list(text_scan.scan(context(*rows)))
    assert [f.code for f in findings] == ["TXT004"] * text_scan.MAX_PER_CODE + ["TXT006"]
    assert findings[-1].args["reason"]["en"] == "25 places for TXT004, only the first 20 listed"


def test_text_beyond_the_bound_is_reported_not_scanned(monkeypatch):
    monkeypatch.setattr(text_scan, "MAX_CHARS", 30)
    ctx = context(
        (f"手机 {FICTITIOUS_MOBILE}", Location(part="body", paragraph=1)),
        ("甲" * 40 + ID, Location(part="body", paragraph=2)),
    )
    findings = list(text_scan.scan(ctx))
    assert [f.code for f in findings] == ["TXT004", "TXT006"]
    assert "remaining 42 " in findings[-1].args["reason"]["en"]  # 58 characters of ¶2, 16 of them scanned


def _report(findings) -> Report:
    return Report((FileResult("稿件.docx", "docx", 1234, tuple(findings), "Word"),))


def _every_output(report: Report) -> dict[str, str]:
    from hnsubmit.render.reporters import REPORTER_BY_NAME, reporter
    from hnsubmit.render.text import render_plain

    out = {}
    for lang in ("zh", "en"):
        for name in REPORTER_BY_NAME:
            out[f"{name}/{lang}"] = reporter(name)(report, lang)
        out[f"plain/{lang}"] = render_plain(report, lang)
    return out


def test_no_output_format_ever_shows_a_full_number():
    card_grouped = " ".join(CARD[i:i + 4] for i in range(0, len(CARD), 4))
    id15 = fictitious_id15()
    secrets = [ID, CARD, FICTITIOUS_MOBILE, id15, "li.si@example.com", "li.si"]
    ctx = context(
        (f"李某 {ID} 王某 {id15}", Location(part="body", table_cell="table 1, row 2, column 3")),
        (f"手机 {FICTITIOUS_MOBILE},卡号 {card_grouped}", Location(part="body", paragraph=4)),
        ("邮箱 li.si@example.com", Location(part="body", paragraph=5)),
    )
    findings = list(text_scan.scan(ctx))
    assert sorted(f.code for f in findings) == ["TXT002", "TXT002", "TXT003", "TXT004", "TXT005"]
    for name, text in _every_output(_report(findings)).items():
        assert "TXT002" in text, name  # the findings are there...
        flat = text.replace(" ", "").replace("\\u0020", "")
        for secret in secrets:
            assert secret not in text and secret.replace(" ", "") not in flat, (name, secret)  # ...the numbers are not


def test_finding_args_hold_no_raw_number():
    findings = list(text_scan.scan(context((f"{ID} {CARD} {FICTITIOUS_MOBILE}", Location(part="body", paragraph=1)))))
    assert len(findings) == 3
    for f in findings:
        assert all(s not in repr(f) for s in (ID, CARD, FICTITIOUS_MOBILE))


def test_registered_as_a_text_scanner():
    from hnsubmit.checks.validators.registry import text_scanners

    assert text_scan.scan in text_scanners()


@pytest.mark.parametrize(
    "location,zh,en",
    [
        (Location(), "正文", "body"),
        (Location(part="footnote", paragraph=2), "脚注第 2 段", "footnote, paragraph 2"),
        (Location(part="word/header3.xml"), "页眉3", "word/header3.xml"),
        (Location(part="header1 text box", paragraph=1), "页眉1文本框第 1 段", "header1 text box, paragraph 1"),
        (Location(part="text box", table_cell="table 1, row 1, column 2"), "文本框表 1 第 1 行第 2 列", "text box, table 1, row 1, column 2"),
        (Location(part="body (deleted text)", paragraph=4), "正文(已删除文字)第 4 段", "body (deleted text), paragraph 4"),
        (Location(part="docProps"), "文档属性", "document properties"),
        (Location(part="header/footer", paragraph=2), "页眉页脚第 2 段", "header/footer, paragraph 2"),
        (Location(part="header text box", paragraph=1), "页眉文本框第 1 段", "header text box, paragraph 1"),
        (Location(field_path="materials[2].name"), "字段 materials[2].name", "field materials[2].name"),
        (Location(part="Sheet1", table_cell="C7"), "Sheet1表格(C7)", "Sheet1, cell C7"),
    ],
)
def test_place_descriptions(location, zh, en):
    from hnsubmit.checks.textscan.place import describe

    assert describe(location) == {"zh": zh, "en": en}


# --- end to end: real Word files through the Word validator and the runner ----------------------


def _check(path: Path):
    from hnsubmit.checks.run import CheckOptions, run_check, selection_from

    policy = load_policy()
    return run_check([path], CheckOptions(policy, selection_from(policy))).findings


def test_docx_with_an_id_in_a_table_cell(tmp_path):
    path = make_text_docx(
        tmp_path / "公示名单.docx",
        ["培训补贴发放名单公示", "经审核,下列人员符合条件,现予公示。"],
        table=[["序号", "姓名", "身份证号码"], ["1", "李某某", ID]],
    )
    findings = _check(path)
    assert [(f.code, f.location.describe()) for f in findings] == [("TXT002", "table ¶8 table 1, row 2, column 3")]
    assert findings[0].args["place"]["zh"] == "表 1 第 2 行第 3 列"
    assert findings[0].args["value"] == f"6325{'*' * 10}{ID[-4:]}"


def test_docx_with_a_mobile_in_a_paragraph(tmp_path):
    path = make_text_docx(
        tmp_path / "通讯稿.docx",
        ["恰卜恰镇举办技能培训班", "120余名农牧民参加培训。", f"联系人:李某某,手机 {FICTITIOUS_MOBILE},办公电话 0974-8512345。"],
    )
    findings = _check(path)
    assert [(f.code, f.location.describe()) for f in findings] == [("TXT004", "body ¶3")]
    assert findings[0].args["excerpt"] == "联系人:李某某,手机 138****8000,办公电话 0974-8…"


def test_docx_marks_in_header_and_clean_prose(tmp_path):
    path = make_text_docx(
        tmp_path / "纪要.docx",
        ["会议纪要", "各单位要严格保守国家秘密。", "请注意保存受理回执。"],
        header="秘密★6个月",
    )
    assert [(f.code, f.location.describe(), f.args["value"]) for f in _check(path)] == [
        ("TXT001", "header1 ¶1", "秘密★6个月")
    ]


def test_the_cli_never_prints_the_full_number(tmp_path, cli):
    path = make_text_docx(
        tmp_path / "名单.docx",
        ["名单", f"李某某 {ID},手机 {FICTITIOUS_MOBILE},卡号 {CARD}"],
    )
    for fmt in ("text", "json", "junit", "sarif", "github", "gitlab"):
        code, out, err = cli("check", path, "--format", fmt)
        assert code == 1, (fmt, out, err)
        assert "TXT002" in out or "身份证" in out, fmt
        for secret in (ID, FICTITIOUS_MOBILE, CARD):
            assert secret not in out + err, (fmt, secret)


def test_third_party_word_files_give_no_txt_findings_and_no_crash(corpus):
    """Real documents from other projects' test suites: their text is scanned, nothing is flagged."""
    from hnsubmit.checks.run import CheckOptions, run_check, selection_from
    from hnsubmit.checks.context import FileContext as _Ctx

    policy = load_policy()
    paths = sorted((corpus / "docx").glob("*.doc*")) + sorted((corpus / "doc").glob("*.doc"))
    assert len(paths) >= 20
    report = run_check(paths, CheckOptions(policy, selection_from(policy)))
    codes = [f.code for f in report.findings]
    assert not [c for c in codes if c.startswith("TXT") or c == "FMT006"], codes
    # and the scan did see their text: poi_SampleDoc.docx has a few paragraphs (130 characters)
    from hnsubmit.checks.formats.identify import identify_path
    from hnsubmit.checks.validators.registry import validators_for

    for sample in (corpus / "docx" / "poi_SampleDoc.docx", corpus / "doc" / "poi_SampleDoc.doc"):
        ctx = _Ctx(sample, sample.name, identify_path(sample), policy)
        for validator in validators_for(ctx.kind):
            list(validator(ctx))
        assert sum(len(t.text) for t in ctx.texts) > 100, sample.name
