"""Regenerate the media files under examples/ (run: python scripts/make_examples.py).

The examples are committed so a fresh clone can run `hnsubmit demo` without generating anything;
this script documents exactly how each one was made (Pillow, python-docx and the ffmpeg binary of
the imageio-ffmpeg wheel), so none of them is a copy of a third-party file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT.parent / "tests"))

from factories import make_docx, make_jpeg, make_pdf, make_png, make_video  # noqa: E402

NEWS = [
    "共和县召开2026年冬春农牧业生产工作会议",
    "11月20日,共和县召开冬春农牧业生产工作会议,总结今年农牧业生产情况,安排部署冬春季饲草料储备、"
    "牲畜防疫和抗灾保畜工作。",
    "会议要求,各乡镇要压实责任,做好饲草料调运和储备,确保牲畜安全越冬。",
]


def main() -> None:
    pos = ROOT / "positive"
    neg = ROOT / "negative"
    news = pos / "news-2026-11-20"
    news.mkdir(parents=True, exist_ok=True)
    make_docx(news / "正文.docx", NEWS)
    make_jpeg(news / "活动照片1.jpg", (1024, 683), seed=1)
    make_jpeg(news / "活动照片2.jpg", (1024, 683), seed=2)
    video = pos / "video-2026-11-18"
    video.mkdir(parents=True, exist_ok=True)
    make_video(video / "宣传片.wmv", vcodec="wmv2", acodec="wmav2", seconds=2, size="320x240")
    neg.mkdir(parents=True, exist_ok=True)
    make_png(neg / "截图-其实是PNG.jpg", (640, 360))
    make_pdf(neg / "会议通知.pdf", "Meeting notice")
    make_video(neg / "宣传片.mp4", vcodec="mpeg4", acodec="aac", seconds=2, size="320x240")
    (neg / "空白讲话稿.docx").write_bytes(b"")
    full = neg / "被截断的总结.docx.tmp"
    make_docx(full, ["2026年工作总结"] + ["第{}部分:全年工作情况。".format(i) for i in range(1, 40)])
    data = full.read_bytes()
    (neg / "被截断的总结.docx").write_bytes(data[: int(len(data) * 0.7)])
    full.unlink()
    limits = neg / "limits"
    limits.mkdir(parents=True, exist_ok=True)
    make_jpeg(limits / "大照片.jpg", (1600, 1200), seed=3)
    print("examples regenerated under", ROOT)


if __name__ == "__main__":
    main()
