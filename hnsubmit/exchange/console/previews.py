"""What the console shows of a submission's files, made on first view and cached by blob digest.

A blob never changes under its digest, so each preview is made once and kept in
`<data>/console/cache/`: photo thumbnails (Pillow, EXIF orientation applied, JPEG), a video's poster
frame and duration (the bundled ffmpeg, `checks/media`, bounded in time), and a Word body as HTML
(mammoth, then sanitised by nh3 to a short list of tags: a hostile .docx can carry any HTML-looking
text, hyperlinks to `javascript:` and the like).  A preview that cannot be made is None and the page
says so; the original is always there to download.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import subprocess
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable

from hnsubmit.exchange.context import Exchange

THUMB_SIZE = 360  # px, the long side; shown at 180 css px, sharp on a 2x phone screen
POSTER_WIDTH = 480
MAX_IMAGE_BYTES = 80_000_000
MAX_BODY_BYTES = 50_000_000
FFMPEG_TIMEOUT = 60

# the HTML a Word body may keep: structure and emphasis, tables, plain links
BODY_TAGS = {
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th", "blockquote", "a",
}
BODY_ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def _hex(digest: str) -> str:
    value = digest.split(":", 1)[-1]
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise ValueError("not a sha256 digest")
    return value


def _cache(ex: Exchange, kind: str) -> Path:
    folder = Path(ex.data_dir) / "console" / "cache" / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _put(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + f".{secrets.token_hex(4)}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _cached(ex: Exchange, kind: str, name: str, make: Callable[[], bytes | None]) -> Path | None:
    """The cached file `name`, made by `make()` on first use; a failure is remembered as an empty file."""
    path = _cache(ex, kind) / name
    if path.exists():
        return path if path.stat().st_size else None
    try:
        data = make()
    except Exception:  # a preview never fails a page: a damaged file shows no preview
        data = None
    _put(path, data or b"")
    return path if data else None


def _open(ex: Exchange, digest: str, seekable: bool = False) -> BinaryIO | None:
    """The blob's bytes; with seekable=True a stream that cannot seek (an S3 object, issue 17) is spooled to a
    temporary file first, since Pillow and a .docx's zip reader move around in it."""
    try:
        fh = ex.blobs.open(digest)
    except (OSError, ValueError):
        return None
    try:
        can_seek = fh.seekable()
    except (AttributeError, ValueError, OSError):
        can_seek = False
    if not seekable or can_seek:
        return fh
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)
    with fh:
        while chunk := fh.read(1 << 20):
            spool.write(chunk)
    spool.seek(0)
    return spool  # type: ignore[return-value]


# -- photos ------------------------------------------------------------------------------------
def _make_thumbnail(ex: Exchange, digest: str) -> bytes | None:
    from PIL import Image, ImageOps

    if (ex.blobs.size(digest) or 0) > MAX_IMAGE_BYTES:
        return None
    fh = _open(ex, digest, seekable=True)
    if fh is None:
        return None
    with fh, Image.open(fh) as image:
        image.draft("RGB", (THUMB_SIZE, THUMB_SIZE))  # JPEG: decode at a fraction of the size
        image = ImageOps.exif_transpose(image)
        image.thumbnail((THUMB_SIZE, THUMB_SIZE))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
        return out.getvalue()


def thumbnail(ex: Exchange, digest: str) -> Path | None:
    """A JPEG thumbnail of the photo `digest` (long side THUMB_SIZE), or None."""
    return _cached(ex, "thumbs", _hex(digest) + ".jpg", lambda: _make_thumbnail(ex, digest))


# -- videos ------------------------------------------------------------------------------------
def _local_path(fh: BinaryIO) -> Path | None:
    name = getattr(fh, "name", None)
    return Path(name) if isinstance(name, str) and os.path.isfile(name) else None


def _make_poster(ex: Exchange, digest: str) -> bytes | None:
    from hnsubmit.checks.media.ffmpeg import file_arg, find_ffmpeg, probe

    fh = _open(ex, digest)
    if fh is None:
        return None
    with fh, tempfile.TemporaryDirectory(prefix="hnsubmit-poster-") as tmp:
        src = _local_path(fh)
        if src is None:  # a blob store without files: copy it out once
            src = Path(tmp) / "video"
            with src.open("wb") as dst:
                while chunk := fh.read(1 << 20):
                    dst.write(chunk)
        info = probe(src, timeout=FFMPEG_TIMEOUT)
        out = Path(tmp) / "poster.jpg"
        at = "1" if (info.duration or 0) > 2 else "0"  # past a fade-in when there is one
        subprocess.run(
            [find_ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-ss", at, "-i", file_arg(src),
             "-frames:v", "1", "-vf", f"scale={POSTER_WIDTH}:-2", "-q:v", "4", "-y", file_arg(out)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            timeout=FFMPEG_TIMEOUT, check=False,
        )
        meta = json.dumps({"duration": info.duration, "width": info.width, "height": info.height}).encode()
        _put(_cache(ex, "posters") / (_hex(digest) + ".json"), meta)
        return out.read_bytes() if out.is_file() and out.stat().st_size else None


def poster(ex: Exchange, digest: str) -> Path | None:
    """The first frame (at 1 s) of the video `digest` as a JPEG, or None."""
    return _cached(ex, "posters", _hex(digest) + ".jpg", lambda: _make_poster(ex, digest))


def video_info(ex: Exchange, digest: str) -> dict:
    """{'duration': seconds or None, 'width', 'height'} as read when the poster was made."""
    poster(ex, digest)
    data = (_cache(ex, "posters") / (_hex(digest) + ".json"))
    try:
        return json.loads(data.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"duration": None}


# -- Word bodies -------------------------------------------------------------------------------
_HEADING = re.compile(r"<(/?)h([1-6])>")


def sanitise(html: str) -> str:
    """Only BODY_TAGS and plain links; headings moved down two levels (the page has its own h1 and h2)."""
    import nh3

    clean = nh3.clean(html, tags=BODY_TAGS, attributes=BODY_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                      link_rel="noopener noreferrer nofollow")
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 6)}>", clean)


def _make_body(ex: Exchange, digest: str) -> bytes | None:
    import mammoth

    if (ex.blobs.size(digest) or 0) > MAX_BODY_BYTES:
        return None
    fh = _open(ex, digest, seekable=True)
    if fh is None:
        return None
    with fh:
        # pictures in the body are not inlined: the item's photos are shown as thumbnails
        result = mammoth.convert_to_html(fh, convert_image=mammoth.images.img_element(lambda image: {}))
    return sanitise(result.value).encode("utf-8") or None


def word_body(ex: Exchange, digest: str) -> str | None:
    """The sanitised HTML of the .docx `digest`, or None when it cannot be read."""
    path = _cached(ex, "bodies", _hex(digest) + ".html", lambda: _make_body(ex, digest))
    return path.read_text(encoding="utf-8") if path else None
