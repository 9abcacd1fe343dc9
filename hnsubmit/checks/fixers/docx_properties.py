"""Clear a .docx's personal document properties (DOC011) and change nothing else.

Only the personal elements' text is emptied (dc:creator, cp:lastModifiedBy, Company, Manager) and
personal custom properties are cut; docProps/custom.xml, its relationship and its content-type
override go when nothing is left in it.  Every other byte of those parts, and every other ZIP entry
(name, order, timestamp, compression method, content), stays as it was, so Word opens the result
without a repair prompt.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.parsers.expat import ExpatError

from hnsubmit.checks.fixers.base import Change, FixContext
from hnsubmit.checks.formats import docprops
from hnsubmit.checks.formats import xmlspans
from hnsubmit.checks.formats.ooxml import Package, PackageError, PackageTooLarge, UnsafeXml, open_package
from hnsubmit.checks.validators.docx import limits_of

# Findings that mean the package is not sound enough to rewrite.
UNSOUND = ("DOC001", "DOC002", "DOC003")


def fix(src: Path, dst: Path, ctx: FixContext) -> list[Change] | None:
    if not ctx.has("DOC011") or ctx.has(*UNSOUND):
        return None
    try:
        with open_package(src, limits_of(ctx.policy)) as pkg:
            edits, cleared = _edits(pkg)
    except (PackageError, PackageTooLarge, UnsafeXml, ValueError, ExpatError):
        return None  # the check reports why; an unreadable package is not rewritten
    if not edits:
        return None
    _rewrite(src, dst, edits)
    return [Change("清除了文档属性中的个人信息:" + "、".join(z for z, _ in cleared),
                   "cleared personal information from the document properties: " + ", ".join(e for _, e in cleared))]


def _edits(pkg: Package) -> tuple[dict[str, bytes | None], list[tuple[str, str]]]:
    edits: dict[str, bytes | None] = {}
    cleared: list[tuple[str, str]] = []
    for default, rels, fields in (
        ("docProps/core.xml", docprops.CORE_RELS, docprops.CORE_FIELDS),
        ("docProps/app.xml", (docprops.APP_REL,), docprops.APP_FIELDS),
    ):
        part = docprops.part_for(pkg, rels, default)
        if part is None:
            continue
        pkg.xml(part)  # parsed safely first: refuses a DTD before expat sees the bytes
        xml = pkg.read(part)
        if not xmlspans.is_utf8(xml):
            continue
        names = {f"{ns} {local}": label for ns, local, label in fields}
        found = [s for s in xmlspans.spans(xml, lambda n, a: n in names) if s.inner_end > s.inner_start]
        if found:
            edits[part] = xmlspans.edit(xml, empty=found)
            for label in dict.fromkeys(names[s.name] for s in found):
                cleared.append((docprops.LABELS_ZH[label], label))
    custom = docprops.part_for(pkg, (docprops.CUSTOM_REL,), "docProps/custom.xml")
    if custom is not None:
        edits.update(_custom_edits(pkg, custom, cleared))
    return edits, cleared


def _custom_edits(pkg: Package, part: str, cleared: list[tuple[str, str]]) -> dict[str, bytes | None]:
    pkg.xml(part)
    xml = pkg.read(part)
    if not xmlspans.is_utf8(xml):
        return {}
    props = xmlspans.spans(xml, lambda n, a: n == f"{docprops.CUSTOM} property")
    personal = [s for s in props if s.attrs.get("name", "") not in docprops.NOT_PERSONAL]
    if not personal:
        return {}
    names = "、".join(s.attrs.get("name", "") for s in personal)
    cleared.append((f"自定义属性 {names}", "custom properties " + ", ".join(s.attrs.get("name", "") for s in personal)))
    if len(personal) < len(props):
        return {part: xmlspans.edit(xml, cut=personal)}
    # nothing left: the part goes, and with it the package relationship and the content-type override
    edits: dict[str, bytes | None] = {part: None}
    rels = pkg.find("_rels/.rels")
    if rels is not None:
        data = pkg.read(rels)
        gone = xmlspans.spans(data, lambda n, a: n.endswith(" Relationship") and a.get("Type") == docprops.CUSTOM_REL)
        edits[rels] = xmlspans.edit(data, cut=gone)
    types = pkg.find("[Content_Types].xml")
    if types is not None:
        data = pkg.read(types)
        target = "/" + part.lower()
        gone = xmlspans.spans(data, lambda n, a: n.endswith(" Override") and a.get("PartName", "").lower() == target)
        edits[types] = xmlspans.edit(data, cut=gone)
    return edits


def _rewrite(src: Path, dst: Path, edits: dict[str, bytes | None]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename in edits and edits[info.filename] is None:
                continue
            edited = edits.get(info.filename)
            data = edited if edited is not None else zin.read(info)
            out = zipfile.ZipInfo(info.filename, info.date_time)
            out.compress_type = info.compress_type
            out.external_attr = info.external_attr
            out.create_system = info.create_system
            zout.writestr(out, data)
