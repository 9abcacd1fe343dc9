"""Pillow's decompression-bomb limit and truncated-image leniency, set for the span of one decode.

Pillow reads both from module globals (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES).
hnsubmit sets them only around its own decodes and puts the previous values back, so the policy's
limit never leaks into other code in the process (the exchange server, a caller's own Pillow use).
Over the limit Pillow only *warns*; the warning is made an error here so nothing is allocated.
The runner decodes one file at a time, so the save-and-restore needs no lock.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from typing import Iterator


class PixelLimitExceeded(Exception):
    """The image is larger than the policy allows to be decoded."""


@contextmanager
def pixel_limit(max_pixels: int) -> Iterator[None]:
    from PIL import Image, ImageFile

    saved = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
    Image.MAX_IMAGE_PIXELS = max_pixels
    ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated image is an error, never silently grey
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                yield
            except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
                raise PixelLimitExceeded(str(exc)) from None
    finally:
        Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = saved
