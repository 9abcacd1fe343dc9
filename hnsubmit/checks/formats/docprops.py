"""Where a .docx keeps personal document properties (who wrote it, for which company), and what is set."""

from __future__ import annotations

from hnsubmit.checks.formats.ooxml import Package

CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"

CORE_RELS = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/metadata/core-properties",
)
APP_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"

# (namespace, local name, label) of the personal fields in core.xml and app.xml.
CORE_FIELDS = ((DC, "creator", "creator"), (CP, "lastModifiedBy", "lastModifiedBy"))
APP_FIELDS = ((EP, "Company", "Company"), (EP, "Manager", "Manager"))
# WPS writes its build number as a custom property into every document it saves; it says which
# program saved the file (like app.xml's AppVersion), nothing about a person.
NOT_PERSONAL = frozenset({"KSOProductBuildVer"})
LABELS_ZH = {"creator": "作者", "lastModifiedBy": "最后修改人", "Company": "单位", "Manager": "经理"}
SHOW = 40


def part_for(pkg: Package, rel_types: tuple[str, ...] | str, default: str) -> str | None:
    types = (rel_types,) if isinstance(rel_types, str) else rel_types
    for rel in pkg.relationships(""):
        if rel.type in types and not rel.external and pkg.has(rel.target):
            return pkg.find(rel.target)
    return pkg.find(default)


def label_zh(label: str) -> str:
    """The Chinese name of a field label ("custom:起草人" → "自定义属性 起草人")."""
    if label.startswith("custom:"):
        return f"自定义属性 {label[7:]}"
    return LABELS_ZH.get(label, label)


def short(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= SHOW else value[:SHOW] + "…"


def personal(pkg: Package) -> list[tuple[str, str]]:
    """(field, value) of every personal property that is set, in file order of the three parts."""
    found: list[tuple[str, str]] = []
    for default, rels, fields in (
        ("docProps/core.xml", CORE_RELS, CORE_FIELDS),
        ("docProps/app.xml", (APP_REL,), APP_FIELDS),
    ):
        part = part_for(pkg, rels, default)
        if part is None:
            continue
        root = pkg.xml(part)
        for ns, local, label in fields:
            for elem in root.iter(f"{{{ns}}}{local}"):
                text = "".join(elem.itertext()).strip()
                if text:
                    found.append((label, short(text)))
    part = part_for(pkg, (CUSTOM_REL,), "docProps/custom.xml")
    if part is not None:
        for prop in pkg.xml(part).iter(f"{{{CUSTOM}}}property"):
            name = prop.get("name", "")
            if name in NOT_PERSONAL:
                continue
            found.append((f"custom:{name}", short("".join(prop.itertext()))))
    return found
