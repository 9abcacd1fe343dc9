"""Tell an office-guide batch from any other workbook by its first sheet's header, without loading the workbook.

Identification runs on every file of a folder, so this reads only the workbook's sheet list, the
first rows of the first sheet and as many shared strings as those rows use: a few kilobytes.
"""

from __future__ import annotations

import posixpath
import unicodedata
import zipfile

from defusedxml import ElementTree as ET

MARKERS = frozenset({"事项名称", "项目名称", "item_name"})
HEADER_ROWS = 10
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _first_sheet(zf: zipfile.ZipFile) -> str | None:
    workbook = ET.fromstring(zf.read("xl/workbook.xml")[:2_000_000])
    sheet = workbook.find(f"{NS_MAIN}sheets/{NS_MAIN}sheet")
    if sheet is None:
        return None
    rid = sheet.get(f"{NS_REL}id")
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels")[:2_000_000])
    for rel in rels:
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None


def _header_cells(zf: zipfile.ZipFile, part: str) -> tuple[list[str], set[int]]:
    texts, shared = [], set()
    with zf.open(part) as fh:
        for _, el in ET.iterparse(fh, events=("end",)):
            if el.tag == f"{NS_MAIN}row":
                if int(el.get("r", "0") or 0) > HEADER_ROWS:
                    break
                for c in el.iter(f"{NS_MAIN}c"):
                    v = c.find(f"{NS_MAIN}v")
                    if c.get("t") == "s" and v is not None and (v.text or "").isdigit():
                        shared.add(int(v.text))
                    elif c.get("t") == "inlineStr":
                        texts.append("".join(t.text or "" for t in c.iter(f"{NS_MAIN}t")))
                    elif v is not None and v.text:
                        texts.append(v.text)
                el.clear()
    return texts, shared


def _shared(zf: zipfile.ZipFile, wanted: set[int]) -> list[str]:
    if not wanted or "xl/sharedStrings.xml" not in zf.namelist():
        return []
    out, index, top = [], -1, max(wanted)
    with zf.open("xl/sharedStrings.xml") as fh:
        for _, el in ET.iterparse(fh, events=("end",)):
            if el.tag == f"{NS_MAIN}si":
                index += 1
                if index in wanted:
                    out.append("".join(t.text or "" for t in el.iter(f"{NS_MAIN}t")))
                el.clear()
                if index >= top:
                    break
    return out


def is_guide_workbook(zf: zipfile.ZipFile) -> bool:
    """True when the first sheet's first rows name 事项名称 / 项目名称 (with or without a '*')."""
    try:
        part = _first_sheet(zf)
        if not part:
            return False
        texts, shared = _header_cells(zf, part)
        texts += _shared(zf, shared)
    except Exception:  # identification must never fail on a strange workbook
        return False
    return any(_label(t) in MARKERS for t in texts)


def _label(text: str) -> str:
    """A header as typed: full-width brackets, '*' marks and '(必填)' notes do not matter."""
    text = "".join(unicodedata.normalize("NFKC", text).split()).lower()
    for mark in ("*", "★", "(必填)", "(必填项)"):
        text = text.replace(mark, "")
    return text.rstrip(":")
