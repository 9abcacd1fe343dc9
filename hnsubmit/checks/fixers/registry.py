"""Safe repairs, by identified kind.  Explicit registry, like the validators.

A fixer is "module:function" with the signature
``fix(src: Path, dst: Path, ctx: FixContext) -> list[Change] | None``: it writes a repaired copy of
`src` to `dst` and returns what it changed, or returns None when it has nothing to do.  Fixers run
in order, each on the previous one's output; they never touch `src`.
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable

FIXERS: dict[str, tuple[str, ...]] = {
    # JPEG: splice metadata out first (pixels untouched), then re-encode only when pixels must change
    "jpeg": ("hnsubmit.checks.fixers.jpeg_metadata:fix", "hnsubmit.checks.fixers.image_convert:fix_jpeg"),
    "png": ("hnsubmit.checks.fixers.image_convert:fix",),
    "heif": ("hnsubmit.checks.fixers.image_convert:fix",),
    "webp": ("hnsubmit.checks.fixers.image_convert:fix",),
    "bmp": ("hnsubmit.checks.fixers.image_convert:fix",),
    "tiff": ("hnsubmit.checks.fixers.image_convert:fix",),
    "gif": ("hnsubmit.checks.fixers.image_convert:fix",),
    "mp4": ("hnsubmit.checks.fixers.video_transcode:transcode",),
    "mov": ("hnsubmit.checks.fixers.video_transcode:transcode",),
    "avi": ("hnsubmit.checks.fixers.video_transcode:transcode",),
    "flv": ("hnsubmit.checks.fixers.video_transcode:transcode",),
    "mkv": ("hnsubmit.checks.fixers.video_transcode:transcode",),
    "mpeg": ("hnsubmit.checks.fixers.video_transcode:transcode",),
    "wmv": ("hnsubmit.checks.fixers.video_transcode:transcode",),
    # Word: personal document properties only; revisions and comments are the author's call (DOC008/DOC009)
    "docx": ("hnsubmit.checks.fixers.docx_properties:fix", "hnsubmit.checks.fixers.docx_macro_type:fix"),
    "doc": ("hnsubmit.checks.fixers.doc_properties:fix",),
}


def fixers_for(kind: str) -> list[Callable]:
    out = []
    for spec in FIXERS.get(kind, ()):
        module, _, func = spec.partition(":")
        out.append(getattr(import_module(module), func))
    return out
