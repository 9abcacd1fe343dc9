"""Fictitious personal numbers (valid checksums, region 632521 共和县) and Word files carrying them.

Every number here is computed, never copied from anywhere: ID numbers get their GB 11643 check
character from python-stdnum, card numbers their Luhn digit, so the scan sees what a real one looks like.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stdnum import luhn
from stdnum.cn import ric, uscc

REGION = "632521"  # 共和县, 海南州


def fictitious_id(born: str = "19900101", order: str = "123") -> str:
    """An 18-character resident ID for region 632521 with a correct check character."""
    body = REGION + born + order
    return body + ric.calc_check_digit(body + "0")


def fictitious_id15(born: str = "650315", order: str = "042") -> str:
    """A 15-digit legacy ID (region, YYMMDD, order; no check digit)."""
    return REGION + born + order


def id_with_x(start: int = 100) -> str:
    """A fictitious ID whose check character is X (about one in eleven are)."""
    for order in range(start, 1000):
        number = fictitious_id("19851120", f"{order:03d}")
        if number.endswith("X"):
            return number
    raise AssertionError("no X check character found")


def fictitious_card(prefix: str = "6217", length: int = 19, fill: str = "0000000000123456") -> str:
    """A card-like number: `prefix`, filler digits, and the Luhn check digit."""
    body = (prefix + fill)[: length - 1]
    return body + luhn.calc_check_digit(body)


def digit_credit_code() -> str:
    """An all-digit 统一社会信用代码 (12: 事业单位, region 632521) with a digit check character."""
    for serial in range(100000000, 100001000):
        body = "12" + REGION + str(serial)
        check = uscc.calc_check_digit(body)
        if check.isdigit():
            return body + check
    raise AssertionError("no all-digit credit code found")


FICTITIOUS_MOBILE = "13800138000"  # the well-known placeholder number


def make_text_docx(
    path: Path,
    paragraphs: list[str],
    table: list[list[str]] | None = None,
    header: str | None = None,
) -> Path:
    """A Word document with the given paragraphs, an optional table and header; properties cleared
    as tests/factories.make_docx does, so only the text can produce findings."""
    import docx

    d = docx.Document()
    if paragraphs:
        d.add_heading(paragraphs[0], level=1)
        for p in paragraphs[1:]:
            d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    if header is not None:
        d.sections[0].header.paragraphs[0].text = header
    props = d.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.title = paragraphs[0] if paragraphs else ""
    props.created = dt.datetime(2026, 11, 20, 9, 0, 0)
    props.modified = dt.datetime(2026, 11, 20, 9, 0, 0)
    props.revision = 1
    d.save(path)
    return path


NEWS = "共和县开展冬季农牧民技能培训"


def _mark_header(workdir: Path, monkeypatch) -> Path:
    return make_text_docx(workdir / "会议纪要.docx", [NEWS, "会议研究了冬季培训安排。"], header="机密★1年")


def _secret_in_prose(workdir: Path, monkeypatch) -> Path:
    return make_text_docx(
        workdir / "保密工作.docx",
        [NEWS, "各单位要严格保守国家秘密,确保数据机密性。", "请申请人注意保存受理回执。"],
    )


def _id15(workdir: Path, monkeypatch) -> Path:
    return make_text_docx(workdir / "名单.docx", [NEWS, f"参训人员:李某,身份证号 {fictitious_id15()}。"])


def _masked_id(workdir: Path, monkeypatch) -> Path:
    n = fictitious_id()
    return make_text_docx(workdir / "公示.docx", [NEWS, f"公示人员:李某,身份证号 {n[:4]}{'*' * 10}{n[-4:]}。"])


def _credit_code(workdir: Path, monkeypatch) -> Path:
    return make_text_docx(workdir / "通报.docx", [NEWS, f"承办单位统一社会信用代码:{digit_credit_code()}。"])


def _bank_card(workdir: Path, monkeypatch) -> Path:
    card = fictitious_card()
    grouped = " ".join(card[i:i + 4] for i in range(0, len(card), 4))
    return make_text_docx(workdir / "救助名单.docx", [NEWS], table=[["姓名", "银行卡号"], ["李某", grouped]])


def _long_serial(workdir: Path, monkeypatch) -> Path:
    # passes Luhn but starts like a timestamp, not like a card
    return make_text_docx(workdir / "流水.docx", [NEWS, f"受理流水号 {fictitious_card('2026', 18, '1120090000123')}。"])


def _office_line(workdir: Path, monkeypatch) -> Path:
    return make_text_docx(
        workdir / "通讯稿.docx",
        [NEWS, "联系电话:0974-8512345,(0974)8512346,政务服务热线 12345。", "依据南政办〔2015〕86号,于2015年7月13日印发。"],
    )


def _email(workdir: Path, monkeypatch) -> Path:
    return make_text_docx(workdir / "征稿.docx", [NEWS, "来稿请发至 zhang.san@example.com。"])


def _many_mobiles(workdir: Path, monkeypatch) -> Path:
    rows = [["姓名", "手机"]] + [[f"学员{i}", f"1380013{8000 + i}"] for i in range(25)]
    return make_text_docx(workdir / "学员名单.docx", [NEWS], table=rows)


FACTORIES = {
    "txt-mark-header": _mark_header,
    "txt-secret-in-prose": _secret_in_prose,
    "txt-id15": _id15,
    "txt-masked-id": _masked_id,
    "txt-credit-code": _credit_code,
    "txt-bank-card": _bank_card,
    "txt-long-serial": _long_serial,
    "txt-office-line": _office_line,
    "txt-email": _email,
    "txt-many-mobiles": _many_mobiles,
}
