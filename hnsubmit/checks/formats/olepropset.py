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


def _string(data: bytes, fmtid: bytes, pid: int, stream: str, label: str) -> StringValue | None:
    base = _section(data, fmtid)
    if base is None:
        return None
    (_, n) = struct.unpack_from("<II", data, base)
    n = min(n, MAX_PROPERTIES, (len(data) - base - 8) // 8)
    offsets = dict(struct.unpack_from("<II", data, base + 8 + 8 * i) for i in range(n))
    codepage = _codepage(data, base, offsets.get(PID_CODEPAGE))
    if pid not in offsets:
        return None
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
