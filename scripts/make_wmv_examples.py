"""Regenerate the WMV examples under examples/positive/wmv and examples/negative/wmv.

Run: .venv/bin/python scripts/make_wmv_examples.py.  Every file is made by the ffmpeg binary of
the imageio-ffmpeg wheel from its test sources, and some are then patched at the ASF header level
(tests/factories_wmv.py says how); none is a copy of a third-party file.  Expected codes are in
examples/expected.d/wmv.toml.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT.parent / "tests"))

from factories_wmv import (  # noqa: E402
    damaged_header_wmv,
    drm_wmv,
    grown_header_wmv,
    header_only_wmv,
    make_wmv,
    truncated_wmv,
)

POLICIES = {
    # The office allows WMA files as a format but still wants video: WMV002 speaks.
    "wma-format.policy.toml": '[formats]\nallowed = ["docx", "doc", "jpeg", "wmv", "wma"]\n',
    # The office accepts audio-only submissions (e.g. a radio piece): list the format and allow it.
    "audio.policy.toml": '[formats]\nallowed = ["docx", "doc", "jpeg", "wmv", "wma"]\n\n[wmv]\nallow_audio_only = true\n',
}
STRICT = "[wmv]\nmax_duration_seconds = 1.5\nmax_width = 400\nmax_height = 300\nmax_bitrate_kbps = 400\n"


def main() -> None:
    pos = ROOT / "positive" / "wmv"
    neg = ROOT / "negative" / "wmv"
    limits = neg / "limits"
    for d in (pos, neg, limits):
        d.mkdir(parents=True, exist_ok=True)
    make_wmv(pos / "WMV1短片.wmv", vcodec="wmv1")
    make_wmv(pos / "无声短片.wmv", acodec=None)
    make_wmv(neg / "MS-MPEG4编码.wmv", vcodec="msmpeg4")
    make_wmv(neg / "MP3伴音.wmv", acodec="libmp3lame", abitrate="32k")
    make_wmv(neg / "仅音频.wma", vcodec=None)
    make_wmv(neg / "分辨率过小.wmv", size="160x120", vbitrate="60k")
    truncated_wmv(neg / "被截断.wmv")
    header_only_wmv(neg / "只有文件头.wmv")
    drm_wmv(neg / "加密.wmv")
    grown_header_wmv(neg / "文件大小不符.wmv")
    damaged_header_wmv(neg / "文件头损坏.wmv")
    make_wmv(limits / "超限.wmv", seconds=2, size="480x360", vbitrate="900k")
    for name, text in POLICIES.items():
        (neg / name).write_text(text, encoding="utf-8")
    (limits / "strict.policy.toml").write_text(
        "# Tiny limits so that a 2-second 480x360 clip exceeds duration, resolution and bitrate.\n" + STRICT,
        encoding="utf-8",
    )
    for f in sorted(ROOT.glob("*/wmv/**/*.wm*")):
        print(f"{f.stat().st_size:>8}  {f.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
