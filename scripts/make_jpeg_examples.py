"""Regenerate the JPEG examples under examples/positive/jpeg and examples/negative/jpeg.

Run: .venv/bin/python scripts/make_jpeg_examples.py.  Pillow draws and writes every picture
(tests/factories_jpeg.py says how each is made or patched); none is a copy of a third-party file.
The arithmetic-coded, 12-bit and lossless examples come from the ISO reference codec `jpeg`
(Debian: apt-get install libjpeg-tools); without it those three files are left as committed.
Expected codes are in examples/expected.d/jpeg.toml.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT.parent / "tests"))

import factories_jpeg as f  # noqa: E402


def main() -> None:
    pos = ROOT / "positive" / "jpeg"
    neg = ROOT / "negative" / "jpeg"
    for d in (pos, neg):
        d.mkdir(parents=True, exist_ok=True)
    f.standard_photo(pos / "标准照片.jpg")
    f.progressive_photo(pos / "渐进式照片.jpg")
    f.gps_photo(pos / "仅有GPS版本号.jpg", position=False)

    f.truncated_photo(neg / "截断的照片.jpg")
    f.without_dqt(neg / "缺少量化表.jpg")
    f.cmyk_photo(neg / "CMYK印刷稿.jpg")
    f.gps_photo(neg / "带GPS位置.jpg")
    f.xmp_gps_photo(neg / "XMP中的GPS.jpg")
    f.orientation_photo(neg / "需要旋转.jpg")
    f.thumbnail_photo(neg / "带缩略图.jpg")
    f.tiny_photo(neg / "太小的图标.jpg")
    f.banner(neg / "超宽横幅.jpg")
    f.bomb(neg / "解压炸弹.jpg")
    f.stray_bytes_photo(neg / "标记间有杂字节.jpg")
    f.trailing_image_photo(neg / "尾部附加图片.jpg")
    if shutil.which("jpeg"):
        f.reference_codec(neg / "算术编码.jpg", "-a", "-q", "85")
        f.reference_codec(neg / "12位精度.jpg", "-q", "85", bits=12)
        f.reference_codec(neg / "无损编码.jpg", "-p", "-c", "-q", "100", size=(200, 150))
    else:
        print("`jpeg` (libjpeg-tools) not found: arithmetic, 12-bit and lossless examples kept as they are")
    for p in sorted(ROOT.glob("*/jpeg/*.jpg")):
        print(f"{p.stat().st_size:>8}  {p.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
