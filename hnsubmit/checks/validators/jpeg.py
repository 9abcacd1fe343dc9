"""The JPEG validator: can every browser show the picture, and does it carry nothing it should not?

Order matters for safety: the marker walk reads the frame header first, so the coding process, the
precision and the pixel count are judged before Pillow allocates anything; only a picture that
passes those is decoded, completely, with truncated images treated as errors.
"""

from __future__ import annotations

from typing import Iterator

from hnsubmit.rules.findings import Finding, Location, finding
from hnsubmit.checks.formats import exif_ifd
from hnsubmit.checks.formats import jpeg_scan
from hnsubmit.checks.formats import photoshop_irb
from hnsubmit.checks.formats import xmp_gps
from hnsubmit.checks.formats.jpeg_markers import (
    EXIF_PREFIXES,
    PHOTOSHOP_PREFIX,
    XMP_EXT_PREFIX,
    XMP_PREFIX,
    Frame,
    JpegFile,
)
from hnsubmit.checks.formats.pillow_limits import pixel_limit
from hnsubmit.checks.context import FileContext

ORIENTATION_MEANING = {
    2: ("需水平翻转", "mirror horizontally"),
    3: ("需旋转 180°", "rotate 180°"),
    4: ("需垂直翻转", "mirror vertically"),
    5: ("需沿主对角线翻转", "flip along the main diagonal"),
    6: ("需顺时针旋转 90°", "rotate 90° clockwise"),
    7: ("需沿副对角线翻转", "flip along the anti-diagonal"),
    8: ("需逆时针旋转 90°", "rotate 90° counter-clockwise"),
}
# EXIF text fields handed to the sensitive-text scan: (IFD, tag, name)
TEXT_TAGS = (
    ("IFD0", 0x010E, "ImageDescription"),
    ("IFD0", 0x013B, "Artist"),
    ("IFD0", 0x8298, "Copyright"),
    ("Exif", 0x9286, "UserComment"),
    ("IFD0", 0x9C9B, "XPTitle"),
    ("IFD0", 0x9C9C, "XPComment"),
    ("IFD0", 0x9C9D, "XPAuthor"),
    ("IFD0", 0x9C9E, "XPKeywords"),
    ("IFD0", 0x9C9F, "XPSubject"),
)
MAX_TEXT = 4096


def bi(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def check(ctx: FileContext) -> Iterator[Finding]:
    with JpegFile(ctx.path) as jf:
        yield from _check(ctx, jf)


def _check(ctx: FileContext, jf: JpegFile) -> Iterator[Finding]:
    path, layout, frame = ctx.display, jf.layout, jf.layout.frame
    decodable = True
    if frame is not None:
        findings, decodable = _frame_findings(ctx, jf, frame)
        yield from findings
    if layout.truncated:
        yield finding("JPG001", path, reason=bi("文件在图像结束标记之前中断", "the file ends before its end-of-image marker"))
        decodable = False
    elif layout.problem:
        yield finding("JPG002", path, reason=bi(f"结构损坏({layout.problem})", layout.problem))
        decodable = False
    if layout.stray:
        offset = layout.stray[0][0]
        yield finding("JPG013", path, Location(offset=offset), count=sum(n for _, n in layout.stray), offset=offset)
    if layout.damage.total:
        yield _scan_damage(ctx, layout.damage)
    yield from _trailing(ctx, jf)
    yield from _metadata(ctx, jf)
    if decodable and frame is not None:
        yield from _decode(ctx, frame)


def _frame_findings(ctx: FileContext, jf: JpegFile, frame: Frame) -> tuple[list[Finding], bool]:
    """Process, precision, colour and size: all from the frame header.  Returns (findings, decodable)."""
    path, pol = ctx.display, ctx.policy.jpeg
    out: list[Finding] = []
    decodable = True
    process = bi(_process_zh(frame), frame.name)
    if frame.lossless_or_hierarchical:
        out.append(finding("JPG005", path, process=process))
        decodable = False  # Pillow (libjpeg-turbo) cannot decode these: the code above says why
    elif frame.arithmetic:
        out.append(finding("JPG003", path, process=process))
    if frame.precision != 8:
        out.append(finding("JPG004", path, precision=frame.precision))
        decodable = False
    if len(frame.components) == 4:
        out.append(finding("JPG006", path, colorspace="YCCK" if jf.adobe_transform() == 2 else "CMYK"))
    if frame.width == 0 or frame.height == 0:
        reason = "the frame header declares a zero width or height (height set later by DNL)"
        out.append(finding("JPG002", path, reason=bi("帧头声明的宽或高为 0(由 DNL 标记另行给出)", reason)))
        return out, False
    width, height = _shown_size(jf, frame)
    if width < pol.min_width or height < pol.min_height:
        out.append(finding("JPG010", path, width=width, height=height, min_width=pol.min_width, min_height=pol.min_height))
    if width > pol.max_width or height > pol.max_height:
        out.append(finding("JPG011", path, width=width, height=height, max_width=pol.max_width, max_height=pol.max_height))
    if width * height > pol.max_pixels:
        out.append(
            finding(
                "JPG012", path, width=width, height=height,
                megapixels=round(width * height / 1e6, 1), max_megapixels=round(pol.max_pixels / 1e6, 1),
            )
        )
        decodable = False  # the guard itself: never hand such a frame to a decoder
    return out, decodable


SOF_NAMES_ZH = {
    0xC0: "基线 DCT(SOF0)",
    0xC1: "扩展顺序 DCT(SOF1)",
    0xC2: "渐进式 DCT(SOF2)",
    0xC3: "无损(SOF3)",
    0xC5: "分层顺序 DCT(SOF5)",
    0xC6: "分层渐进式 DCT(SOF6)",
    0xC7: "分层无损(SOF7)",
    0xC9: "算术编码顺序 DCT(SOF9)",
    0xCA: "算术编码渐进式 DCT(SOF10)",
    0xCB: "算术编码无损(SOF11)",
    0xCD: "算术编码分层顺序 DCT(SOF13)",
    0xCE: "算术编码分层渐进式 DCT(SOF14)",
    0xCF: "算术编码分层无损(SOF15)",
}


def _process_zh(frame: Frame) -> str:
    return SOF_NAMES_ZH.get(frame.marker, f"0x{frame.marker:02X}")


def _shown_size(jf: JpegFile, frame: Frame) -> tuple[int, int]:
    """Width and height as shown: orientations 5–8 turn the picture by 90°."""
    tiff = _first_exif(jf)
    if tiff is not None and tiff.orientation in (5, 6, 7, 8):
        return frame.height, frame.width
    return frame.width, frame.height


def _first_exif(jf: JpegFile) -> exif_ifd.Tiff | None:
    segs = jf.apps(1, EXIF_PREFIXES)
    return exif_ifd.parse(jf.payload(segs[0])[6:]) if segs else None


def _scan_damage(ctx: FileContext, damage: jpeg_scan.ScanDamage) -> Finding:
    """The first damaged place of the entropy-coded data, with how many there are."""
    first = damage.places[0]
    if first.kind == "marker":
        (byte,) = first.args
        reason = bi(f"0xFF 之后是不构成标记的字节 0x{byte:02X}", f"0xFF is followed by 0x{byte:02X}, which is no marker")
    elif first.kind == "order":
        expected, found = first.args
        reason = bi(f"应为重启标记 RST{expected},实为 RST{found}", f"restart marker RST{found} stands where RST{expected} is due")
    elif first.kind == "extraneous":
        extra, marker = first.args
        reason = bi(f"重启间隔的数据比其中的图块多出 {extra} 字节(标记 0x{marker:02X} 之前)",
                    f"a restart interval holds {extra} bytes more than its blocks need (before marker 0x{marker:02X})")
    elif first.kind == "premature":
        reason = bi("重启间隔的数据在其中的图块解完之前就结束了", "a restart interval ends before its blocks are decoded")
    elif first.kind == "bad code":
        reason = bi("重启间隔中有不在霍夫曼表中的编码", "a restart interval holds a code its Huffman table does not have")
    else:
        scan, expected, found = first.args
        reason = bi(
            f"第 {scan} 段扫描有 {found} 个重启标记,按图像尺寸和重启间隔应有 {expected} 个",
            f"scan {scan} holds {found} restart markers where its size and restart interval call for {expected}",
        )
    return finding("JPG016", ctx.display, Location(offset=first.offset), offset=first.offset, reason=reason, count=damage.total)


def _trailing(ctx: FileContext, jf: JpegFile) -> Iterator[Finding]:
    layout = jf.layout
    if layout.eoi_end is None or not layout.trailing:
        return
    tail = jf.data[layout.eoi_end : layout.size]
    if not tail.strip(b"\x00"):  # zero padding some cameras and copy tools leave
        return
    what = bi("", "")
    if tail.find(b"\xff\xd8\xff") >= 0:
        what = bi(",其中有另一张 JPEG 图像", ", holding another JPEG image")
    yield finding("JPG014", ctx.display, Location(offset=layout.eoi_end), size=len(tail), what=what)


def _metadata(ctx: FileContext, jf: JpegFile) -> Iterator[Finding]:
    gps_where: list[tuple[str, str]] = []
    gps_block = False  # a GPS IFD with coordinate fields from which no position can be computed
    thumb_where: list[tuple[str, str]] = []
    orientation = None
    for i, seg in enumerate(jf.apps(1, EXIF_PREFIXES)):
        tiff = exif_ifd.parse(jf.payload(seg)[6:])
        if i == 0:
            orientation = tiff.orientation
            _exif_texts(ctx, tiff)
        if tiff.gps_position():
            gps_where.append(("EXIF GPS 信息", "the EXIF GPS data"))
        elif tiff.gps_position_tags():
            gps_block = True
        if tiff.thumbnail():
            thumb_where.append(("EXIF", "EXIF"))
    if _xmp_has_position(jf):
        gps_where.append(("XMP 元数据", "the XMP metadata"))
    block = b"".join(jf.payload(s)[len(PHOTOSHOP_PREFIX):] for s in jf.apps(13, PHOTOSHOP_PREFIX))
    if block and photoshop_irb.has_thumbnail(block):
        thumb_where.append(("Photoshop 图像资源", "the Photoshop image resources"))
    for i, text in enumerate(jf.comments()):
        ctx.add_text(_decode_text(text[:MAX_TEXT]), Location(part=f"JPEG COM {i + 1}"))
    if gps_where:
        yield finding("JPG007", ctx.display, where=_join(gps_where))
    elif gps_block:
        yield finding("JPG015", ctx.display)
    if orientation in ORIENTATION_MEANING:
        zh, en = ORIENTATION_MEANING[orientation]
        yield finding("JPG008", ctx.display, orientation=orientation, meaning=bi(zh, en))
    if thumb_where:
        yield finding("JPG009", ctx.display, where=_join(sorted(set(thumb_where))))


def _join(places: list[tuple[str, str]]) -> dict[str, str]:
    return bi("、".join(p[0] for p in places), " and ".join(p[1] for p in places))


def _xmp_has_position(jf: JpegFile) -> bool:
    for seg in jf.apps(1, XMP_PREFIX):
        if xmp_gps.has_position(jf.payload(seg)[len(XMP_PREFIX):]):
            return True
    # Extended XMP (packets over 64 KB): chunks carry a 32-byte GUID, total length and offset.
    chunks = []
    for seg in jf.apps(1, XMP_EXT_PREFIX):
        body = jf.payload(seg)[len(XMP_EXT_PREFIX):]
        if len(body) > 40:
            chunks.append((int.from_bytes(body[36:40], "big"), body[40:]))
    if chunks:
        joined = b"".join(c for _, c in sorted(chunks, key=lambda c: c[0]))
        return xmp_gps.has_position(joined)
    return False


def _exif_texts(ctx: FileContext, tiff: exif_ifd.Tiff) -> None:
    for ifd_name, tag, name in TEXT_TAGS:
        entry = tiff.ifds.get(ifd_name, exif_ifd.Ifd("", 0, 0)).entries.get(tag)
        if entry is None or not entry.size:
            continue
        raw = tiff.raw(entry)[:MAX_TEXT]
        if name.startswith("XP"):
            text = raw.decode("utf-16-le", "replace")
        elif name == "UserComment":
            code, body = raw[:8], raw[8:]
            text = body.decode("utf-16-be" if tiff.endian == ">" else "utf-16-le", "replace") if code.startswith(b"UNICODE") else _decode_text(body)
        else:
            text = _decode_text(raw)
        ctx.add_text(text.strip("\x00 "), Location(part=f"EXIF {name}"))


def _decode_text(raw: bytes) -> str:
    raw = raw.rstrip(b"\x00")
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _decode(ctx: FileContext, frame: Frame) -> Iterator[Finding]:
    """Decode every scan.  At 1/8 scale unless --deep: libjpeg still reads all the entropy-coded
    data (so truncation and corruption surface) but skips most of the work and memory."""
    from PIL import Image

    try:
        with pixel_limit(ctx.policy.jpeg.max_pixels):
            with Image.open(ctx.path, formats=["JPEG"]) as im:
                if not ctx.deep:
                    im.draft(im.mode, (max(1, frame.width // 8), max(1, frame.height // 8)))
                im.load()
    except Exception as exc:  # every decoder failure is a finding, never a traceback
        message = str(exc) or type(exc).__name__
        if "truncated" in message:
            yield finding("JPG001", ctx.display, reason=bi(f"解码器报告:{message}", f"the decoder says: {message}"))
        else:
            yield finding("JPG002", ctx.display, reason=bi(f"解码器报告:{message}", f"the decoder says: {message}"))
