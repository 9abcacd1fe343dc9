"""Cover crops for the WeChat article: 2.35:1 (the article's cover) and 1:1 (the share card), cut
around the liaison's focus point and scaled down to the policy's size — never up, which would blur."""

from __future__ import annotations

import os
from pathlib import Path

from hnsubmit.checks.wechat.rules import crop_size

CENTRE = (0.5, 0.5)


class TooSmall(ValueError):
    """The picture has no crop of the ratio at the required size (WCH005 says so)."""


def crop_box(width: int, height: int, ratio: float, focus: tuple[float, float] = CENTRE) -> tuple[int, int, int, int]:
    """The largest box of `ratio` inside the picture, centred on `focus` (fractions across and down)
    as far as the edges allow: (left, top, right, bottom)."""
    w, h = crop_size(width, height, ratio)
    fx, fy = focus
    left = min(max(0, round(fx * width - w / 2)), width - w)
    top = min(max(0, round(fy * height - h / 2)), height - h)
    return left, top, left + w, top + h


def make_cover(src: Path, dst: Path, size: tuple[int, int], focus: tuple[float, float] | None = None, quality: int = 90) -> tuple[int, int]:
    """Write the crop of `src` at exactly `size` to `dst` as a JPEG without metadata; the size written."""
    from PIL import Image, ImageOps

    with Image.open(src) as img:
        img = ImageOps.exif_transpose(img)  # the picture as shown, so the focus means what the liaison saw
        box = crop_box(img.width, img.height, size[0] / size[1], tuple(focus) if focus else CENTRE)
        if box[2] - box[0] < size[0] or box[3] - box[1] < size[1]:
            raise TooSmall(f"{img.width}×{img.height}")
        out = img.convert("RGB").crop(box).resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    write_jpeg(out, dst, quality)
    return size


def write_jpeg(img, dst: Path, quality: int) -> int:
    """Save atomically (a .part file renamed when complete); no EXIF, so no GPS goes along.  The bytes written."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    part = dst.with_name(f".{dst.name}.part")
    try:
        img.save(part, "JPEG", quality=quality, optimize=True)
        os.replace(part, dst)
    finally:
        part.unlink(missing_ok=True)
    return dst.stat().st_size
