"""Real JPEGs with the properties the JPG rules judge: GPS in EXIF or only in XMP, thumbnails that show
the uncropped original, orientation, CMYK, stray bytes, appended images, truncation, a declared size
that would be a decompression bomb.  Pillow writes every picture; EXIF blocks with an IFD1 thumbnail
are assembled here because Pillow does not write IFD1.  The exotic coding processes (arithmetic,
12-bit, lossless) need the reference codec's `jpeg` tool (Debian libjpeg-tools): only
scripts/make_jpeg_examples.py uses them, and the files it made are committed.
"""

from __future__ import annotations

import io
import random
import shutil
import struct
import subprocess
from pathlib import Path

# A made-up position near 共和县 (any real liaison's home would do as well).
LAT, LON = (36.0, 16.0, 45.5), (100.0, 37.0, 12.25)

XMP_GPS = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmp:CreatorTool="hnsubmit test factory"
    exif:GPSLatitude="36,16.758N">
   <exif:GPSLongitude>100,37.204E</exif:GPSLongitude>
   <exif:GPSAltitude>3200/1</exif:GPSAltitude>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">县城广场</rdf:li></rdf:Alt></dc:title>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def scene(size=(640, 427), seed: int = 1, mode: str = "RGB", noise: bool = True):
    """A deterministic landscape-like picture (sky, hills, a sun, houses) that compresses like a photo."""
    from PIL import Image, ImageDraw, ImageFilter

    rnd = random.Random(seed)
    w, h = size
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    for y in range(h):  # sky gradient
        t = y / max(1, h - 1)
        draw.line([(0, y), (w, y)], fill=(int(70 + 120 * t), int(130 + 90 * t), int(220 - 40 * t)))
    draw.ellipse((w * 0.7, h * 0.08, w * 0.7 + h * 0.18, h * 0.26), fill=(255, 230, 150))
    for k in range(3):  # hills
        base = h * (0.55 + 0.12 * k)
        pts = [(0, h)] + [(x, base - rnd.randint(0, int(h * 0.15))) for x in range(0, w + 40, 40)] + [(w, h)]
        draw.polygon(pts, fill=(40 + 30 * k, 110 + 25 * k - rnd.randint(0, 30), 50 + 10 * k))
    for _ in range(8):  # houses
        x, y = rnd.randint(0, max(0, w - 40)), rnd.randint(int(h * 0.7), max(int(h * 0.7), h - 30))
        draw.rectangle((x, y, x + rnd.randint(w // 30, w // 12), y + rnd.randint(h // 30, h // 14)), fill=(rnd.randint(150, 240), 80, 60))
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    if noise:  # sensor-like noise, so the file sizes look like a camera's
        img = Image.blend(img, Image.effect_noise(size, 12).convert("RGB"), 0.06)
    return img.convert(mode) if mode != "RGB" else img


def jpeg_bytes(img, **save) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=save.pop("quality", 85), **save)
    return buf.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- EXIF ---------------------------------------------------------------------------------------


def gps_exif(position: bool = True) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "HNCam"
    exif[0x0110] = "HN-1"
    exif[0x0112] = 1
    gps = {0: b"\x02\x03\x00\x00"}
    if position:
        gps.update({1: "N", 2: LAT, 3: "E", 4: LON, 5: b"\x00", 6: 3200.0})
    exif[0x8825] = gps
    return exif.tobytes()


def gps_zero_exif() -> bytes:
    """A GPS IFD as phones write it with location off: latitude and longitude 0/0, empty reference letters."""
    from PIL import Image, TiffImagePlugin

    none = TiffImagePlugin.IFDRational(0, 0)
    exif = Image.Exif()
    exif[0x010F] = "HNCam"
    exif[0x8825] = {0: b"\x02\x02\x00\x00", 1: "", 2: (none, none, none), 3: "", 4: (none, none, none)}
    return exif.tobytes()


def tiff_with_thumbnail(thumbnail: bytes, orientation: int = 1) -> bytes:
    """A little-endian EXIF block: IFD0 (Make, Orientation) → IFD1 pointing at a JPEG thumbnail."""
    make = b"HNCam\x00"
    ifd0_at = 8
    ifd0 = [(0x010F, 2, len(make), None), (0x0112, 3, 1, struct.pack("<HH", orientation, 0))]
    ifd0_size = 2 + 12 * len(ifd0) + 4
    make_at = ifd0_at + ifd0_size
    ifd1_at = make_at + len(make) + (len(make) % 2)
    ifd1_size = 2 + 12 * 3 + 4
    thumb_at = ifd1_at + ifd1_size
    out = bytearray(b"II*\x00" + struct.pack("<I", ifd0_at))
    out += struct.pack("<H", len(ifd0))
    for tag, typ, count, inline in ifd0:
        out += struct.pack("<HHI", tag, typ, count) + (inline if inline else struct.pack("<I", make_at))
    out += struct.pack("<I", ifd1_at)
    out += make + b"\x00" * (len(make) % 2)
    out += struct.pack("<H", 3)
    out += struct.pack("<HHI", 0x0103, 3, 1) + struct.pack("<HH", 6, 0)  # Compression: JPEG
    out += struct.pack("<HHII", 0x0201, 4, 1, thumb_at)
    out += struct.pack("<HHII", 0x0202, 4, 1, len(thumbnail))
    out += struct.pack("<I", 0)
    out += thumbnail
    return b"Exif\x00\x00" + bytes(out)


def cmyk_icc_profile() -> bytes:
    """A minimal ICC v2 CMYK output profile (A2B0 as an 8-bit 2-point grid to Lab): enough for
    LittleCMS to convert CMYK to sRGB.  Ink adds subtractively, as in the generic formula."""
    from PIL import Image, ImageCms

    corners = [(c, m, y, k) for c in (0, 1) for m in (0, 1) for y in (0, 1) for k in (0, 1)]
    rgb = Image.new("RGB", (len(corners), 1))
    rgb.putdata([tuple(round(255 * (1 - v) * (1 - k)) for v in (c, m, y)) for c, m, y, k in corners])
    to_lab = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB"), "RGB", "LAB")
    raw = ImageCms.applyTransform(rgb, to_lab).tobytes()  # Pillow: L 0..255, a/b as signed bytes
    lab = bytes(v if i % 3 == 0 else v ^ 0x80 for i, v in enumerate(raw))  # ICC lut8: a/b offset by 128
    identity = [1, 0, 0, 0, 1, 0, 0, 0, 1]
    ramp = bytes(range(256))
    lut = b"mft1" + bytes(4) + bytes([4, 3, 2, 0]) + b"".join(struct.pack(">i", v << 16) for v in identity)
    lut += ramp * 4 + bytes(b for i in range(len(corners)) for b in lab[3 * i : 3 * i + 3]) + ramp * 3
    desc_text = b"hnsubmit test CMYK\x00"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(desc_text)) + desc_text + bytes(4 + 4 + 2 + 1 + 67)
    wtpt = b"XYZ " + bytes(4) + b"".join(struct.pack(">i", round(v * 65536)) for v in (0.9642, 1.0, 0.8249))
    cprt = b"text" + bytes(4) + b"No copyright, test data\x00"
    tags = [(b"desc", desc), (b"wtpt", wtpt), (b"cprt", cprt), (b"A2B0", lut)]
    offset = 128 + 4 + 12 * len(tags)
    table, body = struct.pack(">I", len(tags)), b""
    for sig, data in tags:
        data += bytes(-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = struct.pack(">I4sI4s4s4s", size, b"lcms", 0x02100000, b"prtr", b"CMYK", b"Lab ")
    header += bytes(12) + b"acsp" + bytes(4 + 4 + 4 + 4 + 8 + 4)
    header += b"".join(struct.pack(">i", round(v * 65536)) for v in (0.9642, 1.0, 0.8249))
    header += bytes(128 - len(header))
    return header + table + body


# --- the pictures -------------------------------------------------------------------------------


def clean_photo(path: Path, size=(640, 427), seed: int = 1, **save) -> Path:
    return write(path, jpeg_bytes(scene(size, seed), **save))


def standard_photo(path: Path) -> Path:
    """Baseline RGB with harmless EXIF (camera, orientation 1) and an sRGB ICC profile: clean."""
    from PIL import Image, ImageCms

    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112], exif[0x0132] = "HNCam", "HN-1", 1, "2026:11:20 09:30:00"
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return write(path, jpeg_bytes(scene((640, 427), 2), exif=exif.tobytes(), icc_profile=icc))


def gps_photo(path: Path, size=(640, 427), seed: int = 3, position: bool = True) -> Path:
    return write(path, jpeg_bytes(scene(size, seed), exif=gps_exif(position)))


def gps_zero_photo(path: Path, seed: int = 3) -> Path:
    return write(path, jpeg_bytes(scene((640, 427), seed), exif=gps_zero_exif()))


def xmp_gps_photo(path: Path, size=(640, 427), seed: int = 4) -> Path:
    """GPS only in XMP: the EXIF has no GPS IFD at all."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "HNCam"
    return write(path, jpeg_bytes(scene(size, seed), exif=exif.tobytes(), xmp=XMP_GPS.encode("utf-8")))


def gps_everywhere_photo(path: Path, seed: int = 5) -> Path:
    """GPS in EXIF and in XMP, an EXIF thumbnail, an ICC profile and a comment: what fix must strip."""
    from PIL import ImageCms

    img = scene((640, 427), seed)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = jpeg_bytes(img, exif=gps_exif(), xmp=XMP_GPS.encode("utf-8"), icc_profile=icc, comment=b"\xe5\xb9\xbf\xe5\x9c\xba")
    return write(path, data)


def orientation_photo(path: Path, orientation: int = 6, seed: int = 6) -> Path:
    """Stored sideways (300×400 shown as 400×300 after turning) with an EXIF orientation tag."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = orientation
    return write(path, jpeg_bytes(scene((300, 400), seed), exif=exif.tobytes()))


def thumbnail_photo(path: Path, seed: int = 7) -> Path:
    """A cropped photo whose EXIF thumbnail still shows the uncropped original."""
    original = scene((960, 640), seed)
    cropped = original.crop((0, 0, 640, 427))
    thumb = original.copy()
    thumb.thumbnail((160, 120))
    return write(path, jpeg_bytes(cropped, exif=tiff_with_thumbnail(jpeg_bytes(thumb, quality=70))))


def cmyk_photo(path: Path, seed: int = 8) -> Path:
    return write(path, jpeg_bytes(scene((400, 300), seed, "CMYK")))


def progressive_photo(path: Path, seed: int = 9) -> Path:
    return write(path, jpeg_bytes(scene((640, 427), seed), progressive=True))


def truncated_photo(path: Path, keep: float = 0.7, seed: int = 10) -> Path:
    data = jpeg_bytes(scene((640, 480), seed))
    return write(path, data[: int(len(data) * keep)])


def _segments(data: bytes):
    """(marker, start, end) of the header segments up to SOS."""
    pos = 2
    while pos < len(data):
        marker = data[pos + 1]
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        yield marker, pos, pos + 2 + length
        if marker == 0xDA:
            return
        pos += 2 + length


def without_dqt(path: Path, seed: int = 11) -> Path:
    """No quantisation table: the decoder stops with "Quantization table 0x00 was not defined"."""
    data = jpeg_bytes(scene((400, 300), seed))
    cut = [(a, b) for m, a, b in _segments(data) if m == 0xDB]
    out = bytearray(data)
    for a, b in reversed(cut):
        del out[a:b]
    return write(path, bytes(out))


def stray_bytes_photo(path: Path, junk: bytes = b"hello", seed: int = 12) -> Path:
    """Junk between APP0 and the next segment (like Pillow's junk_jpeg_header.jpg)."""
    data = jpeg_bytes(scene((400, 300), seed))
    _, _, app0_end = next(_segments(data))
    return write(path, data[:app0_end] + junk + data[app0_end:])


def damaged_scan_photo(path: Path, marker_byte: int | None = None, seed: int = 15) -> Path:
    """Pillow writes the picture with a restart marker after every MCU row; then 64 bytes of the
    scan around the fifth restart marker are overwritten with random bytes (no 0xFF among them, so
    only the lost marker betrays it), or with `marker_byte` after a 0xFF in the middle.  djpeg says
    "Corrupt JPEG data: … extraneous bytes before marker 0xd5"; Pillow decodes it without a word."""
    data = bytearray(jpeg_bytes(scene((640, 427), seed), restart_marker_rows=1))
    rst = [i for i in range(len(data) - 1) if data[i] == 0xFF and 0xD0 <= data[i + 1] <= 0xD7]
    start = rst[4] - 32
    junk = bytes(b if b != 0xFF else 0x5A for b in random.Random(seed).randbytes(64))
    if marker_byte is not None:
        junk = junk[:10] + bytes([0xFF, marker_byte]) + junk[12:]
    data[start : start + 64] = junk
    return write(path, bytes(data))


def damaged_interval_photo(path: Path, seed: int = 17) -> Path:
    """Every restart marker intact, in order and in number, but the middle third of the fourth restart
    interval overwritten with random bytes without 0xFF: only Huffman decoding can tell (djpeg: "Corrupt
    JPEG data"; Pillow's own hopper_bad_exif.jpg is this kind).  Small enough (960 blocks) that the
    check decodes every interval, not a sample."""
    data = bytearray(jpeg_bytes(scene((256, 160), seed), restart_marker_rows=1))
    rst = [i for i in range(len(data) - 1) if data[i] == 0xFF and 0xD0 <= data[i + 1] <= 0xD7]
    a, b = rst[2] + 2, rst[3]
    third = (b - a) // 3
    data[a + third : a + 2 * third] = bytes(x if x != 0xFF else 0x5A for x in random.Random(seed).randbytes(third))
    return write(path, bytes(data))


def trailing_image_photo(path: Path, seed: int = 13) -> Path:
    """A photo followed, after its EOI, by another JPEG (the uncropped original)."""
    original = scene((800, 533), seed)
    shown = jpeg_bytes(original.crop((0, 0, 400, 300)))
    return write(path, shown + jpeg_bytes(original.resize((400, 266)), quality=60))


def tiny_photo(path: Path) -> Path:
    return write(path, jpeg_bytes(scene((120, 80), 14)))


def banner(path: Path, size=(8200, 160)) -> Path:
    """A wide banner of flat colour bands on 8-pixel boundaries, so 8200 pixels stay a few KB."""
    from PIL import Image, ImageDraw

    band = Image.new("RGB", size, (180, 20, 20))
    draw = ImageDraw.Draw(band)
    for i, x in enumerate(range(0, size[0], 1024)):
        draw.rectangle((x, 48, x + 511, 111), fill=(250, 200 - 10 * i, 60))
    return write(path, jpeg_bytes(band, quality=75))


def bomb(path: Path, declared=(7000, 7000)) -> Path:
    """A 16×16 JPEG whose frame header claims `declared` pixels: a few hundred bytes, 49 MP."""
    from PIL import Image

    data = bytearray(jpeg_bytes(Image.new("L", (16, 16), 128)))
    for m, a, _ in _segments(bytes(data)):
        if m == 0xC0:
            struct.pack_into(">HH", data, a + 5, declared[1], declared[0])
    return write(path, bytes(data))


def other_format(path: Path, fmt: str, size=(320, 240), alpha: bool = False, **save) -> Path:
    """The scene saved as PNG, WEBP, BMP, TIFF, GIF or HEIF (pillow-heif); `alpha` fades it out."""
    from PIL import Image

    img = scene(size, 16)
    if alpha:
        img = img.convert("RGBA")
        img.putalpha(Image.linear_gradient("L").resize(size))
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, fmt, **save)
    return path


# --- the reference codec (scripts only) ---------------------------------------------------------


def reference_codec(path: Path, *options: str, bits: int = 8, size=(240, 160), seed: int = 20) -> Path:
    """Encode with the ISO reference codec `jpeg` (libjpeg-tools): -a arithmetic, -p lossless,
    12-bit input for 12-bit precision."""
    exe = shutil.which("jpeg")
    if exe is None:
        raise RuntimeError("the `jpeg` tool of Debian's libjpeg-tools is needed for this example")
    img = scene(size, seed, noise=False)
    ppm = path.with_suffix(".ppm")
    if bits == 8:
        img.save(ppm, "PPM")
    else:
        raw = img.tobytes()
        body = struct.pack(f">{len(raw)}H", *(v << (bits - 8) for v in raw))
        ppm.write_bytes(b"P6\n%d %d\n%d\n" % (size[0], size[1], (1 << bits) - 1) + body)
    try:
        subprocess.run([exe, *options, str(ppm), str(path)], check=True, capture_output=True, timeout=60)
    finally:
        ppm.unlink(missing_ok=True)
    return path


# --- catalog factories --------------------------------------------------------------------------


def _factory_gps_everywhere(workdir: Path, monkeypatch) -> Path:
    return gps_everywhere_photo(workdir / "带位置的活动照片.jpg")


def _factory_xmp_only(workdir: Path, monkeypatch) -> Path:
    return xmp_gps_photo(workdir / "仅XMP带位置.jpg")


def _factory_gps_zero(workdir: Path, monkeypatch) -> Path:
    return gps_zero_photo(workdir / "定位关闭时拍摄.jpg")


def _factory_scan_damaged(workdir: Path, monkeypatch) -> Path:
    return damaged_scan_photo(workdir / "图像数据损坏.jpg")


FACTORIES = {
    "jpeg_scan_damaged": _factory_scan_damaged,
    "jpeg_gps_zero_rationals": _factory_gps_zero,
    "jpeg_gps_everywhere": _factory_gps_everywhere,
    "jpeg_gps_xmp_only": _factory_xmp_only,
}
