"""Say where a text came from in words a liaison knows: 正文第 3 段, 页眉, 第 1 个表格第 2 行第 3 列, 批注."""

from __future__ import annotations

import re

from hnsubmit.findings import Location

# Substrings of a Location.part (an OOXML part name or a validator's own label) → (zh, en).
_PARTS = (
    ("header", ("页眉", "header")),
    ("footer", ("页脚", "footer")),
    ("comment", ("批注", "comment")),
    ("footnote", ("脚注", "footnote")),
    ("endnote", ("尾注", "endnote")),
    ("text box", ("文本框", "text box")),
    ("textbox", ("文本框", "text box")),
    ("txbx", ("文本框", "text box")),
    ("core.xml", ("文档属性", "document properties")),
    ("docprops", ("文档属性", "document properties")),
    ("properties", ("文档属性", "document properties")),
    ("document", ("正文", "body")),
)
_CELL = re.compile(r"table\s*(\d+)\D+row\s*(\d+)\D+col(?:umn)?\s*(\d+)", re.IGNORECASE)


def _part(part: str | None) -> tuple[str, str]:
    if not part:
        return "正文", "body"
    low = part.lower()
    for key, names in _PARTS:
        if key in low:
            return names
    return part, part


def describe(location: Location) -> dict[str, str]:
    """A bilingual phrase for `location`, for the message text (the raw location is kept as well)."""
    zh, en = _part(location.part)
    if location.table_cell:
        cell = _CELL.search(location.table_cell)
        if cell:
            t, r, c = cell.groups()
            zh += f"第 {t} 个表格第 {r} 行第 {c} 列"
            en += f", table {t} row {r} column {c}"
        else:
            zh += f"表格({location.table_cell})"
            en += f", table cell {location.table_cell}"
    elif location.paragraph is not None:
        zh += f"第 {location.paragraph} 段"
        en += f", paragraph {location.paragraph}"
    if location.field_path:
        zh += f"字段 {location.field_path}"
        en += f", field {location.field_path}"
    if location.line is not None:
        zh += f"第 {location.line} 行"
        en += f", line {location.line}"
    if location.page is not None:
        zh = f"第 {location.page} 页" + zh
        en = f"page {location.page}, " + en
    return {"zh": zh, "en": en}
