"""Just enough of the ASF header to tell a WMV (video) from a WMA (audio only) at identification time.

The deep ASF parser of the WMV validator builds on the same object walk.
"""

from __future__ import annotations

import struct
import uuid

ASF_HEADER = uuid.UUID("75B22630-668E-11CF-A6D9-00AA0062CE6C").bytes_le
STREAM_PROPERTIES = uuid.UUID("B7DC0791-A9B7-11CF-8EE6-00C00C205365").bytes_le
HEADER_EXTENSION = uuid.UUID("5FBF03B5-A92E-11CF-8EE3-00C00C205365").bytes_le
EXTENDED_STREAM_PROPERTIES = uuid.UUID("14E6A5CB-C672-4332-8399-A96952065B5A").bytes_le
VIDEO_MEDIA = uuid.UUID("BC19EFC0-5B4D-11CF-A8FD-00805F5C442B").bytes_le
AUDIO_MEDIA = uuid.UUID("F8699E40-5B4D-11CF-A8FD-00805F5C442B").bytes_le


def is_asf(head: bytes) -> bool:
    return head[:16] == ASF_HEADER


def stream_types(header: bytes) -> list[str]:
    """'video' / 'audio' / 'other' for each Stream Properties object found in an ASF header.

    `header` is the start of the file (the whole Header Object when it fits).  Malformed sizes end
    the walk quietly: identification must never raise.
    """
    kinds: list[str] = []
    if len(header) < 30 or not is_asf(header):
        return kinds
    _walk(header, 30, len(header), kinds, depth=0)
    return kinds


def _walk(buf: bytes, pos: int, end: int, kinds: list[str], depth: int) -> None:
    while pos + 24 <= end and depth < 3:
        guid = buf[pos : pos + 16]
        (size,) = struct.unpack_from("<Q", buf, pos + 16)
        if size < 24:
            return
        body = pos + 24
        if guid == STREAM_PROPERTIES and body + 16 <= len(buf):
            media = buf[body : body + 16]
            kinds.append("video" if media == VIDEO_MEDIA else "audio" if media == AUDIO_MEDIA else "other")
        elif guid == HEADER_EXTENSION:
            # reserved GUID(16) + reserved u16 + data size u32, then nested objects
            inner = body + 22
            _walk(buf, inner, min(pos + size, len(buf)), kinds, depth + 1)
        elif guid == EXTENDED_STREAM_PROPERTIES:
            # An Extended Stream Properties object may embed a Stream Properties object after its
            # variable-length names and payload extension systems.
            _scan_embedded(buf, body, min(pos + size, len(buf)), kinds)
        pos += size


def _scan_embedded(buf: bytes, start: int, end: int, kinds: list[str]) -> None:
    try:
        name_count, ext_count = struct.unpack_from("<HH", buf, start + 60)
        pos = start + 64
        for _ in range(name_count):
            (length,) = struct.unpack_from("<H", buf, pos + 2)
            pos += 4 + length
        for _ in range(ext_count):
            (length,) = struct.unpack_from("<I", buf, pos + 18)
            pos += 22 + length
        if pos + 24 <= end and buf[pos : pos + 16] == STREAM_PROPERTIES:
            _walk(buf, pos, end, kinds, depth=3 - 1)
    except struct.error:
        return
