"""ISO/IEC 29500 Strict names mapped to the Transitional ones the Word checks are written against.

Word saves "Strict Open XML Document (*.docx)" with other namespace and relationship-type URIs for
the same markup; read without this map, such a file would look empty (a false DOC013).
"""

from __future__ import annotations

_T, _S = "http://schemas.openxmlformats.org/", "http://purl.oclc.org/ooxml/"
NAMESPACES = {
    _S + "wordprocessingml/main": _T + "wordprocessingml/2006/main",
    _S + "officeDocument/relationships": _T + "officeDocument/2006/relationships",
    _S + "drawingml/main": _T + "drawingml/2006/main",
    _S + "drawingml/wordprocessingDrawing": _T + "drawingml/2006/wordprocessingDrawing",
    _S + "drawingml/picture": _T + "drawingml/2006/picture",
    _S + "officeDocument/extendedProperties": _T + "officeDocument/2006/extended-properties",
    _S + "officeDocument/customProperties": _T + "officeDocument/2006/custom-properties",
}
_REL = _S + "officeDocument/relationships/"
_REL_RENAMED = {"extendedProperties": "extended-properties", "customProperties": "custom-properties"}


# Every Strict namespace above starts so: a name without this prefix is returned as it is, unsplit
# (the check runs for each element and attribute of every part read).
STRICT_PREFIX = "{" + _S


def name(qname: str) -> str:
    """"{strict-uri}local" → "{transitional-uri}local"; any other name unchanged."""
    if not qname.startswith(STRICT_PREFIX):
        return qname
    end = qname.find("}")
    alias = NAMESPACES.get(qname[1:end])
    return "{" + alias + qname[end:] if alias else qname


def attrs(attrib: dict[str, str]) -> dict[str, str]:
    """`attrib` itself when no name in it is Strict, else a renamed copy (same order)."""
    for k in attrib:
        if k.startswith(STRICT_PREFIX):
            return {name(k): v for k, v in attrib.items()}
    return attrib


def rel_type(uri: str) -> str:
    if not uri.startswith(_REL):
        return uri
    kind = uri[len(_REL):]
    return _T + "officeDocument/2006/relationships/" + _REL_RENAMED.get(kind, kind)
