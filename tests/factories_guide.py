"""Office guides for tests: a clean guide as a dict, writers for YAML/XLSX, and rule-example factories.

`clean_guide()` is the negative examples' base (scripts/make_guide_examples.py): complete under both
profiles, so a test changes one element and expects exactly one code.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from make_guide_examples import ITEMS, base_guide, batch_guide  # noqa: E402


def clean_guide(**changes) -> dict:
    guide = copy.deepcopy(base_guide())
    guide.update(changes)
    return guide


def write_yaml(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def batch(n: int) -> list[dict]:
    """`n` realistic, clean guides for an Excel batch (the twenty example items, repeated with new names)."""
    out = []
    for i in range(n):
        g = batch_guide(i % len(ITEMS), ITEMS[i % len(ITEMS)])
        if i >= len(ITEMS):
            g["item_name"] = f"{g['item_name']}(第{i // len(ITEMS) + 1}批)"
        out.append(g)
    return out


def write_xlsx(path: Path, guides: list[dict]) -> Path:
    from hnsubmit.guide.model import OfficeGuide
    from hnsubmit.guide.xlsx_template import write_guides_xlsx

    return write_guides_xlsx([OfficeGuide.model_validate(g) for g in guides], path)


def _alias_bomb(workdir: Path, monkeypatch) -> Path:
    """Nine levels of nine aliases: 387 million items if expanded."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines.append("item_name: [" + ", ".join(["*a8"] * 9) + "]")
    path = workdir / "炸弹.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _empty_numbered_item(workdir: Path, monkeypatch) -> Path:
    guide = clean_guide()
    guide["acceptance_conditions"] = "1. 夫妻双方或一方户籍在兴海县。\n2、"
    return write_yaml(workdir / "空条目.yaml", guide)


def _fullwidth_phone(workdir: Path, monkeypatch) -> Path:
    return write_yaml(workdir / "全角电话.yaml", clean_guide(consult_phone="０９７４—８５９１５１６"))


def _phone_without_area_code_fullwidth(workdir: Path, monkeypatch) -> Path:
    return write_yaml(workdir / "全角缺区号.yaml", clean_guide(complaint_phone="８５９１５１０"))


FACTORIES = {
    "guide-alias-bomb": _alias_bomb,
    "guide-empty-numbered-item": _empty_numbered_item,
    "guide-fullwidth-phone": _fullwidth_phone,
    "guide-phone-no-area-code-fullwidth": _phone_without_area_code_fullwidth,
}


# Texts with TXT and PRF hits (a mobile, an e-mail, a mark, an ID, a bank card, wrong words and organs,
# a wrong weekday, doubled punctuation), as a batch repeats them row after row.
NOISE = ("联系人手机13812345678,邮箱zhang.san@example.com", "会议要求各乡镇再接再励,共和县工商局负责。",
         "机密★1年 身份证号632521199001011238", "2026年12月6日(星期一)办理,,的的确确", "请于2026年2月30日前提交。。",
         "银行卡6222021234567890128办理退费", "台湾总统府的文件不予受理")


def noisy_batch(n: int) -> list[dict]:
    """`batch(n)` with findings of every family: TXT and PRF hits in repeated texts, GDE010 and GDE005."""
    out = batch(n)
    for i, g in enumerate(out):
        if i % 3 == 0:
            g["address"] = g["address"] + NOISE[i % len(NOISE)]
        if i % 5 == 1:
            g["acceptance_conditions"] = g["acceptance_conditions"] + [NOISE[(i + 2) % len(NOISE)]]
        if i % 7 == 2:
            g["office_hours"] = NOISE[(i + 4) % len(NOISE)]
        if i % 11 == 3:
            g["materials"][0]["fill_notes"] = NOISE[(i + 1) % len(NOISE)]
        if i % 13 == 4:
            g["consult_phone"] = "8591516"
        if i % 17 == 5:
            g["promised_time_limit"] = 500
    return out
