"""How many entries a zip declares, read from its end record before zipfile loads the central
directory (zipfile keeps one object per entry in memory: a few million entries would exhaust it)."""

from __future__ import annotations

import struct
from pathlib import Path

_EOCD = struct.Struct("<4s4H2LH")  # APPNOTE 4.3.16
_LOCATOR = struct.Struct("<4sLQL")  # 4.3.15
_EOCD64 = struct.Struct("<4sQ2H2L4Q")  # 4.3.14
TAIL = _EOCD.size + 0xFFFF  # the record plus the longest comment


def declared_entries(path: Path) -> int:
    """The entry count of the zip's (ZIP64) end of central directory record; ValueError if none."""
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        start = max(0, size - TAIL)
        fh.seek(start)
        tail = fh.read()
        pos = tail.rfind(b"PK\x05\x06")
        if pos < 0 or pos + _EOCD.size > len(tail):
            raise ValueError("no end of central directory record")
        _, _, _, _, total, _, offset, _ = _EOCD.unpack_from(tail, pos)
        if total != 0xFFFF and offset != 0xFFFFFFFF:
            return total
        loc = pos - _LOCATOR.size
        if loc < 0 or tail[loc:loc + 4] != b"PK\x06\x07":
            return total
        _, _, eocd64, _ = _LOCATOR.unpack_from(tail, loc)
        if eocd64 + _EOCD64.size > size:
            raise ValueError("ZIP64 end record points outside the file")
        fh.seek(eocd64)
        record = fh.read(_EOCD64.size)
        if len(record) < _EOCD64.size or record[:4] != b"PK\x06\x06":
            raise ValueError("ZIP64 end record missing")
        return _EOCD64.unpack(record)[7]
