"""Re-encode a picture as a baseline sRGB JPEG: other image formats, CMYK, EXIF orientation, oversize.

南政办〔2015〕86号 六(五)2 wants pictures as JPEG.  PNG, HEIC/HEIF (pillow-heif), WebP, BMP, TIFF and
GIF are converted; a JPEG is re-encoded only when its pixels must change (orientation applied,
CMYK → sRGB, arithmetic coding, too large) — metadata-only repairs never come here
(jpeg_metadata splices instead).  GPS, the thumbnail, the maker note and comments are not carried
over; the ICC profile is, except after a CMYK → sRGB transform, whose output is plain sRGB.
"""

from __future__ import annotations

import io
from pathlib import Path

from hnsubmit.checks.fixers.base import Change, FixContext
from hnsubmit.checks.formats.pillow_limits import pixel_limit

QUALITY = 90
PILLOW_FORMATS = {
    "jpeg": ["JPEG"],
    "png": ["PNG"],
    "heif": ["HEIF"],
    "webp": ["WEBP"],
    "bmp": ["BMP", "DIB"],
    "tiff": ["TIFF"],
    "gif": ["GIF"],
}
NAMES = {"png": "PNG", "heif": "HEIC/HEIF", "webp": "WebP", "bmp": "BMP", "tiff": "TIFF", "gif": "GIF"}
# JPEG findings whose repair needs new pixels; any other JPEG finding is left to jpeg_metadata.
PIXEL_CODES = ("JPG003", "JPG006", "JPG008", "JPG011", "JPG012")
GPS_IFD, MAKER_NOTE, EXIF_IFD = 0x8825, 0x927C, 0x8769


class ConversionRefused(Exception):
    """The picture is too large to decode even at reduced scale."""


def fix(src: Path, dst: Path, ctx: FixContext) -> list[Change] | None:
    """Convert a picture of another format to JPEG."""
    return convert(src, dst, ctx)


def fix_jpeg(src: Path, dst: Path, ctx: FixContext) -> list[Change] | None:
    """Re-encode a JPEG, only when one of its findings needs new pixels."""
    if not ctx.has(*PIXEL_CODES):
        return None
    return convert(src, dst, ctx)


def convert(src: Path, dst: Path, ctx: FixContext) -> list[Change]:
    from PIL import Image, ImageOps

    kind, pol = ctx.info.kind, ctx.policy.jpeg
    if kind == "heif":
        import pillow_heif

        pillow_heif.register_heif_opener()
    changes: list[Change] = []
    with pixel_limit(_decode_limit(src, kind, pol)):
        with Image.open(src, formats=PILLOW_FORMATS.get(kind, ["JPEG"])) as im:
            frames = getattr(im, "n_frames", 1)
            width, height = im.size
            if kind == "jpeg":
                _draft(im, pol)
            elif width * height > pol.max_pixels:
                raise ConversionRefused(f"{width}x{height} is over the policy's pixel limit")
            im.load()
            icc = im.info.get("icc_profile")
            exif = im.getexif()
            quant = getattr(im, "quantization", None) if kind == "jpeg" else None
            sampling = _sampling(im) if kind == "jpeg" else -1
            orientation = exif.get(0x0112)
            upright = ImageOps.exif_transpose(im)
            if orientation in range(2, 9):
                changes.append(Change(f"已按 EXIF 方向标记 {orientation} 旋转图像", f"turned the picture as EXIF orientation {orientation} says"))
            out, icc, more = _to_rgb(upright, icc)
            changes += more
    out, resized = _fit(out, pol)
    resized = resized or out.width * out.height < width * height  # _draft may have shrunk it already
    if resized:
        changes.append(Change(f"已从 {width}×{height} 缩小到 {out.width}×{out.height}", f"scaled down from {width}×{height} to {out.width}×{out.height}"))
    if frames > 1:
        changes.append(Change(f"只保留了 {frames} 帧中的第一帧", f"kept only the first of {frames} frames"))
    save = {"quality": QUALITY, "optimize": True}
    if quant and out.mode in ("RGB", "L") and len(quant) <= 2 and not resized:
        save = {"qtables": [quant[k] for k in sorted(quant)], "optimize": True}  # keep the original's quality
        if sampling == 1 and orientation in (5, 6, 7, 8):
            sampling = 0  # 4:2:2 turned by 90° would be 4:4:0, which Pillow cannot write: keep all chroma
        if sampling in (0, 1, 2):
            save["subsampling"] = sampling
    if icc:
        save["icc_profile"] = icc
    exif_bytes = _clean_exif(exif)
    if exif_bytes:
        save["exif"] = exif_bytes
    buf = io.BytesIO()
    out.save(buf, "JPEG", **save)
    dst.write_bytes(buf.getvalue())
    if kind != "jpeg":
        changes.insert(0, Change(f"已将 {NAMES.get(kind, kind)} 图片转换为 JPEG(质量 {QUALITY})", f"converted the {NAMES.get(kind, kind)} picture to JPEG (quality {QUALITY})"))
    elif ctx.has("JPG003"):
        changes.append(Change("已重新编码为基线 JPEG(原为算术编码)", "re-encoded as a baseline JPEG (it was arithmetic-coded)"))
    return changes


def _decode_limit(src: Path, kind: str, pol) -> int:
    """Pixels Pillow may open.  A sequential JPEG is decoded row by row and libjpeg can scale it
    by 1/2, 1/4 or 1/8 while decoding (see _draft), so it may declare up to 64× the policy's limit;
    a progressive one buffers all its coefficients at full size, so it gets no such allowance."""
    if kind != "jpeg":
        return pol.max_pixels
    from hnsubmit.checks.formats.jpeg_markers import JpegFile

    with JpegFile(src) as jf:
        frame = jf.layout.frame
    progressive = frame is not None and frame.marker in (0xC2, 0xC6, 0xCA, 0xCE)
    return pol.max_pixels if progressive else pol.max_pixels * 64


def _draft(im, pol) -> None:
    """Decode at the smallest DCT scale reduction (1, 1/2, 1/4, 1/8) whose pixels fit the policy's
    limit, so memory never exceeds what the policy allows; _fit shrinks the rest of the way."""
    w, h = im.size
    scale = 1
    while scale < 8 and w * h / scale**2 > pol.max_pixels:
        scale *= 2
    if w * h / scale**2 > pol.max_pixels:
        raise ConversionRefused(f"{w}x{h} is over the pixel limit even at 1/8 scale")
    if scale > 1:
        im.draft(im.mode, (max(1, w // scale), max(1, h // scale)))


def _sampling(im) -> int:
    from PIL import JpegImagePlugin

    try:
        return JpegImagePlugin.get_sampling(im)
    except Exception:
        return -1


def _to_rgb(im, icc):
    """RGB or L for JPEG: CMYK through its ICC profile, transparency flattened on white."""
    from PIL import Image, ImageCms

    changes: list[Change] = []
    mode = im.mode
    if mode == "CMYK":
        if icc:
            try:
                src_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
                srgb = ImageCms.createProfile("sRGB")
                im = ImageCms.profileToProfile(im, src_profile, srgb, outputMode="RGB")
                changes.append(Change("已按内嵌色彩配置文件把 CMYK 转换为 sRGB", "converted CMYK to sRGB through the embedded colour profile"))
                return im, None, changes
            except (ImageCms.PyCMSError, OSError):
                pass  # a broken profile: fall through to the plain conversion
        changes.append(Change("已把 CMYK 转换为 RGB(无色彩配置文件,按通用公式)", "converted CMYK to RGB (no colour profile: by the generic formula)"))
        return im.convert("RGB"), None, changes
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in im.info) or (mode in ("RGB", "L") and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        changes.append(Change("已把透明部分填充为白色", "filled transparent areas with white"))
        return white, icc, changes
    if mode.startswith("I;16") or mode == "I":
        # 16-bit greyscale (scans, PNG from scientific tools): scale to 8 bits instead of clipping
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L"), icc, changes
    if mode in ("RGB", "L"):
        return im, icc, changes
    return im.convert("RGB"), icc, changes


def _fit(im, pol):
    """Shrink, keeping proportions, to the policy's maximum width, height and pixel count."""
    from PIL import Image

    w, h = im.size
    factor = min(1.0, pol.max_width / w, pol.max_height / h, (pol.max_pixels / (w * h)) ** 0.5)
    if factor >= 1.0:
        return im, False
    size = (max(1, int(w * factor)), max(1, int(h * factor)))
    return im.resize(size, Image.Resampling.LANCZOS), True


def _clean_exif(exif) -> bytes:
    """The EXIF to carry over: no GPS, no maker note (its private offsets would break), no
    thumbnail (Pillow writes IFD0 and its sub-IFDs only); orientation already applied."""
    try:
        if GPS_IFD in exif:
            del exif[GPS_IFD]
        exif_ifd = exif.get_ifd(EXIF_IFD)
        exif_ifd.pop(MAKER_NOTE, None)
        exif.pop(0x0112, None)
        if not len(exif) and not exif_ifd:
            return b""
        return exif.tobytes()
    except Exception:  # Pillow cannot write some odd EXIF back (python-pillow/Pillow#4037): drop it
        return b""
