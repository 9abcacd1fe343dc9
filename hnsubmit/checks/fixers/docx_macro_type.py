"""Turn a macro-enabled Word package that holds no macro (DOC015) into an ordinary .docx.

Only the main part's Override in [Content_Types].xml changes (macroEnabled → the .docx main type);
every other ZIP entry keeps its name, order, timestamp, compression and bytes.  The engine then
names the result .docx, since the package no longer fits .docm (identify's `fits`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.parsers.expat import ExpatError

from hnsubmit.checks.fixers.base import Change, FixContext
from hnsubmit.checks.formats import xmlspans
from hnsubmit.checks.formats.ooxml import PackageError, PackageTooLarge, UnsafeXml, open_package
from hnsubmit.checks.validators.docx import limits_of

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
UNSOUND = ("DOC001", "DOC002", "DOC003", "DOC005")
TYPES = "[Content_Types].xml"


def fix(src: Path, dst: Path, ctx: FixContext) -> list[Change] | None:
    if not ctx.has("DOC015") or ctx.has(*UNSOUND):
        return None
    try:
        with open_package(src, limits_of(ctx.policy)) as pkg:
            main = pkg.main_document()
            if main is None or "macroEnabled" not in pkg.content_type(main) or pkg.find(TYPES) is None:
                return None
            pkg.xml(pkg.find(TYPES))  # parsed safely first: refuses a DTD before expat sees the bytes
            name, xml = pkg.find(TYPES), pkg.read(pkg.find(TYPES))
    except (PackageError, PackageTooLarge, UnsafeXml, ValueError, ExpatError):
        return None
    target = "/" + main.lower()
    found = xmlspans.spans(xml, lambda n, a: n.endswith(" Override") and a.get("PartName", "").lower() == target)
    if len(found) != 1 or not xmlspans.is_utf8(xml):
        return None
    span = found[0]
    old = span.attrs["ContentType"].encode("utf-8")
    tag = xml[span.start : span.inner_start]
    if tag.count(old) != 1:
        return None
    edited = xml[: span.start] + tag.replace(old, DOCX_MAIN.encode("ascii")) + xml[span.inner_start :]
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            out = zipfile.ZipInfo(info.filename, info.date_time)
            out.compress_type, out.external_attr, out.create_system = info.compress_type, info.external_attr, info.create_system
            zout.writestr(out, edited if info.filename == name else zin.read(info))
    return [Change("把启用宏的文档类型改为普通 Word 文档(其中没有宏)", "changed the macro-enabled document type to an ordinary Word document (it held no macro)")]
