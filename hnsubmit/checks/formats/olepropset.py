"""The personal fields of an OLE file's property sets ([MS-OLEPS]): who wrote a .doc, for which company.

A .doc keeps its document properties in two streams beside WordDocument: ``\\x05SummaryInformation``
(author, last saved by) and ``\\x05DocumentSummaryInformation`` (manager, company).  The walk records
where each string value lies in its stream, so the fixer can blank exactly those bytes and leave
every other byte of the file as it was.  Bounded and never raising: a property set that does not add
up ends the walk of that stream (the rest of the .doc is judged by the Word validator).
"""

from __future__ import annotations

import codecs
import struct
from dataclasses import dataclass

SUMMARY = "\x05SummaryInformation"
DOC_SUMMARY = "\x05DocumentSummaryInformation"
FMTID_SUMMARY = bytes.fromhex("E0859FF2F94F6810AB9108002B27B3D9")
FMTID_DOC_SUMMARY = bytes.fromhex("02D5CDD59C2E1B10939708002B2CF9AE")
# (stream, FMTID, property id, label as DOC011 names it for .docx)
PERSONAL = (
    (SUMMARY, FMTID_SUMMARY, 4, "creator"),
    (SUMMARY, FMTID_SUMMARY, 8, "lastModifiedBy"),
    (DOC_SUMMARY, FMTID_DOC_SUMMARY, 0x0F, "Company"),
    (DOC_SUMMARY, FMTID_DOC_SUMMARY, 0x0E, "Manager"),
)
FMTID_USER_DEFINED = bytes.fromhex("05D5CDD59C2E1B10939708002B2CF9AE")  # the second section: custom properties
# Custom properties that name the program, not a person: WPS's build number, and the AppVersion that
# LibreOffice carries over from a .docx's app.xml
NOT_PERSONAL = frozenset({"KSOProductBuildVer", "AppVersion"})
VT_LPSTR, VT_LPWSTR, VT_I2 = 0x1E, 0x1F, 0x02
PID_CODEPAGE = 1
MAX_PROPERTIES = 1024
MAX_STREAM = 1 << 20  # real property sets are a few KB


@dataclass(frozen=True)
class StringValue:
    """A string property: its Size/Length field at `size_at`, its characters at `start`..`end`."""

    stream: str
    label: str
    text: str
    size_at: int
    start: int
    end: int
    empty_size: int  # what the Size/Length field says for an empty string (the terminator alone)


def personal(streams: dict[str, bytes]) -> list[StringValue]:
    """The personal string values that are set, in the order of PERSONAL."""
    found = []
    for stream, fmtid, pid, label in PERSONAL:
        data = streams.get(stream)
        if not data:
            continue
        value = _string(data, fmtid, pid, stream, label)
        if value is not None and value.text.strip("\x00 \t\r\n"):
            found.append(value)
    data = streams.get(DOC_SUMMARY)
    if data:
        found.extend(v for v in _custom(data) if v.text.strip("\x00 \t\r\n"))
    return found


def blanked(data: bytes, values: list[StringValue]) -> bytes:
    """The stream with each value emptied in place: the size field says "terminator only" and the
    old characters become zero bytes, so the stream keeps its length and every offset."""
    out = bytearray(data)
    for v in values:
        struct.pack_into("<I", out, v.size_at, v.empty_size)
        out[v.start : v.end] = bytes(v.end - v.start)
    return bytes(out)


def _section(data: bytes, fmtid: bytes) -> int | None:
    """Offset of the property set with this FMTID (the first section for DocumentSummaryInformation)."""
    if len(data) < 48 or data[:2] != b"\xfe\xff":
        return None
    (count,) = struct.unpack_from("<I", data, 24)
    for i in range(min(count, 2)):
        at = 28 + 20 * i
        if at + 20 > len(data):
            return None
        if data[at : at + 16] == fmtid:
            (offset,) = struct.unpack_from("<I", data, at + 16)
            return offset if offset + 8 <= len(data) else None
    return None


def _offsets(data: bytes, base: int) -> dict[int, int]:
    (_, n) = struct.unpack_from("<II", data, base)
    n = min(n, MAX_PROPERTIES, (len(data) - base - 8) // 8)
    return dict(struct.unpack_from("<II", data, base + 8 + 8 * i) for i in range(n))


def _string(data: bytes, fmtid: bytes, pid: int, stream: str, label: str) -> StringValue | None:
    base = _section(data, fmtid)
    if base is None:
        return None
    offsets = _offsets(data, base)
    if pid not in offsets:
        return None
    return _value(data, base, offsets, pid, stream, label)


def _custom(data: bytes) -> list[StringValue]:
    """The string-valued custom properties, labelled "custom:NAME" as DOC011 names them for .docx."""
    base = _section(data, FMTID_USER_DEFINED)
    if base is None:
        return []
    offsets = _offsets(data, base)
    names = _dictionary(data, base, offsets.get(0), _codepage(data, base, offsets.get(PID_CODEPAGE)))
    out = []
    for pid, name in names.items():
        if pid in offsets and pid > 1 and name not in NOT_PERSONAL:
            value = _value(data, base, offsets, pid, DOC_SUMMARY, f"custom:{name}")
            if value is not None:
                out.append(value)
    return out


def _dictionary(data: bytes, base: int, offset: int | None, codepage: int) -> dict[int, str]:
    """PID → name from the dictionary property (PID 0); names are padded to 4 bytes only in UTF-16."""
    if offset is None or base + offset + 4 > len(data):
        return {}
    at = base + offset
    (count,) = struct.unpack_from("<I", data, at)
    pos, out = at + 4, {}
    unicode = codepage == 1200
    for _ in range(min(count, MAX_PROPERTIES)):
        if pos + 8 > len(data):
            break
        pid, size = struct.unpack_from("<II", data, pos)
        nbytes = size * 2 if unicode else size
        raw = data[pos + 8 : pos + 8 + nbytes]
        if len(raw) < nbytes:
            break
        out[pid] = raw.decode(_encoding(codepage), "replace").split("\x00", 1)[0]
        pos += 8 + nbytes + ((-nbytes) % 4 if unicode else 0)
    return out


def _value(data: bytes, base: int, offsets: dict[int, int], pid: int, stream: str, label: str) -> StringValue | None:
    codepage = _codepage(data, base, offsets.get(PID_CODEPAGE))
    at = base + offsets[pid]
    if at + 8 > len(data):
        return None
    (vtype,) = struct.unpack_from("<H", data, at)
    (size,) = struct.unpack_from("<I", data, at + 4)
    if vtype == VT_LPWSTR:
        start, end, encoding, empty = at + 8, at + 8 + 2 * size, "utf-16-le", 1
    elif vtype == VT_LPSTR:
        start, end, encoding = at + 8, at + 8 + size, _encoding(codepage)
        empty = 2 if encoding == "utf-16-le" else 1
    else:
        return None
    if end > len(data) or size == 0:
        return None
    text = data[start:end].decode(encoding, "replace").split("\x00", 1)[0]
    return StringValue(stream, label, text, at + 4, start, end, empty)


def _codepage(data: bytes, base: int, offset: int | None) -> int:
    if offset is None or base + offset + 6 > len(data):
        return 1252
    vtype, value = struct.unpack_from("<H2xH", data, base + offset)
    return value if vtype == VT_I2 else 1252  # stored as a signed 16-bit value: 65001 reads as -535


def _encoding(codepage: int) -> str:
    name = {1200: "utf-16-le", 65001: "utf-8", 10000: "mac_roman"}.get(codepage, f"cp{codepage}")
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp1252"
    return name
