"""Real media for tests and examples: Pillow images, python-docx documents, ffmpeg videos.

Every factory writes a real file of the format it names; nothing here is a stub.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def _picture(size: tuple[int, int], seed: int, mode: str = "RGB"):
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    img = Image.new("RGB", size, (rnd.randint(120, 200), rnd.randint(150, 220), rnd.randint(180, 240)))
    draw = ImageDraw.Draw(img)
    w, h = size
    for _ in range(12):
        x0, y0 = rnd.randint(0, w - 1), rnd.randint(0, h - 1)
        x1, y1 = min(w - 1, x0 + rnd.randint(10, w // 2)), min(h - 1, y0 + rnd.randint(10, h // 2))
        draw.rectangle((x0, y0, x1, y1), fill=(rnd.randint(0, 255), rnd.randint(0, 255), rnd.randint(0, 255)))
    return img.convert(mode) if mode != "RGB" else img


def make_jpeg(path: Path, size=(800, 600), seed: int = 0, mode: str = "RGB", exif=None, progressive=False, quality=85) -> Path:
    img = _picture(size, seed, mode)
    kwargs = {"quality": quality, "progressive": progressive}
    if exif is not None:
        kwargs["exif"] = exif
    img.save(path, "JPEG", **kwargs)
    return path


def make_png(path: Path, size=(640, 360), seed: int = 5) -> Path:
    _picture(size, seed).save(path, "PNG")
    return path


def make_pdf(path: Path, text: str = "hello") -> Path:
    """A minimal valid one-page PDF, written by hand (no PDF library needed)."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def make_docx(path: Path, paragraphs: list[str], clear_properties: bool = True, author: str = "") -> Path:
    import datetime as dt

    import docx

    d = docx.Document()
    if paragraphs:
        d.add_heading(paragraphs[0], level=1)
        for p in paragraphs[1:]:
            d.add_paragraph(p)
    props = d.core_properties
    if clear_properties:
        props.author = ""
        props.last_modified_by = ""
        props.comments = ""
        props.title = paragraphs[0] if paragraphs else ""
        props.created = dt.datetime(2026, 11, 20, 9, 0, 0)
        props.modified = dt.datetime(2026, 11, 20, 9, 0, 0)
        props.revision = 1
    if author:
        props.author = author
        props.last_modified_by = author
    d.save(path)
    return path


def make_video(path: Path, vcodec: str = "wmv2", acodec: str | None = "wmav2", seconds: float = 2, size: str = "320x240", fmt: str | None = None, rate: int = 15) -> Path:
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
           "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size={size}:rate={rate}"]
    if acodec:
        cmd += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:a", acodec, "-b:a", "64k"]
    cmd += ["-c:v", vcodec, "-b:v", "300k"]
    if vcodec == "mpeg4":
        cmd += ["-pix_fmt", "yuv420p"]
    if fmt:
        cmd += ["-f", fmt]
    cmd += ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", str(path)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return path
