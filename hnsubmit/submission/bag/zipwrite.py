"""Write a zip whose bytes depend only on its contents: entries sorted, one fixed timestamp, fixed
permissions, UTF-8 names (flag 0x800 for every non-ASCII name, so Chinese names survive Windows
Explorer), no extra fields, already-compressed media stored rather than deflated again."""

from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path

CHUNK = 1024 * 1024
# JPEG, WMV and OOXML are compressed already: deflating them again costs time and gains nothing.
STORED_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".wmv", ".asf", ".wma", ".docx", ".docm", ".xlsx", ".pptx",
     ".zip", ".mp4", ".mov", ".png", ".gif", ".webp", ".heic", ".mp3"}
)
FILE_MODE = stat.S_IFREG | 0o644
EARLIEST = (1980, 1, 1, 0, 0, 0)  # the zip format cannot say earlier


def write_zip(out: Path, root: Path, names: list[str], date_time: tuple[int, int, int, int, int, int]) -> None:
    """Zip `root`/name for every name (relative, "/"-separated) into `out`, deterministically."""
    date_time = max(tuple(date_time), EARLIEST)
    with zipfile.ZipFile(out, "w", allowZip64=True) as zf:
        for name in sorted(names, key=lambda n: n.encode("utf-8")):
            src = root / name
            info = zipfile.ZipInfo(name, date_time)
            info.create_system = 3  # Unix, so the fixed permissions below mean what they say
            info.external_attr = FILE_MODE << 16
            suffix = Path(name).suffix.lower()
            info.compress_type = zipfile.ZIP_STORED if suffix in STORED_SUFFIXES else zipfile.ZIP_DEFLATED
            info.file_size = src.stat().st_size  # known in advance: ZIP64 only where the size needs it
            with open(src, "rb") as fh, zf.open(info, "w") as dst:
                shutil.copyfileobj(fh, dst, CHUNK)
