"""A bounded walk over the TIFF structure of an EXIF payload: IFD0, the Exif, GPS and Interop IFDs, IFD1.

Why not Pillow's Exif: the metadata fixer must cut the GPS IFD and the thumbnail out *in place*,
keeping every other offset (and the maker notes, whose private offsets no writer can know) intact;
Pillow re-serialises the whole block and alters maker notes (python-pillow/Pillow#7545, #5273).
So the walk records where each entry and value lies.  It never raises: corrupt or exotic EXIF
(loops, offsets past the end, unknown types — the corpus has all of these) ends a branch of the
walk and is noted in `problems`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

MAX_ENTRIES = 1024  # per IFD; real IFDs hold tens
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}

EXIF_IFD_POINTER = 0x8769
GPS_IFD_POINTER = 0x8825
INTEROP_IFD_POINTER = 0xA005
ORIENTATION = 0x0112
THUMB_OFFSET = 0x0201  # JPEGInterchangeFormat
THUMB_LENGTH = 0x0202
STRIP_OFFSETS = 0x0111
STRIP_COUNTS = 0x0117

# GPS tags that place the camera or the subject on a map: latitude/longitude and their
# destination counterparts, and the free-text area name.  A GPS IFD holding only GPSVersionID,
# a time or an altitude locates nothing (exifpy Canon_40D, 32-lens_data) and is not reported.
GPS_POSITION_TAGS = frozenset({0x01, 0x02, 0x03, 0x04, 0x13, 0x14, 0x15, 0x16, 0x1C})


@dataclass(frozen=True)
class Entry:
    tag: int
    type: int
    count: int
    entry_offset: int  # where the 12-byte entry stands in the TIFF data
    value_offset: int  # where the value bytes stand (inline: entry_offset + 8)
    size: int  # bytes of value, 0 when the type is unknown or the value lies outside the data

    @property
    def inline(self) -> bool:
        return self.value_offset == self.entry_offset + 8


@dataclass
class Ifd:
    name: str
    offset: int
    count: int
    entries: dict[int, Entry] = field(default_factory=dict)
    next_offset: int = 0
    next_field: int = 0  # where the next-IFD pointer stands

    @property
    def span(self) -> tuple[int, int]:
        return (self.offset, self.next_field + 4)


@dataclass
class Tiff:
    data: bytes
    endian: str = "<"
    ifds: dict[str, Ifd] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def raw(self, entry: Entry) -> bytes:
        return self.data[entry.value_offset : entry.value_offset + entry.size]

    def ints(self, entry: Entry, limit: int = 64) -> list[int]:
        """SHORT/LONG (and BYTE) values; empty for any other type."""
        fmt = {1: "B", 3: "H", 4: "I", 8: "h", 9: "i", 13: "I"}.get(entry.type)
        if not fmt or not entry.size:
            return []
        n = min(entry.count, limit)
        try:
            return list(struct.unpack_from(f"{self.endian}{n}{fmt}", self.data, entry.value_offset))
        except struct.error:
            return []

    def first_int(self, ifd: str, tag: int) -> int | None:
        entry = self.ifds.get(ifd, Ifd("", 0, 0)).entries.get(tag)
        values = self.ints(entry) if entry else []
        return values[0] if values else None

    # --- what the validator asks ---------------------------------------------------------------

    @property
    def orientation(self) -> int | None:
        return self.first_int("IFD0", ORIENTATION)

    def gps_position_tags(self) -> list[int]:
        gps = self.ifds.get("GPS")
        if gps is None:
            return []
        return sorted(t for t in gps.entries if t in GPS_POSITION_TAGS)

    def rationals(self, entry: Entry, limit: int = 3) -> list[float | None]:
        """RATIONAL/SRATIONAL values; None for a zero denominator (0/0 is what phones write for
        "no fix").  Empty for any other type."""
        if entry.type not in (5, 10) or not entry.size:
            return []
        n = min(entry.count, limit)
        fmt = f"{self.endian}{2 * n}{'I' if entry.type == 5 else 'i'}"
        try:
            raw = struct.unpack_from(fmt, self.data, entry.value_offset)
        except struct.error:
            return []
        return [raw[2 * i] / raw[2 * i + 1] if raw[2 * i + 1] else None for i in range(n)]

    def gps_position(self) -> bool:
        """Whether a position can be computed from the GPS IFD, as exiftool would: a latitude and a
        longitude (or their destination counterparts) whose degrees, minutes and seconds all have
        non-zero denominators and lie on the globe, or a non-empty area name.  The reference letters
        are not required: without them the hemisphere is a guess, but the place is still narrowed
        to four points, which is a leak."""
        gps = self.ifds.get("GPS")
        if gps is None:
            return False
        for lat_tag, lon_tag in ((0x02, 0x04), (0x14, 0x16)):
            lat, lon = gps.entries.get(lat_tag), gps.entries.get(lon_tag)
            if lat and lon and _degrees(self.rationals(lat), 90) and _degrees(self.rationals(lon), 180):
                return True
        area = gps.entries.get(0x1C)
        return bool(area and self.raw(area)[8:].strip(b"\x00 "))

    def thumbnail(self) -> tuple[int, int] | None:
        """(offset, length) of the IFD1 thumbnail (JPEG or strips), when there is one with data."""
        ifd1 = self.ifds.get("IFD1")
        if ifd1 is None:
            return None
        offset, length = self.first_int("IFD1", THUMB_OFFSET), self.first_int("IFD1", THUMB_LENGTH)
        if offset is not None and length:
            return (offset, length)
        strips = ifd1.entries.get(STRIP_OFFSETS)
        counts = ifd1.entries.get(STRIP_COUNTS)
        if strips and counts:
            offs, lens = self.ints(strips), self.ints(counts)
            if offs and lens and sum(lens):
                return (min(offs), max(o + n for o, n in zip(offs, lens)) - min(offs))
        return None


def _degrees(parts: list[float | None], bound: float) -> bool:
    if not parts or any(p is None for p in parts):
        return False
    value = sum(p / 60**i for i, p in enumerate(parts))  # type: ignore[operator]
    return abs(value) <= bound


def parse(data: bytes) -> Tiff:
    """Walk the TIFF structure of an EXIF payload (the bytes after ``Exif\\0\\0``)."""
    tiff = Tiff(bytes(data))
    if len(data) < 8 or data[:2] not in (b"II", b"MM"):
        tiff.problems.append("no TIFF header")
        return tiff
    tiff.endian = "<" if data[:2] == b"II" else ">"
    (magic, ifd0) = struct.unpack_from(tiff.endian + "HI", data, 2)
    if magic != 42:
        tiff.problems.append(f"TIFF magic {magic} instead of 42")
        return tiff
    seen: set[int] = set()
    first = _ifd(tiff, "IFD0", ifd0, seen)
    if first is None:
        return tiff
    for name, pointer in (("Exif", EXIF_IFD_POINTER), ("GPS", GPS_IFD_POINTER)):
        target = _pointer(tiff, "IFD0", pointer)
        if target is not None:
            _ifd(tiff, name, target, seen)
    interop = _pointer(tiff, "Exif", INTEROP_IFD_POINTER)
    if interop is not None:
        _ifd(tiff, "Interop", interop, seen)
    if first.next_offset:
        _ifd(tiff, "IFD1", first.next_offset, seen)
    return tiff


def _pointer(tiff: Tiff, ifd: str, tag: int) -> int | None:
    """A sub-IFD pointer, read from the entry's value field whatever its count says: 45-gps_ifd.jpg
    declares GPSInfo with count 0 and the offset still in place, and readers follow it."""
    entry = tiff.ifds[ifd].entries.get(tag) if ifd in tiff.ifds else None
    if entry is None or entry.type not in (4, 13):
        return None
    (value,) = struct.unpack_from(tiff.endian + "I", tiff.data, entry.entry_offset + 8)
    return value


def _ifd(tiff: Tiff, name: str, offset: int, seen: set[int]) -> Ifd | None:
    data, e = tiff.data, tiff.endian
    if offset in seen and name == "IFD1":
        tiff.problems.append("IFD1 loops back to an IFD already read")
        return None
    # A GPS pointer may name an IFD already read (45-gps_ifd.jpg points it at the Exif IFD): it is
    # read again under its new name, so its non-GPS tags show that there is no position in it.
    if offset < 8 or offset + 2 > len(data):
        tiff.problems.append(f"{name} IFD offset {offset} lies outside the EXIF data")
        return None
    seen.add(offset)
    (count,) = struct.unpack_from(e + "H", data, offset)
    if count > MAX_ENTRIES:
        tiff.problems.append(f"{name} IFD claims {count} entries")
        return None
    if offset + 2 + 12 * count + 4 > len(data):
        tiff.problems.append(f"{name} IFD runs past the end of the EXIF data")
        count = max(0, (len(data) - offset - 2) // 12)
    ifd = Ifd(name, offset, count)
    for i in range(count):
        pos = offset + 2 + 12 * i
        tag, typ, n = struct.unpack_from(e + "HHI", data, pos)
        unit = TYPE_SIZES.get(typ)
        size = unit * n if unit else 0
        if size <= 4:
            value_offset = pos + 8
        else:
            (value_offset,) = struct.unpack_from(e + "I", data, pos + 8)
            if value_offset + size > len(data):
                tiff.problems.append(f"{name} tag 0x{tag:04X} points past the end of the EXIF data")
                size = 0
        ifd.entries.setdefault(tag, Entry(tag, typ, n, pos, value_offset, size))
    ifd.next_field = offset + 2 + 12 * count
    if ifd.next_field + 4 <= len(data):
        (ifd.next_offset,) = struct.unpack_from(e + "I", data, ifd.next_field)
    tiff.ifds.setdefault(name, ifd)
    return ifd
