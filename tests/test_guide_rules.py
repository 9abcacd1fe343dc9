"""The GDE rules one by one: a clean guide with one change gives exactly the listed codes (yamllint style)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES
from factories import make_docx, make_pdf, make_png
from factories_guide import clean_guide, write_yaml

from hnsubmit.checks.guides import check_guides

N, P = "national", "portal-2015"


def run(tmp_path: Path, guide: dict, profile: str = P):
    return check_guides([write_yaml(tmp_path / "指南.yaml", guide)], profile=profile)


def codes(tmp_path: Path, guide: dict, profile: str = P) -> list[str]:
    return sorted(f.code for f in run(tmp_path, guide, profile).findings)


def change(**kw):
    def apply(g):
        g.update(kw)
    return apply


def drop(*names):
    def apply(g):
        for n in names:
            g.pop(n)
    return apply


def material(**kw):
    def apply(g):
        g["materials"][0].update(kw)
        for k, v in kw.items():
            if v is None:
                g["materials"][0].pop(k)
    return apply


def fee(basis, standard="每本10元", kind="公共服务", **extra):
    def apply(g):
        g.update(item_type=kind, fee_required=True, fees=[{"name": "工本费", "standard": standard, "basis": basis, **extra}])
        if kind != "公共服务":
            g["power_source"] = "法定本级行使"
    return apply


CASES = [
    # GDE002 required elements, per profile and conditional
    ("clean", lambda g: None, P, []),
    ("clean-national", lambda g: None, N, []),
    ("no-name", drop("item_name"), P, ["GDE002"]),
    ("no-office-portal", drop("handling_office"), P, ["GDE002"]),
    ("no-office-national", drop("handling_office"), N, []),
    ("no-case-type-portal", drop("case_type"), P, []),
    ("no-case-type-national", drop("case_type"), N, ["GDE002"]),
    ("empty-string-is-missing", change(address="  "), P, ["GDE002"]),
    ("power-needs-source", change(item_type="行政许可"), N, ["GDE002"]),
    ("power-source-portal", change(item_type="行政许可"), P, []),
    ("entrusted-needs-entrusting", change(implementing_org_nature="受委托组织"), N, ["GDE002"]),
    ("limit-needs-unit", drop("legal_time_limit_unit"), P, ["GDE002"]),
    ("limit-with-unit-in-text", lambda g: (g.pop("legal_time_limit_unit"), g.update(legal_time_limit="1个工作日")), P, []),
    ("basis-without-law", change(legal_basis=[{"article": "第十八条"}]), P, ["GDE002"]),
    # GDE004 placeholders where a value is required
    ("placeholder-none", change(address="无"), P, ["GDE004"]),
    ("placeholder-dash", change(office_hours="——"), P, ["GDE004"]),
    ("placeholder-see", change(handling_office="详见窗口公示"), P, ["GDE004"]),
    ("placeholder-in-number", change(legal_time_limit="—"), P, ["GDE004"]),
    ("placeholder-item", change(procedure=["申请:到窗口申请。", "暂无"]), P, ["GDE004"]),
    ("empty-numbered-item", change(procedure="1. 申请。\n2、\n3. 办结。"), P, ["GDE004"]),
    ("placeholder-material-name", material(name="详见附件"), P, ["GDE004"]),
    ("placeholder-optional-ok", change(quantity_limit="无"), P, []),
    ("no-fee-written-as-none", change(fee_required="无"), P, []),
    # GDE003 code tables
    ("unknown-type", change(item_type="行政审批"), P, ["GDE003"]),
    ("unknown-mode", change(handling_modes="窗口办理、柜台"), N, ["GDE003"]),
    ("unknown-object", change(service_objects=["法人"]), N, ["GDE003"]),
    ("type-by-code", change(item_type=20, exercise_level="县级", case_type="1"), N, []),
    ("unknown-material-kind", material(kind="原件或复印件"), P, ["GDE003"]),
    # GDE005–GDE007 time limits and case type
    ("promised-equals-legal", change(case_type="承诺件", legal_time_limit=20, promised_time_limit=20, promised_time_limit_unit="工作日"), N, []),
    ("promised-exceeds", change(case_type="承诺件", legal_time_limit=20, promised_time_limit=21, promised_time_limit_unit="工作日"), N, ["GDE005"]),
    ("units-differ-in-text", lambda g: (g.pop("legal_time_limit_unit"), g.update(case_type="承诺件", legal_time_limit="20个工作日", promised_time_limit="25个自然日")), N, ["GDE006"]),
    ("immediate-on-the-spot", change(promised_time_limit="当场办结"), N, []),
    ("immediate-with-days", change(legal_time_limit=5, promised_time_limit=2, promised_time_limit_unit="工作日"), N, ["GDE007"]),
    ("immediate-and-over-legal", change(promised_time_limit=2, promised_time_limit_unit="工作日"), N, ["GDE005", "GDE007"]),
    ("promised-case-zero", change(case_type="承诺件"), N, ["GDE007"]),
    # GDE008 / GDE009 codes
    ("uscc-lower-case-spaces", lambda g: g.update(implementing_org_uscc=" " + g["implementing_org_uscc"].lower()), N, []),
    ("uscc-short", lambda g: g.update(implementing_org_uscc=g["implementing_org_uscc"][:17]), N, ["GDE008"]),
    ("uscc-bad-letter", lambda g: g.update(implementing_org_uscc=g["implementing_org_uscc"][:9] + "I" + g["implementing_org_uscc"][10:]), N, ["GDE008"]),
    ("joint-org-uscc", change(joint_orgs=[{"name": "兴海县民政局", "uscc": "11632524MB00005021"}]), N, ["GDE008"]),
    ("catalog-11-chars", lambda g: g.update(catalog_code=g["catalog_code"][:11]), N, ["GDE009", "GDE009"]),
    ("handle-item-code", lambda g: g.update(handle_item_code=g["implement_code"] + "1"), N, ["GDE009"]),
    ("handle-item-code-ok", lambda g: g.update(handle_item_code=g["implement_code"] + "01"), N, []),
    # GDE010 phones
    ("phones-two-and-hotline", change(complaint_phone="0974-8591510、12345"), P, []),
    ("phone-full-width-em-dash", change(consult_phone="０９７４—８５９１５１６"), P, []),
    ("phone-brackets", change(consult_phone="(0974)8591516"), P, []),
    ("phone-short-digit", change(consult_phone="0974-859151"), P, ["GDE010"]),
    ("phone-words", change(consult_phone="请到窗口咨询"), P, ["GDE010"]),
    ("phone-bad-hotline", change(complaint_phone="99999"), P, ["GDE010"]),
    # GDE011 / GDE012 fees
    ("fee-ok", fee("《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》(发改价格〔2017〕1186号)"), P, []),
    ("fee-no-items", change(fee_required=True), P, ["GDE011"]),
    ("fee-no-doc-number", fee("按有关规定收取"), P, ["GDE011"]),
    ("fee-no-standard", fee("(发改价格〔2017〕1186号)", standard=None), P, ["GDE011"]),
    ("fee-listed-but-free", lambda g: g.update(fees=[{"name": "工本费", "standard": "10元", "basis": "财税〔2016〕79号"}]), P, ["GDE011"]),
    ("licence-fee-by-law", fee("《中华人民共和国护照法》;发改价格规〔2019〕914号", kind="行政许可"), N, []),
    ("licence-fee-by-state-council", fee("《道路运输条例》(国务院令第406号)", kind="行政许可"), N, []),
    ("licence-fee-provincial-rule", fee("《青海省道路运输条例》;青发改价格〔2018〕301号", kind="行政许可"), N, ["GDE012"]),
    ("licence-fee-measures-not-law", fee("《青海省收费管理办法》(青政〔2015〕12号)", kind="行政许可"), N, ["GDE012"]),
    # GDE013 online address
    ("online-no-url", change(online=True), N, ["GDE013"]),
    ("online-bare-domain", change(online=True, online_url="zwfw.qinghai.gov.cn"), N, ["GDE013"]),
    ("online-ok", change(online=True, online_url="http://zwfw.qinghai.gov.cn/item/1"), N, []),
    # found by fuzzing (tests/fuzz/regressions/guide_yaml/online-url-unclosed-bracket.yaml): urlsplit raised
    ("online-url-unclosed-bracket", change(online=True, online_url="https://zwfw.qinghai.gov.[n/"), N, ["GDE013"]),
    ("offline-url-ignored", change(online=False, online_url="无"), N, []),
    # GDE014 catch-all
    ("catch-all-material", lambda g: g["materials"].append({**g["materials"][0], "name": "其他相关材料"}), P, ["GDE014"]),
    ("catch-all-condition", lambda g: g["acceptance_conditions"].append("法律法规规定的其他条件"), P, ["GDE014"]),
    # GDE015 materials
    ("material-no-issuer", material(issuer=None), P, ["GDE015"]),
    ("material-copy-zero", material(kind="复印件", originals=None, copies=0), P, ["GDE015"]),
    ("material-electronic-no-count", material(form="电子", originals=None), P, []),
    ("material-several-gaps-one-finding", material(kind=None, necessity=None), P, ["GDE015"]),
    ("material-placeholder-count", material(originals="—"), P, ["GDE015"]),
    # GDE018 / GDE019
    ("bad-date", change(effective_date="明年"), P, ["GDE018"]),
    ("negative-visits", change(onsite_visits=-1), P, ["GDE018"]),
    ("too-many-copies", material(originals=150), P, ["GDE018"]),
    ("name-too-long", change(item_name="长" * 201), P, ["GDE018"]),
    ("list-for-text", change(address=["一楼", "二楼"]), P, ["GDE018"]),
    ("element-twice", lambda g: g.update({"项目名称": "生育登记"}), P, ["GDE018"]),
    ("typo-element", lambda g: g.update({"办里时间": "全天"}), P, ["GDE019"]),
]


@pytest.mark.parametrize("name,mutate,profile,expected", CASES, ids=[c[0] for c in CASES])
def test_rule(tmp_path, name, mutate, profile, expected):
    guide = clean_guide()
    mutate(guide)
    assert codes(tmp_path, guide, profile) == expected


def test_message_names_the_element_and_the_fix(tmp_path):
    from hnsubmit.render.view import view

    report = run(tmp_path, clean_guide(consult_phone="8591516"))
    (f,) = report.findings
    assert view(f, "zh").message == "「咨询电话」中的号码“8591516”无效:缺少区号,应写成 0974-8591516 这样的形式"
    assert "0974-8591516" in view(f, "en").message
    report = run(tmp_path, {**clean_guide(), "办里地点": "x"})
    assert "是否应为「办理地点」" in view(report.findings[0], "zh").message


def test_placeholder_is_not_also_missing_or_invalid(tmp_path):
    guide = clean_guide(address="无", consult_phone="暂无", legal_time_limit="—", office_hours="详见大厅公示")
    found = run(tmp_path, guide).findings
    assert sorted((f.code, f.location.field_path) for f in found) == [
        ("GDE004", "address"), ("GDE004", "consult_phone"), ("GDE004", "legal_time_limit"), ("GDE004", "office_hours"),
    ]


def test_sensitive_scan_sees_guide_fields(tmp_path):
    guide = clean_guide()
    guide["materials"][0]["fill_notes"] = "如有疑问请联系张老师 13909741234。"
    path = write_yaml(tmp_path / "指南.yaml", guide)
    found = check_guides([path]).findings
    txt = [f for f in found if f.code.startswith("TXT")]
    assert [f.code for f in found if not f.code.startswith("TXT")] == []
    assert [f.location.field_path for f in txt] == ["materials[0].fill_notes"]
    assert txt[0].location.line == next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "1390974" in ln)


# -- forms (GDE016, GDE017) ---------------------------------------------------------------------


def _form_guide(files, name="生育登记申请表", **extra) -> dict:
    guide = clean_guide()
    guide["materials"].append({"name": name, "kind": "原件", "form": "纸质", "originals": 1, "necessity": "必要",
                               "source": "申请人自备", **({"blank_form": files} if files is not None else {}), **extra})
    return guide


@pytest.fixture
def forms(tmp_path):
    folder = tmp_path / "表格"
    folder.mkdir()
    make_docx(folder / "申请表.docx", ["生育登记申请表", "姓名:"])
    make_pdf(folder / "申请表.pdf", "form")
    make_png(folder / "截图.docx")
    return folder


@pytest.mark.parametrize(
    "files,extra,expected",
    [
        (["表格/申请表.docx", "表格/申请表.pdf"], {}, []),
        (["表格\\申请表.docx", "表格\\申请表.pdf"], {}, []),  # Windows separators
        (None, {}, ["GDE016"]),  # a form by its name, without files
        (None, {"is_form": False}, []),  # the author says it is not a form
        (["表格/申请表.docx"], {}, ["GDE016"]),
        (["表格/截图.docx", "表格/申请表.pdf"], {}, ["GDE016"]),  # a PNG named .docx is not Word
        (["表格/申请表.docx", "表格/缺失.pdf"], {}, ["GDE016"]),
        (["/etc/hostname", "表格/申请表.pdf"], {}, ["GDE016"]),
        (["../表格/申请表.docx", "表格/申请表.pdf"], {}, ["GDE016"]),
        (["C:\\表格\\申请表.docx", "表格/申请表.pdf"], {}, ["GDE016"]),
    ],
    ids=["ok", "backslashes", "no-files", "not-a-form", "word-only", "png-as-word", "pdf-missing", "absolute", "dotdot", "drive"],
)
def test_form_files(tmp_path, forms, files, extra, expected):
    assert codes(tmp_path, _form_guide(files, **extra)) == expected


def test_form_word_file_must_pass_word_checks(tmp_path, forms):
    data = (forms / "申请表.docx").read_bytes()
    (forms / "断.docx").write_bytes(data[: len(data) // 2])
    report = run(tmp_path, _form_guide(["表格/断.docx", "表格/申请表.pdf"]))
    (f,) = report.findings
    assert f.code == "GDE017" and f.args["codes"] == "FMT008"
    assert f.args["file"].endswith("表格/断.docx")


def test_form_reason_lists_every_problem(tmp_path, forms):
    from hnsubmit.render.view import view

    (f,) = run(tmp_path, _form_guide(["表格/截图.docx"])).findings
    message = view(f, "zh").message
    assert "不是 Word 或 PDF" in message and "缺少 Word 文件" in message and "缺少 PDF 文件" in message


def test_examples_forms_are_checked_once_per_file(tmp_path, monkeypatch):
    """Twenty guides naming the same form: its Word check runs once."""
    import hnsubmit.checks.run as check_module

    calls = []
    original = check_module.check_entry
    monkeypatch.setattr(check_module, "check_entry", lambda e, o: calls.append(e.path.name) or original(e, o))
    src = EXAMPLES / "office-guides"
    shutil.copytree(src / "表格", tmp_path / "表格")
    shutil.copy(src / "海南州-办事指南批量报送.xlsx", tmp_path)
    report = check_guides([tmp_path / "海南州-办事指南批量报送.xlsx"])
    assert len(report.guides) == 20 and not report.findings
    assert calls == ["行政许可申请书.docx"]
