"""Where in a file a finding points, in the user's language: `[正文 第2段]`, `[第3行]`,
`[工作表“办事指南”第5行“法定办结时限”列]`.

Validators name places in English (rules/findings.Location: a part such as "body" or "header1", a
cell such as "table 2, row 3, column 1" or "sheet S, row 5, column H", a line, a byte offset);
each piece is said again here through the catalog.  A piece not recognised (an OOXML part name, a
YAML path, "EXIF GPS IFD") is a name and stays as written.  In English the result is what
`Location.describe()` writes.
"""

from __future__ import annotations

import re

from hnsubmit.i18n import N_, _
from hnsubmit.rules.findings import Location

_STORIES = {
    "body": N_("body"), "table": N_("table"), "comment": N_("comment"), "footnote": N_("footnote"),
    "endnote": N_("endnote"), "header/footer": N_("header/footer"), "File Properties": N_("file properties"),
    "docProps": N_("document properties"),
}
_NUMBERED = re.compile(r"(header|footer|stream)\s*(\d*)")
_NUMBERED_NAMES = {"header": N_("header{n}"), "footer": N_("footer{n}"), "stream": N_("stream {n}")}
_CELLS = (
    (re.compile(r"table (?P<table>\d+), row (?P<row>\d+), column (?P<column>\d+)"), N_("table {table}, row {row}, column {column}")),
    (re.compile(r"table (?P<table>\d+), row (?P<row>\d+)"), N_("table {table}, row {row}")),
    (re.compile(r"table (?P<table>\d+)"), N_("table {table}")),
    (re.compile(r"sheet (?P<sheet>.+?), row (?P<row>\d+), column (?P<column>.+)", re.S), N_("sheet {sheet}, row {row}, column {column}")),
    (re.compile(r"sheet (?P<sheet>.+?), row (?P<row>\d+)", re.S), N_("sheet {sheet}, row {row}")),
    (re.compile(r"sheet (?P<sheet>.+)", re.S), N_("sheet {sheet}")),
)
_DELETED = " (deleted text)"
_TEXT_BOX = "text box"


def part_name(part: str) -> str:
    """A Word story or file part in people's words (a technical part name stays as it is)."""
    deleted = part.endswith(_DELETED)
    p = part[: -len(_DELETED)] if deleted else part
    box = p == _TEXT_BOX or p.endswith(" " + _TEXT_BOX)
    if box:
        p = p[: -len(_TEXT_BOX)].strip()
    numbered = _NUMBERED.fullmatch(p)
    if numbered:
        name = _(_NUMBERED_NAMES[numbered.group(1)]).format(n=numbered.group(2)).strip()
    elif p in _STORIES:
        name = _(_STORIES[p])
    else:
        name = p
    if box:
        name = _("{part} text box").format(part=name).strip() if name else _("text box")
    if deleted:
        name = _("{part} (deleted text)").format(part=name)
    return name


def cell_name(cell: str) -> str:
    for pattern, msgid in _CELLS:
        match = pattern.fullmatch(cell.strip())
        if match:
            return _(msgid).format(**match.groupdict())
    return cell


def where(location: Location, lang: str) -> str:
    """`Location.describe()` in `lang` (the current language's catalog; English as written)."""
    if lang != "zh":
        return location.describe()
    bits: list[str] = []
    if location.part:
        bits.append(part_name(location.part))
    if location.page is not None:
        bits.append(_("p.{page}").format(page=location.page))
    if location.paragraph is not None:
        bits.append(_("¶{paragraph}").format(paragraph=location.paragraph))
    if location.table_cell:
        bits.append(cell_name(location.table_cell))
    if location.field_path:
        bits.append(location.field_path)
    if location.line is not None:
        bits.append(_("line {line}").format(line=location.line))
    if location.offset is not None:
        bits.append(_("@{offset}").format(offset=location.offset))
    return " ".join(bits)
