"""Fuzz target: a JPEG through `hnsubmit check` (markers, EXIF/GPS IFDs, XMP, Photoshop IRB, Pillow decode)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Target, check_bytes, main  # noqa: E402


def run(data: bytes, folder: Path) -> None:
    check_bytes(data, folder, "照片.jpg")


TARGET = Target(
    "jpeg", run, seeds=("corpus:jpeg/*", "examples:**/*.jpg"), max_len=256 * 1024,
    instrument=("hnsubmit", "PIL"), preload=("PIL.JpegImagePlugin", "PIL.TiffImagePlugin", "PIL.ImageFile"),
)

if __name__ == "__main__":
    main(TARGET)
