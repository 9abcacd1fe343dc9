"""In-article images under WeChat's byte limit: the highest JPEG quality that fits (binary search),
then, only if even the lowest quality does not fit, smaller pictures — never larger than the original."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from hnsubmit.checks.wechat.crop import write_jpeg

QUALITIES = (40, 95)  # the search range; below 40 JPEG blocks show on a phone
SHRINK = 0.8  # each step down, when the lowest quality is still too large
MIN_SIDE = 200


@dataclass(frozen=True)
class Encoded:
    quality: int
    width: int
    height: int
    size: int


class CannotFit(ValueError):
    """No quality and no size down to MIN_SIDE fits the limit."""


def _encode(img, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def best_quality(img, max_bytes: int) -> tuple[int, int] | None:
    """The highest quality whose JPEG fits `max_bytes`, and its size; None when even the lowest does not."""
    lo, hi = QUALITIES
    if len(_encode(img, lo)) > max_bytes:
        return None
    best = (lo, len(_encode(img, lo)))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        size = len(_encode(img, mid))
        if size <= max_bytes:
            best, lo = (mid, size), mid
        else:
            hi = mid - 1
    return best


def reencode_under(src: Path, dst: Path, max_bytes: int) -> Encoded:
    from PIL import Image, ImageOps

    with Image.open(src) as opened:
        img = ImageOps.exif_transpose(opened).convert("RGB")
    while True:
        found = best_quality(img, max_bytes)
        if found:
            quality, _ = found
            size = write_jpeg(img, dst, quality)
            return Encoded(quality, img.width, img.height, size)
        w, h = round(img.width * SHRINK), round(img.height * SHRINK)
        if min(w, h) < MIN_SIDE:
            raise CannotFit(f"{img.width}×{img.height}")
        img = img.resize((w, h), Image.Resampling.LANCZOS)
