"""scan_text: what it finds, what it must not find, and that it never gives a full number away."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories_text import (
    FICTITIOUS_MOBILE,
    digit_credit_code,
    fictitious_card,
    fictitious_id,
    fictitious_id15,
    id_with_x,
)
from hnsubmit.checks.textscan.scanner import scan_text
from hnsubmit.checks.textscan.masking import mask_email, mask_mobile, mask_number
from hnsubmit.checks.textscan.patterns import fold

ID = fictitious_id()
FULLWIDTH = str.maketrans("0123456789X-+ ", "０１２３４５６７８９Ｘ－＋\u3000")


def kinds(text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.value) for h in scan_text(text)]


def assert_no_leak(text: str, secret: str) -> None:
    for hit in scan_text(text):
        for field in (hit.value, hit.excerpt):
            assert secret not in field.replace(" ", "").replace("-", ""), field


# --- resident ID numbers -------------------------------------------------------------------------


def test_fictitious_ids_are_valid_and_from_gonghe():
    from stdnum.cn import ric

    assert ric.is_valid(ID) and ID.startswith("632521")
    assert ric.get_birth_place(ID)["county"] == "共和县"


def test_id18_found_with_span_masked_value_and_excerpt():
    text = f"联系人:李某,身份证号 {ID},现住共和县恰卜恰镇。"
    hits = scan_text(text)
    assert [(h.kind, h.variant) for h in hits] == [("id-card", "18")]
    hit = hits[0]
    assert text[hit.start:hit.end] == ID
    assert hit.value == f"6325{'*' * 10}{ID[-4:]}"
    assert hit.excerpt == f"联系人:李某,身份证号 {hit.value},现住共和县恰卜恰镇。"
    assert scan_text("请核对。" + text)[0].excerpt.startswith("…联系人")
    assert_no_leak(text, ID)


@pytest.mark.parametrize(
    "written",
    [
        ID,
        f"{ID[:6]} {ID[6:14]} {ID[14:]}",
        f"{ID[:6]}-{ID[6:14]}-{ID[14:]}",
        " ".join(ID[i:i + 4] for i in range(0, 18, 4)),
        ID.translate(FULLWIDTH),
    ],
    ids=["plain", "6-8-4", "hyphens", "groups-of-4", "full-width"],
)
def test_id18_written_in_any_usual_way(written):
    assert kinds(f"身份证:{written}。") == [("id-card", mask_number(ID))]


def test_id_with_x_check_character_in_both_cases():
    number = id_with_x()
    assert kinds(f"身份证号{number}") == [("id-card", mask_number(number))]
    assert kinds(f"身份证号{number.lower()}。") == [("id-card", mask_number(number))]


def test_id15_legacy_form_is_found():
    hits = scan_text(f"旧身份证号码:{fictitious_id15()}")
    assert [(h.kind, h.variant, h.value) for h in hits] == [("id-card", "15", "6325********042")]


@pytest.mark.parametrize(
    "number",
    [
        ID[:-1] + ("0" if ID[-1] != "0" else "1"),  # wrong check character
        fictitious_id((dt.date.today() + dt.timedelta(days=400)).strftime("%Y%m%d")),  # born in the future
        fictitious_id("19900230"),  # no such date
        "999999" + ID[6:],  # no such region (check character recomputed below)
        fictitious_id15("651315"),  # month 13
        "999999650315042",  # 15 digits, no such region
        "632501" + ID[6:],  # a code numdb lists without a county (stdnum 2.2 raised KeyError on it)
    ],
    ids=["checksum", "future", "feb-30", "region", "id15-month", "id15-region", "prefecture-code"],
)
def test_invalid_ids_are_not_reported(number):
    from stdnum.cn import ric

    if number[:6] in ("999999", "632501") and len(number) == 18:
        number = number[:-1] + ric.calc_check_digit(number)
    assert [h.kind for h in scan_text(f"号码 {number}")] == []
    # ...but a long number is still masked in the excerpt of a neighbouring finding
    assert_no_leak(f"号码 {number} 手机 {FICTITIOUS_MOBILE}", number)


def test_id_inside_a_longer_code_or_url_is_not_a_candidate():
    assert kinds(f"附件编号 A{ID}B") == []
    assert kinds(f"链接 http://www.qhhn.gov.cn/art/{ID}.html") == []
    assert kinds(f"批次 {ID}7") == []


# --- things that must NOT be flagged ---------------------------------------------------------------


def test_an_all_digit_credit_code_is_not_an_id_or_a_card():
    code = digit_credit_code()
    assert code.isdigit() and len(code) == 18
    assert kinds(f"统一社会信用代码:{code}") == []
    assert kinds("统一社会信用代码:91632521MA752B1X2Q") == []


@pytest.mark.parametrize(
    "text",
    [
        "依据《关于认真做好政府门户网站内容保障工作的通知》(南政办〔2015〕86号)",
        "颁布日期:2015-07-13,2015年7月13日,2015.07.13,20150713",
        "项目总投资 123456789012 元,合计 1,234,567,890.12 元,增长 12.5%",
        "联系电话:0974-8512345、(0974)8512345、0974 8512345、09748512345",
        "政务服务便民热线 12345,客服 400-820-8820,报警 110,银行客服 95588",
        "门户网站 www.qhhn.gov.cn,微信平台 HNZZW2015",
        "2015 2016 2017 2018 年度统计",
        "文件号 青政办〔2024〕135号,第 20261120090000 期",
        f"订单号 {fictitious_card('2026', 18, '1120090000123')}",
    ],
    ids=["doc-number", "dates", "amounts", "office-lines", "hotlines", "site", "years", "serials", "timestamp-luhn"],
)
def test_ordinary_numbers_are_not_flagged(text):
    assert kinds(text) == []


# --- bank cards --------------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [16, 17, 18, 19])
def test_bank_cards_of_every_length(length):
    card = fictitious_card("6217", length)
    assert kinds(f"卡号 {card}") == [("bank-card", mask_number(card))]


def test_bank_card_in_groups_and_full_width():
    card = fictitious_card("6228", 19)
    grouped = " ".join(card[i:i + 4] for i in range(0, 19, 4))
    assert kinds(f"卡号:{grouped}") == [("bank-card", mask_number(card))]
    assert kinds(f"卡号:{grouped.translate(FULLWIDTH)}") == [("bank-card", mask_number(card))]
    assert_no_leak(f"卡号:{grouped}", card)


def test_bank_card_needs_luhn_and_a_card_prefix():
    card = fictitious_card("6217", 19)
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert kinds(f"卡号 {wrong}") == []
    assert kinds(f"编号 {fictitious_card('1234', 16)}") == []
    assert [k for k, _ in kinds(f"Visa {fictitious_card('4', 16)}")] == ["bank-card"]


# --- mobiles ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["13800138000", "138-0013-8000", "138 0013 8000", "+86 138 0013 8000", "+8613800138000", "0086 13800138000",
     "１３８００１３８０００", "19912345678"],
)
def test_mobiles_in_every_usual_form(written):
    hits = scan_text(f"联系人:李某,电话 {written}。")
    assert [h.kind for h in hits] == ["mobile"]
    assert "****" in hits[0].value


def test_mobile_mask_and_neighbouring_office_line():
    text = f"办公电话 0974-8512345 手机 {FICTITIOUS_MOBILE}"
    assert kinds(text) == [("mobile", "138****8000")]


def test_a_mobile_inside_a_longer_run_or_decimal_is_not_a_mobile():
    assert kinds("编号 1380013800012") == []
    assert kinds("数值 13800138000.5") == []
    assert kinds(f"账号 A{FICTITIOUS_MOBILE}") == []


# --- e-mail -------------------------------------------------------------------------------------------


def test_email_found_and_masked():
    hits = scan_text("来稿请发至 zhang.san@example.com,或 hnzzf＠example.gov.cn。")
    assert [(h.kind, h.value) for h in hits] == [
        ("email", "z***@example.com"),
        ("email", "h***@example.gov.cn"),
    ]
    assert "zhang.san" not in hits[0].excerpt


def test_not_an_email():
    assert kinds("微博 @共和县发布,版本 v1.2@3,地址 a@b") == []


# --- classification marks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,mark",
    [
        ("机密★1年", "机密★1年"),
        ("秘密★", "秘密★"),
        ("绝密★启用前", "绝密★启用前"),
        ("秘密 ★ 6个月\n关于某事项的通知", "秘密 ★ 6个月"),
        ("机密☆长期", "机密☆长期"),
        ("密级:秘密", "密级:秘密"),
        ("密级:机密★十年", "密级:机密★十年"),
        ("【内部资料】会议纪要", "【内部资料】"),
        ("学习材料(内部文件)", "(内部文件)"),
        ("内部资料 注意保存", "内部资料 注意保存"),
        ("XX县政府办公室编印  内部资料,注意保存", "内部资料,注意保存"),
        ("内部资料", "内部资料"),
        ("  不宜公开  ", "不宜公开"),
        ("★内部资料", "★内部资料"),
        ("〔秘密〕", "〔秘密〕"),
        ("机密", "机密"),
        ("内部资料 仅供参考", "内部资料 仅供参考"),
        ("本期简报发至各乡镇。内部文件,请勿外传。", "内部文件,请勿外传"),
    ],
)
def test_classification_marks(text, mark):
    assert kinds(text) == [("mark", mark)]


@pytest.mark.parametrize(
    "text",
    [
        "各单位要严格保守国家秘密,确保数据机密性。",
        "不得泄露商业秘密和个人隐私。",
        "请申请人注意保存受理回执。",
        "下列信息不得发布:(三)不宜公开的经济、科技、社会等信息;",
        "按照单位内部文件流转程序办理。",
        "整理内部资料时发现了问题。",
        "秘密侦查、机密文件管理办法解读",
        "仅供参考",
        "以上数据仅供参考,请勿外传谣言。",
    ],
)
def test_the_same_words_in_a_sentence_are_not_marks(text):
    assert kinds(text) == []


def test_every_kind_in_one_text_in_order():
    text = (
        "秘密★1年\n"
        f"李某,身份证号 {ID},手机 {FICTITIOUS_MOBILE},"
        f"卡号 {fictitious_card()},邮箱 li@example.com,办公电话 0974-8512345。"
    )
    assert [h.kind for h in scan_text(text)] == ["mark", "id-card", "mobile", "bank-card", "email"]


# --- masking and leaks -----------------------------------------------------------------------------


def test_masks():
    assert mask_number("632521199001011238") == "6325**********1238"
    assert mask_number("6217000000000123456") == "6217***********3456"
    assert mask_mobile("13800138000") == "138****8000"
    assert mask_mobile("+8613800138000") == "+86 138****8000"
    assert mask_email("zhang.san@example.com") == "z***@example.com"


def test_two_ids_side_by_side_are_both_masked_in_each_excerpt():
    other = fictitious_id("19780512", "246")
    text = f"{ID} {other}"
    hits = scan_text(text)
    assert [h.kind for h in hits] == ["id-card", "id-card"]
    for secret in (ID, other):
        assert_no_leak(text, secret)
    first = scan_text(f"李某 {ID}、王某 {other}")[0]
    assert first.excerpt == f"李某 {first.value}、王某 6325****…"  # the neighbour, cut short, is masked too


def test_fold_keeps_offsets():
    text = "身份证:" + ID.translate(FULLWIDTH) + "\u3000手机"
    assert len(fold(text)) == len(text)
    hit = scan_text(text)[0]
    assert fold(text[hit.start:hit.end]) == ID


@settings(max_examples=150, deadline=None)
@given(
    before=st.text(alphabet="共和县恰卜恰镇,。:;、 ()★\n", max_size=30),
    after=st.text(alphabet="共和县恰卜恰镇,。:;、 ()★\n", max_size=30),
    born=st.dates(dt.date(1930, 1, 1), dt.date(2010, 12, 31)),
    order=st.integers(0, 999),
)
def test_any_id_in_any_context_is_found_and_never_leaked(before, after, born, order):
    number = fictitious_id(born.strftime("%Y%m%d"), f"{order:03d}")
    text = before + number + after
    hits = scan_text(text)
    assert ("id-card", mask_number(number)) in [(h.kind, h.value) for h in hits]
    for hit in hits:
        assert number not in hit.value + hit.excerpt


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300) | st.text(alphabet="0123456789０９ -+Xx@.a★密机秘内部资料注意保存【】\n", max_size=120))
def test_scan_text_never_raises(text):
    for hit in scan_text(text):
        assert 0 <= hit.start < hit.end <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=15, max_size=19))
def test_any_long_digit_run_is_classified_without_error(digits):
    assert {h.kind for h in scan_text(f"号码 {digits}。")} <= {"id-card", "bank-card", "mobile"}


def test_long_text_is_scanned_whole():
    # how fast is for benchmarks/; here: every hit of a long text with a 100,000-digit tail is found
    text = (f"李某 {ID} 手机 {FICTITIOUS_MOBILE} 内部资料 a@example.com 1234 5678 " * 5000) + "9" * 100_000
    hits = scan_text(text)
    # an ID, a mobile and an address per repetition; "内部资料" inside a running line is no mark
    assert sorted({h.kind for h in hits}) == ["email", "id-card", "mobile"] and len(hits) == 5000 * 3


def test_false_positive_rates_on_random_numbers():
    """Measured rates on seeded random numbers (what a liaison's serials and codes look like)."""
    import random

    rnd = random.Random(2026)

    def rate(make, n=3000):
        counts: dict[str, int] = {}
        for _ in range(n):
            for hit in scan_text(f"编号 {make()} 。"):
                counts[hit.kind] = counts.get(hit.kind, 0) + 1
        return {k: v / n for k, v in counts.items()}

    digits = lambda k: "".join(rnd.choice("0123456789") for _ in range(k))  # noqa: E731
    # 18 random digits: never an ID (region + date + check), a card about 1 time in 45 (Luhn x prefix)
    r18 = rate(lambda: digits(18))
    assert r18.get("id-card", 0) < 0.002 and r18.get("bank-card", 0) < 0.04, r18
    # an office line with its area code is never a mobile; a date and an amount are nothing
    assert rate(lambda: "09" + digits(2) + "-" + digits(7)) == {}
    assert rate(lambda: f"{rnd.randint(1990, 2030)}年{rnd.randint(1, 12)}月 {rnd.randint(0, 10**12)}.{digits(2)}元") == {}
