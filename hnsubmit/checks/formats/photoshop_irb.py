"""Photoshop image resources (APP13 "Photoshop 3.0"): list them, and drop the embedded thumbnail.

Photoshop keeps its own preview (resources 0x0409 and 0x040C) beside the EXIF one, and like the EXIF
thumbnail it can show what was cropped away.  A block over 64 KB is split over several APP13
segments at arbitrary byte boundaries (Pillow's app13-multiple.jpg), so the payloads are joined
before the walk and split again afterwards.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

HEADER = b"Photoshop 3.0\x00"
SIGNATURES = (b"8BIM", b"MeSa", b"PHUT", b"AgHg", b"DCSR")
THUMBNAIL_IDS = frozenset({0x0409, 0x040C})
MAX_RESOURCES = 4096
SEGMENT_ROOM = 65533 - len(HEADER)  # payload bytes per APP13 segment after its header


@dataclass(frozen=True)
class Resource:
    id: int
    start: int  # offset of its signature in the joined block
    end: int  # first byte after its (padded) data


def resources(block: bytes) -> tuple[list[Resource], bool]:
    """The resources of a joined IRB block, and whether the walk reached its end cleanly."""
    out: list[Resource] = []
    pos = 0
    while pos + 12 <= len(block) and len(out) < MAX_RESOURCES:
        if block[pos : pos + 4] not in SIGNATURES:
            return out, False
        (rid,) = struct.unpack_from(">H", block, pos + 4)
        name_len = block[pos + 6] + 1
        name_len += name_len % 2  # the Pascal name is padded to an even length
        size_at = pos + 6 + name_len
        if size_at + 4 > len(block):
            return out, False
        (size,) = struct.unpack_from(">I", block, size_at)
        end = size_at + 4 + size + size % 2
        if end > len(block) + 1:  # the last pad byte may be missing
            return out, False
        out.append(Resource(rid, pos, min(end, len(block))))
        pos = end
    return out, pos >= len(block) - 1


def has_thumbnail(block: bytes) -> bool:
    found, _ = resources(block)
    return any(r.id in THUMBNAIL_IDS for r in found)


def without_thumbnail(block: bytes) -> bytes | None:
    """The block without thumbnail resources; None when it cannot be walked to its end (drop it)."""
    found, clean = resources(block)
    if not clean:
        return None
    return b"".join(block[r.start : r.end] for r in found if r.id not in THUMBNAIL_IDS)


def to_segments(block: bytes) -> list[bytes]:
    """APP13 segments (marker and length included) carrying `block`."""
    out = []
    for i in range(0, len(block), SEGMENT_ROOM):
        body = HEADER + block[i : i + SEGMENT_ROOM]
        out.append(b"\xff\xed" + struct.pack(">H", len(body) + 2) + body)
    return out
