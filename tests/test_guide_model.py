"""The model, its code tables and the cell codecs: codes and names both accepted, cell text read back exactly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hnsubmit.guide import cells
from hnsubmit.guide.enums import codes as c
from hnsubmit.guide.model import OfficeGuide
from hnsubmit.guide.normalise import is_placeholder, parse_time_limit, split_items


@pytest.mark.parametrize(
    "cls,raw,expected",
    [
        (c.ItemType, "01", "行政许可"), (c.ItemType, 1, "行政许可"), (c.ItemType, "行政许可", "行政许可"),
        (c.ItemType, "２０", "公共服务"), (c.ItemType, "行政审批", None), (c.ItemType, True, None),
        (c.ExerciseLevel, "市（州）", "市(州)"), (c.ExerciseLevel, "州级", "市(州)"), (c.ExerciseLevel, 4, "县"),
        (c.CaseType, "2", "承诺件"), (c.MaterialKind, "原件及复印件", "原件和复印件"), (c.ServiceObject, "1", None),
    ],
)
def test_lookup_accepts_code_name_and_common_synonyms(cls, raw, expected):
    found = c.lookup(cls, raw)
    assert (found.value if found else None) == expected


def test_every_field_has_a_chinese_label_and_codes_map_back():
    import re

    for model in (OfficeGuide, *__import__("hnsubmit.guide.model", fromlist=["SUBMODELS"]).SUBMODELS.values()):
        for name, info in model.model_fields.items():
            assert info.title and re.search(r"[\u4e00-\u9fff]", info.title), (model.__name__, name)
    for cls in (c.ItemType, c.ExerciseLevel, c.OrgNature, c.CaseType, c.HandlingMode, c.SpecialProcedureKind):
        for code, name in cls.__codes__.items():
            assert cls(name).code == code and c.lookup(cls, code) is cls(name)


def test_model_accepts_codes_and_exports_names():
    g = OfficeGuide.model_validate({"item_type": "07", "exercise_level": "3", "handling_modes": ["1", "网上办理"]})
    assert g.model_dump(mode="json", exclude_none=True) == {
        "item_type": "行政确认", "exercise_level": "市(州)", "handling_modes": ["窗口办理", "网上办理"],
    }


@pytest.mark.parametrize(
    "text,expected",
    [("无", True), ("—", True), ("－－", True), ("暂无。", True), ("详见附件3", True), ("（2）", True), ("N/A", True),
     ("无犯罪记录证明", False), ("1. 身份证", False), ("0", False), ("否", False)],
)
def test_placeholders(text, expected):
    assert is_placeholder(text) is expected


@pytest.mark.parametrize(
    "raw,expected",
    [(20, (20, None)), ("20个工作日", (20, "工作日")), ("２０ 工作日", (20, "工作日")), ("30天", (30, "自然日")),
     ("当场办结", (0, None)), ("二十日", None), (True, None), (2.5, None)],
)
def test_time_limits(raw, expected):
    assert parse_time_limit(raw) == expected


TEXT = st.text(
    alphabet=st.sampled_from("海南州共和县办事指南申请材料身份证abcXYZ0123456789,。、;()年月日 -"), min_size=0, max_size=30
).map(str.strip)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=8))
def test_numbered_items_read_back(items):
    assert split_items(cells.render("procedure", "items", items)) == items


NAME = st.text(alphabet=st.sampled_from("中华人民共和国行政许可法条例办法青海省"), min_size=1, max_size=15)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "law_name": NAME,
    "doc_number": st.one_of(st.none(), st.sampled_from(["国务院令第412号", "主席令第7号", "青政〔2015〕12号"])),
    "article": st.one_of(st.none(), st.sampled_from(["第八条", "第二十九条第一款", "第一千零四十九条"])),
    "article_text": st.one_of(st.none(), TEXT.filter(bool)),
}), min_size=1, max_size=4))
def test_legal_basis_lines_read_back(items):
    plain = [{k: v for k, v in item.items() if v} for item in items]
    assert cells.parse_lines("legal_basis", cells.render("legal_basis", "basis", plain)) == plain
