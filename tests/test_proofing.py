"""The PRF family: each kind of check on plain text, the lists as data, and real Word files (.docx
made by python-docx, .doc converted by LibreOffice) with the mistakes in the body, a table, the
header and a text box."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import REPO
from factories_proofing import DRAFT_EXPECTED, LEADERS_CSV_FULL, _docx, draft_docx
from hnsubmit.checks.proofing.engine import Proofreader, for_policy, proofreader, with_lists
from hnsubmit.checks.proofing.lists import Leader, Lists, build_lists, read_terms
from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.errors import PolicyError
from hnsubmit.policy.model import load_policy

BUILTIN = ("builtin:words", "builtin:organs", "builtin:expressions")
DOC_FIXTURE = REPO / "tests" / "data" / "proofing" / "校对样稿.doc"


@pytest.fixture(scope="module")
def reader() -> Proofreader:
    lists = build_lists(BUILTIN)
    leaders = (Leader("张三", ("州委书记",), "t"), Leader("李四", ("副州长",), "t"), Leader("王小明", ("州长",), "t"))
    return Proofreader(Lists(lists.terms, leaders, lists.sources))


def hits(reader: Proofreader, text: str) -> list[tuple[str, str]]:
    return [(h.code, text[h.start:h.end]) for h in reader.check(text)]


# -- kind 1: wrong words and idioms --------------------------------------------------------------

def test_wrong_words_and_idioms_with_their_correct_form(reader):
    found = reader.check("大家要再接再励，按部就搬地把帐户管好。")
    assert [(h.code, h.suggestion) for h in found] == [("PRF001", "再接再厉"), ("PRF001", "按部就班"), ("PRF001", "账户")]


def test_context_exceptions_keep_legitimate_text_quiet(reader):
    assert hits(reader, "万事俱备，只欠东风；公安照片已采集；依法预防犯罪。") == []
    assert hits(reader, "条件俱备。") == [("PRF001", "俱备")]


def test_ji_you_pairing_is_reported_on_ji(reader):
    assert hits(reader, "他即是组织者又是参与者。") == [("PRF001", "即")]
    assert hits(reader, "他既是组织者又是参与者。即日起施行，又是一年。") == []


# -- kind 2: outdated organ names ----------------------------------------------------------------

def test_outdated_organ_names_longest_match_and_history(reader):
    assert hits(reader, "国家卫生和计划生育委员会发文。") == [("PRF002", "国家卫生和计划生育委员会")]
    assert hits(reader, "原国家工商行政管理总局、原县环保局的档案。") == []
    assert hits(reader, "依据劳动和社会保障部令第28号。") == []  # a citation names its issuer as it was
    assert hits(reader, "卫生部门和农业部门联合检查。") == []


# -- kind 3: expressions not to be used --------------------------------------------------------

def test_forbidden_expressions_with_source(reader):
    found = reader.check("香港政府和台湾总统")
    assert [(h.code, h.suggestion) for h in found] == [("PRF003", "香港特区政府"), ("PRF003", "台湾地区领导人")]
    assert all("新华社" in h.note for h in found)
    assert hits(reader, "香港特区政府、台湾地区领导人") == []


# -- kind 4: dates -----------------------------------------------------------------------------

@pytest.mark.parametrize("text,wrong", [
    ("2026年2月30日前报送", "2026年2月30日"),
    ("二〇二六年二月三十日前报送", "二〇二六年二月三十日"),
    ("２０２６年４月３１日", "２０２６年４月３１日"),
    ("2月30日", "2月30日"),
    ("2026年13月1日", "2026年13月1日"),
    ("2026年12月6日（星期一）", "2026年12月6日（星期一）"),
    ("二〇二六年十二月六日(周三)", "二〇二六年十二月六日(周三)"),
])
def test_impossible_dates_and_wrong_weekdays(reader, text, wrong):
    assert hits(reader, text) == [("PRF004", wrong)]


def test_real_dates_pass(reader):
    assert hits(reader, "2026年12月6日（星期日）、2028年2月29日、2月29日、二〇二六年十二月三十一日、十五日内、6个月30日") == []


def test_weekday_suggestion_names_the_right_day(reader):
    (hit,) = reader.check("2026年12月6日(星期一)")
    assert hit.suggestion["zh"] == "2026年12月6日是星期日"


# -- kind 5: doubled characters ----------------------------------------------------------------

def test_doubled_characters_but_not_idioms(reader):
    assert hits(reader, "这是我们的的工作，完成了了。") == [("PRF005", "的的"), ("PRF005", "了了")]
    assert hits(reader, "的的确确，不了了之，是是非非，关键是是否落实，实现目的的手段，一把把钥匙。") == []


# -- kind 6: punctuation -----------------------------------------------------------------------

def test_half_width_between_chinese_in_a_chinese_punctuated_paragraph(reader):
    assert hits(reader, "会议要求，各乡镇压实责任,做好储备;确保安全。") == [("PRF006", ","), ("PRF006", ";")]
    assert hits(reader, "Time: 9:00, room 3，会议室") == []


def test_doubled_punctuation_but_not_ellipsis_or_dash(reader):
    assert hits(reader, "请准时参加，，不得缺席。。") == [("PRF006", "，，"), ("PRF006", "。。")]
    assert hits(reader, "等等……一一落实——这是要求。") == []


def test_unbalanced_quotes_titles_and_brackets(reader):
    assert hits(reader, "印发《方案的通知") == [("PRF006", "《")]
    assert hits(reader, "他说“好的。") == [("PRF006", "“")]
    assert hits(reader, "（一）总体要求】") == [("PRF006", "】")]
    assert hits(reader, "1）第一项“要求”《方案》（附件）") == []


# -- kind 7: leaders ----------------------------------------------------------------------------

def test_listed_leader_with_a_title_not_theirs(reader):
    assert hits(reader, "李四州长出席会议。") == [("PRF007", "李四州长")]
    assert hits(reader, "州长李四出席。") == [("PRF007", "州长李四")]
    assert hits(reader, "副州长李四、张三书记、州长王小明出席。") == []  # 书记 shortens 州委书记


def test_two_character_name_padded_to_three(reader):
    assert hits(reader, "李　四州长出席。") == [("PRF007", "李　四州长")]
    assert hits(reader, "副州长李 四出席。") == []


def test_name_one_character_from_a_leader_next_to_that_title(reader):
    found = reader.check("副州长李西主持会议，州长王小名讲话。")
    assert [(h.code, h.suggestion) for h in found] == [("PRF008", "李四"), ("PRF008", "王小明")]
    assert hits(reader, "副州长李四主持会议。") == []


# -- the lists as data -------------------------------------------------------------------------

def test_builtin_lists_have_the_promised_size_and_notes():
    terms = build_lists(BUILTIN).terms
    by_code = {code: [t for t in terms if t.code == code] for code in ("PRF001", "PRF002", "PRF003")}
    assert len(by_code["PRF001"]) >= 300 and len(by_code["PRF002"]) >= 40 and len(by_code["PRF003"]) >= 30
    assert all(t.note for t in by_code["PRF002"] + by_code["PRF003"])  # each organ its reform, each expression its source
    assert all(t.wrong != t.right for t in terms)
    for name in ("words", "organs", "expressions"):  # the shipped files are plain 5-column CSV
        rows = list(csv.reader((REPO / "hnsubmit" / "checks" / "proofing" / "data" / f"{name}.csv").open(encoding="utf-8")))
        assert rows[0] == ["错误写法", "正确写法", "类别", "说明", "例外"] and {len(r) for r in rows} == {5}


def test_office_list_adds_overrides_and_switches_off(tmp_path):
    office = tmp_path / "单位词表.csv"
    # as Excel saves it: UTF-8 with BOM, CRLF, a header, only some columns filled
    office.write_bytes("错误写法,正确写法,类别,说明\r\n海南洲,海南州,错别字,本州名称\r\n!再接再励\r\n帐户,账户(单位规定),错别字,\r\n".encode("utf-8-sig"))
    lists = build_lists(BUILTIN + (str(office),))
    reader = Proofreader(lists)
    found = reader.check("海南洲各单位再接再励，管好帐户。")
    assert [(h.code, h.suggestion) for h in found] == [("PRF001", "海南州"), ("PRF001", "账户(单位规定)")]
    sources = {t.wrong: t.source for t in lists.terms}
    assert sources["海南洲"] == f"{office}:2" and sources["按部就搬"].startswith("builtin:words:")


def test_gbk_list_and_bad_lists(tmp_path):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("海南洲,海南州,错别字,\n".encode("gb18030"))
    assert read_terms(str(gbk))[0][1].right == "海南州"
    missing = tmp_path / "none.csv"
    with pytest.raises(PolicyError):
        build_lists((str(missing),))
    broken = tmp_path / "broken.csv"
    broken.write_text("海南洲\n", encoding="utf-8")
    with pytest.raises(PolicyError):
        build_lists((str(broken),))
    with pytest.raises(PolicyError):
        build_lists(("builtin:nothing",))


def test_automaton_built_once_and_again_only_when_a_list_changes(tmp_path):
    office = tmp_path / "单位词表.csv"
    office.write_text("海南洲,海南州,错别字,\n", encoding="utf-8")
    first = proofreader(BUILTIN + (str(office),))
    assert proofreader(BUILTIN + (str(office),)) is first
    office.write_text("海南洲,海南州,错别字,\n共和镇,共和县,错别字,\n", encoding="utf-8")
    assert proofreader(BUILTIN + (str(office),)) is not first


def test_policy_names_the_lists_relative_to_itself(tmp_path):
    (tmp_path / "领导名单.csv").write_text(LEADERS_CSV_FULL, encoding="utf-8")
    (tmp_path / "policy.toml").write_text('[proofing]\nleaders = "领导名单.csv"\n', encoding="utf-8")
    reader = for_policy(load_policy(tmp_path / "policy.toml"))
    assert [h.code for h in reader.check("李四州长出席。")] == ["PRF007"]
    assert [h.code for h in for_policy(load_policy()).check("李四州长出席。")] == []  # no list, no check
    switched_off = with_lists(load_policy(), leaders=str(tmp_path / "领导名单.csv"))
    switched_off.proofing.check = False
    doc = _docx(tmp_path / "稿件.docx", ["李四州长出席会议。"])
    assert not [f for f in run_check([doc], CheckOptions(switched_off, selection_from(switched_off))).findings if f.code.startswith("PRF")]


# -- real Word files --------------------------------------------------------------------------

def _prf(path: Path, tmp_path: Path) -> list:
    (tmp_path / "领导名单.csv").write_text(LEADERS_CSV_FULL, encoding="utf-8")
    policy = with_lists(load_policy(), leaders=str(tmp_path / "领导名单.csv"))
    report = run_check([path], CheckOptions(policy, selection_from(policy)))
    return [f for f in report.findings if f.code.startswith("PRF")]


def test_docx_every_kind_in_body_table_header_and_text_box(tmp_path):
    found = _prf(draft_docx(tmp_path / "校对样稿.docx"), tmp_path)
    assert {(f.code, f.args["wrong"]) for f in found} == DRAFT_EXPECTED
    where = {f.args["wrong"]: f for f in found}
    assert where["卫计委"].location.part == "header1"
    assert where["台湾总统"].location.table_cell and "row 3" in where["台湾总统"].location.table_cell
    assert where["安照"].location.part == "text box"
    assert where["再接再励"].args["excerpt"] == "会议要求各乡镇【再接再励】，做好饲草料储备。"
    assert where["香港政府"].args["place"]["zh"].startswith("正文第")


def test_doc_converted_by_libreoffice_gives_the_same_findings(tmp_path):
    found = _prf(DOC_FIXTURE, tmp_path)
    assert {(f.code, f.args["wrong"]) for f in found} == DRAFT_EXPECTED
    where = {f.args["wrong"]: f for f in found}
    assert where["卫计委"].location.part == "header/footer"
    assert where["安照"].location.part == "text box"


def test_check_command_with_terms_and_leaders(cli, tmp_path):
    doc = _docx(tmp_path / "稿件.docx", ["李四州长出席会议，海南洲各单位参加。"])
    (tmp_path / "领导名单.csv").write_text("姓名,职务\n李四,副州长\n", encoding="utf-8")
    (tmp_path / "词表.csv").write_text("海南洲,海南州,错别字,\n", encoding="utf-8")
    code, out, _ = cli("--lang", "en", "check", doc, "--leaders", tmp_path / "领导名单.csv", "--terms", tmp_path / "词表.csv", "-f", "json", "-q")
    assert code == 1
    found = {(f["code"], f["args"]["wrong"]) for f in json.loads(out)["files"][0]["findings"]}
    assert found == {("PRF007", "李四州长"), ("PRF001", "海南洲")}
    code, _, err = cli("--lang", "en", "check", doc, "--leaders", tmp_path / "nope.csv")
    assert code == 3 and "nope.csv" in err and "Traceback" not in err


def test_submission_title_and_caption_are_proofread(tmp_path):
    import shutil

    src = REPO / "examples" / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"
    item = tmp_path / "item"
    shutil.copytree(src, item)
    toml = item / "submission.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace('title = "共和县召开', 'title = "共和县再接再励召开').replace("现场\"", "现场，，\"")
    toml.write_text(text, encoding="utf-8")
    policy = load_policy()
    found = [f for f in run_check([toml], CheckOptions(policy, selection_from(policy))).findings if f.code.startswith("PRF")]
    assert {(f.code, f.args["wrong"], f.location.field_path) for f in found} == {
        ("PRF001", "再接再励", "title"), ("PRF006", "，，", "files[1].caption")}


def test_no_input_makes_the_scan_raise():
    """Odd years, numerals and brackets in every mix: hits stay inside the text, nothing raises."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    lists = build_lists(BUILTIN)
    reader = Proofreader(Lists(lists.terms, (Leader("李四", ("副州长",), "t"), Leader("王", ("州长",), "t")), ()))
    alphabet = st.sampled_from(list("0９年月日号星期周一二十〇零天（）()“”《》【】，。；,;:?的了是李四副州长王即又…—\n 再接再励环保局"))

    @settings(max_examples=300, deadline=None)
    @given(st.lists(alphabet, max_size=40).map("".join))
    def run(text):
        for hit in reader.check(text):
            assert 0 <= hit.start < hit.end <= len(text)

    run()
    assert hits(reader, "0000年2月30日") == [("PRF004", "0000年2月30日")]  # judged without a calendar year


def test_office_guide_fields_are_proofread(tmp_path):
    src = REPO / "examples" / "office-guides" / "共和县-自然资源局-不动产首次登记.yaml"
    guide = tmp_path / src.name
    guide.write_text(src.read_text(encoding="utf-8").replace("- 已依法取得国有建设用地使用权。", "- 已依法取得国有建设用地使用权，材料俱备。"),
                     encoding="utf-8")
    policy = load_policy()
    found = [f for f in run_check([guide], CheckOptions(policy, selection_from(policy))).findings if f.code.startswith("PRF")]
    assert [(f.code, f.args["wrong"], f.location.field_path) for f in found] == [("PRF001", "俱备", "acceptance_conditions[0]")]
