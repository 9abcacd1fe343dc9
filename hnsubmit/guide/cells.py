"""Structured values written into one Word or Excel cell, both ways: render for the writers, parse for the builder.

The DOCX template and the XLSX batch keep one value per cell, so lists become numbered lines and
small records become one line each ("《法名》(文号)第N条:条文", "名称|代码").  `render` and the
parsers here are inverse of each other for every value the model can hold (tested by round trip).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Any

from hnsubmit.guide.normalise import clean_text

SEP = "｜"  # full-width bar: never part of a name, a code or a number

_BASIS = re.compile(
    r"^(?:《(?P<law>[^》]*)》)?\s*(?:[（(](?P<doc>[^（()）]*)[)）])?\s*(?P<article>第[^:：《》]{1,40}?[条款项])?\s*(?:[:：]\s*(?P<text>.*))?$",
    re.S,
)


def parse_basis_line(line: str) -> dict[str, Any]:
    """"《中华人民共和国行政许可法》(主席令第7号)第二十九条:条文" → its four parts."""
    text = clean_text(line)
    m = _BASIS.match(text)
    if not m or not (m.group("law") or m.group("article")):
        return {"law_name": text.strip("《》")}
    out = {"law_name": m.group("law"), "doc_number": m.group("doc"), "article": m.group("article"), "article_text": m.group("text")}
    return {k: v.strip() for k, v in out.items() if v and v.strip()}


def render_basis(item: dict[str, Any]) -> str:
    out = f"《{item['law_name']}》" if item.get("law_name") else ""
    if item.get("doc_number"):
        out += f"（{item['doc_number']}）"
    if item.get("article"):
        out += item["article"]
    if item.get("article_text"):
        out += f"：{item['article_text']}"
    return out


# Records with a fixed field order, one per line, parts separated by SEP.
RECORDS: dict[str, tuple[str, ...]] = {
    "joint_orgs": ("name", "uscc"),
    "special_procedures": ("kind", "name", "time_limit", "time_limit_unit", "basis"),
    "faq": ("question", "answer"),
}


def parse_record_line(field: str, line: str) -> dict[str, Any]:
    parts = [p.strip() for p in re.split(r"[｜|]", clean_text(line))]
    return {name: part for name, part in zip(RECORDS[field], parts) if part}


def parse_lines(field: str, text: str) -> list[dict[str, Any]]:
    lines = [ln for ln in clean_text(text).split("\n") if ln.strip()]
    if field == "legal_basis":
        return [parse_basis_line(ln) for ln in lines]
    return [parse_record_line(field, ln) for ln in lines]


def scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def render_time(value: Any, unit: Any) -> str:
    """20 + 工作日 → "20个工作日" (the form the builder reads back)."""
    if value is None:
        return ""
    return f"{value}个{scalar(unit)}" if unit is not None else str(value)


def render(field: str, kind: str, value: Any) -> str:
    """The cell text of one model field (a dumped value: lists of dicts for records)."""
    if value is None:
        return ""
    if kind == "items":
        return "\n".join(f"{i}. {item}" for i, item in enumerate(value, 1))
    if kind == "enums":
        return "、".join(scalar(v) for v in value)
    if kind == "files":
        return "\n".join(value)
    if kind == "basis":
        return "\n".join(render_basis(_plain(v)) for v in value)
    if field in RECORDS:
        return "\n".join(SEP.join(scalar(_plain(v).get(k)) for k in RECORDS[field]).rstrip(SEP) for v in value)
    return scalar(value)


def _plain(v: Any) -> dict[str, Any]:
    if hasattr(v, "model_dump"):
        return {k: x for k, x in v.model_dump().items()}
    return dict(v)
