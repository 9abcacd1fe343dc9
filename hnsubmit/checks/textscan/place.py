"""Say where a text came from in words a liaison knows: 正文第 3 段, 页眉1, 表 1 第 2 行第 3 列, 批注."""

from __future__ import annotations

import re

from hnsubmit.rules.findings import Location

# Location.part as the Word validators name it ("body", "table", "text box", "header1",
# "header1 text box", "footnote", "comment", "… (deleted text)"; for .doc "header/footer" and
# "header text box"), or an OOXML part name.
_STORY = re.compile(r"(?:word/)?(header|footer)(\d*)(?:\.xml)?")
_NAMES = (
    (("header/footer",), ("页眉页脚", "header/footer")),  # a .doc keeps headers and footers in one story
    (("body", "table", "document"), ("正文", "body")),
    (("comment",), ("批注", "comment")),
    (("footnote",), ("脚注", "footnote")),
    (("endnote",), ("尾注", "endnote")),
    (("docprops", "core.xml", "app.xml", "properties"), ("文档属性", "document properties")),
)
_CELL = re.compile(r"table\s*(\d+)\D+row\s*(\d+)\D+col(?:umn)?\s*(\d+)", re.IGNORECASE)
_DELETED = " (deleted text)"


def _part(part: str | None) -> tuple[str, str]:
    p = (part or "body").strip()
    deleted = p.endswith(_DELETED)
    p = p[: -len(_DELETED)] if deleted else p
    textbox = False
    for box in (" text box", "text box", "textbox", "txbx"):
        if box in p.lower():
            textbox, p = True, re.sub(re.escape(box), "", p, flags=re.IGNORECASE).strip() or "body"
            break
    story = _STORY.fullmatch(p.lower())
    if story:
        zh, en = ("页眉" if story.group(1) == "header" else "页脚") + story.group(2), p
    else:
        zh, en = p, p
        for keys, names in _NAMES:
            if any(k in p.lower() for k in keys):
                zh, en = names
                break
    if textbox:
        zh, en = ("文本框", "text box") if zh == "正文" else (zh + "文本框", en + " text box")
    if deleted:
        zh, en = zh + "(已删除文字)", en + _DELETED
    return zh, en


def describe(location: Location) -> dict[str, str]:
    """A bilingual phrase for `location`, for the message text (the raw location is kept as well)."""
    if location.part is None and location.field_path:  # an office guide's field, not a Word story
        zh, en = "", ""
    else:
        zh, en = _part(location.part)
    if location.table_cell:
        cell = _CELL.search(location.table_cell)
        if cell:
            t, r, c = cell.groups()
            zh = ("" if zh == "正文" else zh) + f"表 {t} 第 {r} 行第 {c} 列"
            en = ("" if en == "body" else en + ", ") + f"table {t}, row {r}, column {c}"
        else:
            zh += f"表格({location.table_cell})"
            en += f", cell {location.table_cell}"
    elif location.paragraph is not None:
        zh += f"第 {location.paragraph} 段"
        en += f", paragraph {location.paragraph}"
    if location.field_path:
        zh += f"字段 {location.field_path}"
        en += (", " if en else "") + f"field {location.field_path}"
    if location.line is not None:
        zh += f"第 {location.line} 行"
        en += f", line {location.line}"
    if location.page is not None:
        zh = f"第 {location.page} 页" + zh
        en = f"page {location.page}, " + en
    return {"zh": zh, "en": en}
