"""Remove what a JPEG should not carry — GPS, thumbnails, comments, appended data — without recompressing.

The new file is spliced from the original: the header segments are copied one by one (rewritten
where they held GPS or a thumbnail, dropped when they are comments), and everything from the first
SOS marker to EOI is copied byte for byte, so the decoded pixels are identical.  Kept: JFIF, the
ICC profile (APP2), Adobe APP14, IPTC, and every other EXIF tag (the EXIF block is edited in place,
so maker notes keep their offsets).
"""

from __future__ import annotations

import struct
from pathlib import Path

from hnsubmit.checks.fixers.base import Change, FixContext
from hnsubmit.checks.formats import exif_ifd
from hnsubmit.checks.formats import photoshop_irb
from hnsubmit.checks.formats import xmp_gps
from hnsubmit.checks.formats.jpeg_markers import (
    EXIF_PREFIXES,
    MPF_PREFIX,
    PHOTOSHOP_PREFIX,
    XMP_EXT_PREFIX,
    XMP_PREFIX,
    JpegFile,
    Segment,
)

MAX_PAYLOAD = 65533

CHANGES = {
    "gps": Change("删除了 EXIF 中的 GPS 位置信息", "removed the GPS position from EXIF"),
    "gps_empty": Change("删除了 EXIF 中算不出位置的 GPS 信息块", "removed the EXIF GPS block (no position could be computed from it)"),
    "exif_dropped": Change(
        "EXIF 结构损坏、无法单独删除位置或缩略图,已删除整个 EXIF", "removed the whole EXIF block: it is too damaged to cut out the position or thumbnail alone"
    ),
    "thumbnail": Change("删除了 EXIF 内嵌缩略图", "removed the EXIF thumbnail"),
    "xmp_gps": Change("删除了 XMP 中的 GPS 位置信息", "removed the GPS position from XMP"),
    "xmp_dropped": Change("删除了无法解析且含 GPS 的 XMP 元数据", "removed XMP metadata that held GPS and could not be parsed"),
    "ps_thumbnail": Change("删除了 Photoshop 资源中的缩略图", "removed the thumbnail from the Photoshop resources"),
    "comment": Change("删除了 JPEG 注释", "removed the JPEG comment"),
    "stray": Change("删除了文件头中的多余字节", "removed stray bytes from the header"),
    "trailing": Change("删除了图像结束标记之后的附加数据", "removed the data appended after the end of the image"),
}


def fix(src: Path, dst: Path, ctx: FixContext) -> list[Change] | None:
    with JpegFile(src) as jf:
        if jf.layout.sos is None:  # no scan to keep: nothing can be spliced safely
            return None
        data, done = splice(jf)
    if not done:
        return None
    dst.write_bytes(data)
    return [CHANGES[k] for k in CHANGES if k in done]


def splice(jf: JpegFile) -> tuple[bytes, set[str]]:
    """The cleaned file's bytes and the keys of CHANGES that apply."""
    layout, done = jf.layout, set()
    out = bytearray(b"\xff\xd8")
    ext_xmp = jf.apps(1, XMP_EXT_PREFIX)
    drop_ext = bool(ext_xmp) and _ext_has_gps(jf, ext_xmp)
    photoshop = jf.apps(13, PHOTOSHOP_PREFIX)
    keep_trailing = not _has_trailing(jf)
    for seg in layout.segments:
        if seg is layout.sos:
            break
        if seg.marker == 0xFE:
            done.add("comment")
        elif seg in ext_xmp and drop_ext:
            done.add("xmp_gps")
        elif seg in photoshop:
            if seg is photoshop[0]:
                out += _photoshop(jf, photoshop, done)
        elif seg.is_app(2) and _starts(jf, seg, MPF_PREFIX) and not keep_trailing:
            pass  # its offsets name the appended images removed below
        elif seg.is_app(1) and _starts(jf, seg, EXIF_PREFIXES):
            out += _exif(jf, seg, done)
        elif seg.is_app(1) and _starts(jf, seg, XMP_PREFIX):
            out += _xmp(jf, seg, done)
        else:
            out += jf.data[seg.offset : seg.end]
    if layout.stray:
        done.add("stray")
    end = layout.eoi_end if layout.eoi_end is not None else layout.size
    out += jf.data[layout.sos.offset : end]
    if not keep_trailing:
        done.add("trailing")
    return bytes(out), done


def _starts(jf: JpegFile, seg: Segment, prefix) -> bool:
    return bytes(jf.data[seg.payload_start : seg.payload_start + 40]).startswith(prefix)


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def _has_trailing(jf: JpegFile) -> bool:
    layout = jf.layout
    if layout.eoi_end is None or not layout.trailing:
        return False
    return bool(jf.data[layout.eoi_end : layout.size].strip(b"\x00"))


# --- EXIF: cut the GPS IFD and IFD1 out in place --------------------------------------------------


def _exif(jf: JpegFile, seg: Segment, done: set[str]) -> bytes:
    body = jf.payload(seg)
    new, what = strip_exif(body[6:])
    if not what:
        return bytes(jf.data[seg.offset : seg.end])
    done.update(what)
    return _segment(0xE1, body[:6] + new) if new is not None else b""


def strip_exif(data: bytes) -> tuple[bytes | None, set[str]]:
    """The TIFF block without the GPS IFD and IFD1 (the thumbnail); every other offset unchanged.

    None (with what was wrong) when IFD0 itself is too damaged to edit: the caller drops the block."""
    tiff = exif_ifd.parse(data)
    ifd0 = tiff.ifds.get("IFD0")
    if ifd0 is None:
        return data, set()
    e, buf, what = tiff.endian, bytearray(data), set()
    entries = [bytes(buf[ifd0.offset + 2 + 12 * i : ifd0.offset + 14 + 12 * i]) for i in range(ifd0.count)]
    keep = [r for r in entries if struct.unpack_from(e + "H", r)[0] != exif_ifd.GPS_IFD_POINTER]
    if len(keep) != len(entries):
        what.add("gps" if tiff.gps_position() else "gps_empty")
    if ifd0.next_offset and "IFD1" in tiff.ifds:
        what.add("thumbnail")
    if not what:
        return data, set()
    if ifd0.next_field + 4 > len(buf):  # IFD0 runs past the block: it cannot be rewritten in place
        return None, {"exif_dropped"}
    # IFD0 rewritten in its own place: fewer entries, next-IFD pointer 0 (IFD1 gone), zeros after.
    start, old_end = ifd0.offset, ifd0.next_field + 4
    new = struct.pack(e + "H", len(keep)) + b"".join(keep) + struct.pack(e + "I", 0)
    buf[start:old_end] = new + bytes(old_end - start - len(new))
    kept = _regions(tiff, ("IFD0", "Exif", "Interop"), skip_tag=exif_ifd.GPS_IFD_POINTER) + [(0, 8)]
    removed = _regions(tiff, ("GPS", "IFD1"))
    thumb = tiff.thumbnail()
    if thumb:
        removed.append((thumb[0], thumb[0] + thumb[1]))
    mask = bytearray(len(buf))  # 1 where a byte still belongs to something kept
    for a, b in kept:
        mask[a:b] = b"\x01" * (min(b, len(buf)) - a)
    for a, b in removed:
        for i in range(max(a, 0), min(b, len(buf))):
            if not mask[i]:
                buf[i] = 0
    # Shorten the block when everything after the last kept byte is now zero (usually the thumbnail).
    kept_end = max(b for _, b in kept)
    if kept_end < len(buf) and not any(buf[kept_end:]):
        del buf[kept_end:]
    return bytes(buf), what


def _regions(tiff: exif_ifd.Tiff, names: tuple[str, ...], skip_tag: int | None = None) -> list[tuple[int, int]]:
    out = []
    for name in names:
        ifd = tiff.ifds.get(name)
        if ifd is None:
            continue
        out.append(ifd.span)
        for entry in ifd.entries.values():
            if entry.tag != skip_tag and entry.size and not entry.inline:
                out.append((entry.value_offset, entry.value_offset + entry.size))
    return out


# --- XMP and Photoshop resources ----------------------------------------------------------------


def _xmp(jf: JpegFile, seg: Segment, done: set[str]) -> bytes:
    original = bytes(jf.data[seg.offset : seg.end])
    packet = jf.payload(seg)[len(XMP_PREFIX):]
    if b"gps" not in packet.replace(b"\x00", b"").lower():  # NULs gone, UTF-16 text is ASCII
        return original
    new = xmp_gps.without_gps(packet)
    if new is None:  # unparsable: dropped whole when a byte search still finds a position in it
        if xmp_gps.position_properties(packet):
            done.add("xmp_dropped")
            return b""
        return original
    if new is packet:
        return original
    if len(XMP_PREFIX) + len(new) > MAX_PAYLOAD:
        done.add("xmp_dropped")
        return b""
    done.add("xmp_gps")
    return _segment(0xE1, XMP_PREFIX + new)


def _ext_has_gps(jf: JpegFile, segs: list[Segment]) -> bool:
    joined = b"".join(jf.payload(s)[len(XMP_EXT_PREFIX) + 40 :] for s in segs)
    return bool(xmp_gps.position_properties(joined))


def _photoshop(jf: JpegFile, segs: list[Segment], done: set[str]) -> bytes:
    original = b"".join(bytes(jf.data[s.offset : s.end]) for s in segs)
    block = b"".join(jf.payload(s)[len(PHOTOSHOP_PREFIX):] for s in segs)
    if not photoshop_irb.has_thumbnail(block):
        return original
    new = photoshop_irb.without_thumbnail(block)
    done.add("ps_thumbnail")
    if new is None:  # cannot be walked to its end: the thumbnail cannot be cut out alone
        return b""
    return b"".join(photoshop_irb.to_segments(new))
