"""Word files for the PRF catalog examples: python-docx documents with the wrong text in the body,
a table, the header or a text box, as a liaison's draft carries it."""

from __future__ import annotations

from pathlib import Path

from factories_word import add_table, add_text_box, new_document, save

LEADERS_CSV = "姓名,职务\n张三,州委书记\n李四,副州长\n王小明,州长\n"


def _docx(path: Path, body: list[str], header: str = "", table: list[list[str]] | None = None, box: str = "") -> Path:
    d = new_document(["海南州冬春农牧业生产工作会议召开", *body])
    if header:
        d.sections[0].header.paragraphs[0].text = header
    if table:
        add_table(d, table)
    if box:
        add_text_box(d.paragraphs[1], box)
    return save(d, path)


def with_leaders(workdir: Path, monkeypatch) -> Path:
    """Make the default policy name a leaders list in `workdir`, as an office's policy would."""
    import hnsubmit.policy.model as model

    csv_path = workdir / "领导名单.csv"
    csv_path.write_text(LEADERS_CSV, encoding="utf-8-sig")
    policy = model.default_policy().model_copy(deep=True)
    policy.proofing.leaders = str(csv_path)
    monkeypatch.setattr(model, "default_policy", lambda: policy)
    return csv_path


def _wrong_word(workdir: Path, monkeypatch) -> Path:
    return _docx(workdir / "会议通讯稿.docx", ["会议要求各乡镇再接再励，抓好饲草料储备。"],
                 table=[["乡镇", "备注"], ["恰卜恰镇", "安照计划完成"]])


def _ji_you(workdir: Path, monkeypatch) -> Path:
    return _docx(workdir / "讲话稿.docx", ["合作社即是生产主体又是服务平台。"])


def _clean(workdir: Path, monkeypatch) -> Path:
    return _docx(workdir / "会议通讯稿.docx",
                 ["2026年12月6日（星期日），会议要求各乡镇再接再厉，的的确确抓好饲草料储备，不能不了了之。",
                  "《海南州冬春农牧业生产方案》已印发，县生态环境局、县市场监督管理局参加会议。"],
                 header="海南州人民政府办公室", box="会议要点：储备饲草料，做好防疫。")


def _organ(workdir: Path, monkeypatch) -> Path:
    return _docx(workdir / "检查通报.docx", ["县市场监督管理局联合县环保局开展专项检查。"], header="共和县工商局")


def _organ_history(workdir: Path, monkeypatch) -> Path:
    return _docx(workdir / "检查通报.docx", ["原县环保局的档案已移交县生态环境局。"])


def _expression(workdir: Path, monkeypatch) -> Path:
    return _docx(workdir / "学习材料.docx", ["香港政府宣布了新的措施。"], box="台湾总统")


def _date_weekday(workdir: Path, monkeypatch) -> Path:
    return _docx(workdir / "会议通知.docx", ["定于2026年12月6日（星期一）在州政府召开会议。"])


def _date_cn(workdir: Path, monkeypatch) -> Path:
    return _docx(workdir / "会议通知.docx", ["二〇二六年二月三十日前报送材料。"], header="二〇二六年二月三十日")


def _doubled(workdir: Path, monkeypatch) -> Path:
    return _docx(workdir / "总结.docx", ["这是我们的的工作重点。"])


def _doubled_idiom(workdir: Path, monkeypatch) -> Path:
    return _docx(workdir / "总结.docx", ["的的确确是我们的工作重点，不能不了了之，这是实现目的的手段。"])


def _punctuation(workdir: Path, monkeypatch) -> Path:
    return _docx(workdir / "会议通知.docx", ["会议时间:12月8日，，请准时参加。"], table=[["《方案", "附件"]])


def _leader_title(workdir: Path, monkeypatch) -> Path:
    with_leaders(workdir, monkeypatch)
    return _docx(workdir / "会议通讯稿.docx", ["李四州长出席会议并讲话。"])


def _leader_right(workdir: Path, monkeypatch) -> Path:
    with_leaders(workdir, monkeypatch)
    return _docx(workdir / "会议通讯稿.docx", ["副州长李四出席会议并讲话，张三书记主持会议。"])


def _leader_misspelt(workdir: Path, monkeypatch) -> Path:
    with_leaders(workdir, monkeypatch)
    return _docx(workdir / "会议通讯稿.docx", ["副州长李西主持会议。"])


FACTORIES = {
    "prf-wrong-word": _wrong_word,
    "prf-ji-you": _ji_you,
    "prf-clean": _clean,
    "prf-organ": _organ,
    "prf-organ-history": _organ_history,
    "prf-expression": _expression,
    "prf-date-weekday": _date_weekday,
    "prf-date-cn": _date_cn,
    "prf-doubled": _doubled,
    "prf-doubled-idiom": _doubled_idiom,
    "prf-punctuation": _punctuation,
    "prf-leader-title": _leader_title,
    "prf-leader-right": _leader_right,
    "prf-leader-misspelt": _leader_misspelt,
}


# One draft with a mistake of every kind, each in a different story of the document, as the .doc
# fixture (scripts/make_proofing_fixtures.py) is converted from.
DRAFT_BODY = [
    "会议要求各乡镇再接再励，做好饲草料储备。",
    "合作社即是生产主体又是服务平台。",
    "县环保局联合有关部门开展检查，香港政府也派员参观。",
    "定于2026年12月6日（星期一）召开总结会，这是我们的的工作重点。",
    "李四州长出席会议，副州长王小名主持会议，会议时间:下午三时，，请准时参加。",
]
DRAFT_TABLE = [["事项", "时限"], ["报送材料", "二〇二六年二月三十日前"], ["台湾总统", "《方案"]]
DRAFT_HEADER = "海南州卫计委"
DRAFT_BOX = "安照计划完成"
# (code, wrong text) the draft must give, wherever the format puts it
DRAFT_EXPECTED = {
    ("PRF001", "再接再励"), ("PRF001", "即"), ("PRF001", "安照"), ("PRF002", "环保局"), ("PRF002", "卫计委"),
    ("PRF003", "香港政府"), ("PRF003", "台湾总统"), ("PRF004", "2026年12月6日（星期一）"),
    ("PRF004", "二〇二六年二月三十日"), ("PRF005", "的的"), ("PRF006", ":"), ("PRF006", "，，"), ("PRF006", "《"),
    ("PRF007", "李四州长"), ("PRF008", "王小名"),
}
LEADERS_CSV_FULL = "姓名,职务\n张三,州委书记\n李四,副州长\n王小明,副州长\n"


def draft_docx(path: Path) -> Path:
    d = new_document(["海南州冬春农牧业生产工作会议召开", *DRAFT_BODY])
    d.sections[0].header.paragraphs[0].text = DRAFT_HEADER
    add_table(d, DRAFT_TABLE)
    add_text_box(d.paragraphs[1], DRAFT_BOX)
    return save(d, path)
