"""P2: `hnsubmit check` over 1,000 mixed files against running exiftool / ffprobe once per file.

The folder is generated (Pillow, python-docx, the bundled ffmpeg): 600 JPEGs, 250 Word documents,
150 WMV videos, copies of a few dozen distinct files so generation stays quick.  The peer is what a
liaison's script would do without hnsubmit: exiftool on every image and document, ffprobe on every
video, one process per file.  Goal (issue 3): ≥ 10× faster.  Peers: Debian packages
libimage-exiftool-perl and ffmpeg (run.py --install-peers).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, Figure, tool

sys.path.insert(0, str(REPO / "tests"))


def build_folder(root: Path, total: int = 1000) -> list[Path]:
    from factories import make_docx, make_jpeg, make_video

    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    jpegs = [make_jpeg(seeds / f"p{i}.jpg", (1024, 768), seed=i) for i in range(20)]
    docs = [make_docx(seeds / f"d{i}.docx", [f"标题{i}"] + [f"第{j}段正文。" * 5 for j in range(30)]) for i in range(10)]
    videos = [make_video(seeds / f"v{i}.wmv", seconds=2, size="320x240") for i in range(3)]
    files = []
    plan = [(jpegs, int(total * 0.6), ".jpg"), (docs, int(total * 0.25), ".docx"), (videos, total - int(total * 0.6) - int(total * 0.25), ".wmv")]
    out = root / "content"
    out.mkdir()
    for sources, count, ext in plan:
        for i in range(count):
            dst = out / f"{ext[1:]}_{i:04d}{ext}"
            shutil.copyfile(sources[i % len(sources)], dst)
            files.append(dst)
    return files


def measure() -> Figure:
    exiftool, ffprobe = shutil.which("exiftool"), shutil.which("ffprobe")
    hnsubmit = tool("hnsubmit") or "hnsubmit"
    with tempfile.TemporaryDirectory() as tmp:
        files = build_folder(Path(tmp))
        folder = files[0].parent
        subprocess.run([hnsubmit, "check", str(folder), "-q", "--format", "json"], stdout=subprocess.DEVNULL)  # warm caches
        start = time.perf_counter()
        subprocess.run([hnsubmit, "check", str(folder), "-q", "--format", "json"], stdout=subprocess.DEVNULL)
        ours = time.perf_counter() - start
        if not exiftool or not ffprobe:
            missing = ", ".join(n for n, p in (("exiftool", exiftool), ("ffprobe", ffprobe)) if not p)
            return Figure("P2 check 1,000 files", ours, None, "s", "exiftool+ffprobe per file", "≥10× faster", None,
                          f"{missing} missing: apt-get install libimage-exiftool-perl ffmpeg")
        start = time.perf_counter()
        for f in files:
            cmd = [ffprobe, "-v", "error", "-show_format", "-show_streams", str(f)] if f.suffix == ".wmv" else [exiftool, "-a", "-G1", str(f)]
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peer = time.perf_counter() - start
    speedup = peer / ours
    return Figure("P2 check 1,000 files", ours, peer, "s", "exiftool+ffprobe per file", "≥10× faster",
                  speedup >= 10, f"{speedup:.1f}× faster")


if __name__ == "__main__":
    print(measure().line())
