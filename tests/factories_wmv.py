"""Real WMV/ASF files for the WMV tests and examples: ffmpeg-made, and byte-level ASF header patches.

ffmpeg encodes WMV1 and WMV2 but has no encoder for WMV3 (Windows Media Video 9) or VC-1 (WVC1,
WMVA).  For those, :func:`patch_fourcc` rewrites the codec FourCC in the BITMAPINFOHEADER of every
video Stream Properties object of a generated WMV2 file: the result proves the *header* check
accepts those codecs; it is not decodable as WMV3/VC-1.  DRM and a grown header are made the same
way, by inserting a real ASF object into a generated file's Header Object.
"""

from __future__ import annotations

import struct
import subprocess
import uuid
from pathlib import Path

from factories import ffmpeg_exe

from hnsubmit.checks.formats import asf_header as asf


def make_wmv(
    path: Path,
    vcodec: str | None = "wmv2",
    acodec: str | None = "wmav2",
    seconds: float = 1,
    size: str = "320x240",
    vbitrate: str = "150k",
    abitrate: str = "64k",
    rate: int = 15,
    fmt: str = "asf",
) -> Path:
    """A small real file from ffmpeg's test sources (any container ffmpeg writes, ASF by default)."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
    if vcodec:
        cmd += ["-f", "lavfi", "-i", f"testsrc=duration={seconds}:size={size}:rate={rate}"]
    if acodec:
        cmd += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    if vcodec:
        cmd += ["-c:v", vcodec, "-b:v", vbitrate, "-pix_fmt", "yuv420p"]
    if acodec:
        cmd += ["-c:a", acodec, "-b:a", abitrate, "-ac", "1"]
    cmd += ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact"]
    cmd += ["-f", fmt, str(path)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return path


# -- ASF objects and header patches ------------------------------------------------------------


def asf_object(guid: bytes, body: bytes) -> bytes:
    return guid + struct.pack("<Q", 24 + len(body)) + body


def content_encryption_object() -> bytes:
    """A Content Encryption Object (Windows Media DRM v1) as the ASF spec lays it out."""
    secret = bytes(range(16))
    body = b""
    for part in (secret, b"DRM\x00", b"{00000000-0000-0000-0000-000000000000}\x00", b"http://drm.example.invalid/\x00"):
        body += struct.pack("<I", len(part)) + part
    return asf_object(asf.CONTENT_ENCRYPTION, body)


def content_description_object(title: str) -> bytes:
    """A Content Description Object, as a tag editor adds when it writes a title."""
    fields = [(title + "\x00").encode("utf-16-le"), b"", b"", b"", b""]
    return asf_object(
        uuid.UUID("75B22633-668E-11CF-A6D9-00AA0062CE6C").bytes_le,
        struct.pack("<5H", *(len(f) for f in fields)) + b"".join(fields),
    )


def file_properties_object(file_size: int, packets: int, packet_size: int = 3200, flags: int = 0x2,
                           play_ms: int = 5100, preroll_ms: int = 3100, max_bitrate: int = 300_000) -> bytes:
    body = bytes(16) + struct.pack(
        "<6Q4I", file_size, 0, packets, play_ms * 10_000, (play_ms - preroll_ms) * 10_000, preroll_ms,
        flags, packet_size, packet_size, max_bitrate,
    )
    return asf_object(asf.FILE_PROPERTIES, body)


def video_stream_object(number: int = 1, fourcc: str = "WMV2", width: int = 320, height: int = 240, flags: int = 0) -> bytes:
    bmih = struct.pack("<IiiHH4sIiiII", 40, width, height, 1, 24, fourcc.encode("ascii"), 0, 0, 0, 0, 0)
    ts = struct.pack("<IIBH", width, height, 2, len(bmih)) + bmih
    body = asf.VIDEO_MEDIA + bytes(16) + struct.pack("<QIIHI", 0, len(ts), 0, number | flags, 0) + ts
    return asf_object(asf.STREAM_PROPERTIES, body)


def audio_stream_object(number: int = 2, tag: int = 0x0161, flags: int = 0) -> bytes:
    ts = struct.pack("<HHIIHHH", tag, 2, 44100, 16000, 4096, 16, 0)
    body = asf.AUDIO_MEDIA + bytes(16) + struct.pack("<QIIHI", 0, len(ts), 0, number | flags, 0) + ts
    return asf_object(asf.STREAM_PROPERTIES, body)


def header_extension_object(*objects: bytes) -> bytes:
    inner = b"".join(objects)
    return asf_object(asf.HEADER_EXTENSION, uuid.UUID("ABD3D211-A9BA-11CF-8EE6-00C00C205365").bytes_le + struct.pack("<HI", 6, len(inner)) + inner)


def ext_stream_properties_object(number: int, bitrate: int, names: int = 0, systems: int = 0, tail: bytes = b"") -> bytes:
    body = struct.pack("<QQIIIIIIIIHHQHH", 0, 0, bitrate, 0, 0, 0, 0, 0, 0, 0, number, 0, 0, names, systems) + tail
    return asf_object(asf.EXTENDED_STREAM_PROPERTIES, body)


def synthetic_asf(header_objects: list[bytes], packets: int = 2, packet_size: int = 3200,
                  data: bool = True, trailing: bytes = b"", fp: bytes | None = None) -> bytes:
    """A hand-built ASF file: Header Object (File Properties first), Data Object of zeroed packets, `trailing`."""
    data_obj = b""
    if data:
        data_obj = asf.DATA + struct.pack("<Q", 50 + packets * packet_size) + bytes(16) + struct.pack("<QH", packets, 0x0101)
        data_obj += bytes(packets * packet_size)
    objects = list(header_objects)
    size_without_fp = 30 + sum(len(o) for o in objects) + len(data_obj) + len(trailing)
    if fp is None:
        fp = file_properties_object(size_without_fp + 104, packets, packet_size)
    objects.insert(0, fp)
    body = b"".join(objects)
    header = asf.HEADER + struct.pack("<QIBB", 30 + len(body), len(objects), 1, 2) + body
    return header + data_obj + trailing


def insert_header_object(data: bytes, obj: bytes, update_file_size: bool = True) -> bytes:
    """Append `obj` to the Header Object: header size and object count follow; File Properties'
    file size follows only when `update_file_size` (a careless tag editor does not update it)."""
    (hsize,) = struct.unpack_from("<Q", data, 16)
    (count,) = struct.unpack_from("<I", data, 24)
    out = bytearray(data[:hsize] + obj + data[hsize:])
    struct.pack_into("<Q", out, 16, hsize + len(obj))
    struct.pack_into("<I", out, 24, count + 1)
    if update_file_size:
        fp = _find(out, asf.FILE_PROPERTIES, hsize + len(obj))
        (size,) = struct.unpack_from("<Q", out, fp + 24 + 16)
        struct.pack_into("<Q", out, fp + 24 + 16, size + len(obj))
    return bytes(out)


def patch_fourcc(data: bytes, fourcc: str) -> bytes:
    """Rewrite biCompression of every video Stream Properties object (in the header or embedded in
    an Extended Stream Properties object) to `fourcc`.  Header-level only: see the module docstring."""
    out = bytearray(data)
    (hsize,) = struct.unpack_from("<Q", data, 16)
    pos = 0
    patched = 0
    while True:
        pos = out.find(asf.STREAM_PROPERTIES, pos + 1, hsize)
        if pos < 0:
            break
        if out[pos + 24 : pos + 40] == asf.VIDEO_MEDIA:
            # object head 24 + fixed fields 54 + width, height, flags, format size 11 + biSize…biBitCount 16
            struct.pack_into("4s", out, pos + 24 + 54 + 11 + 16, fourcc.encode("ascii"))
            patched += 1
    assert patched, "no video Stream Properties object to patch"
    return bytes(out)


def _find(buf: bytes | bytearray, guid: bytes, end: int) -> int:
    pos = buf.find(guid, 30, end)
    assert pos >= 0, "object not found"
    return pos


# -- files for rule examples and tests ---------------------------------------------------------


def wmv_with_codec(workdir: Path, fourcc: str) -> Path:
    base = make_wmv(workdir / "base.wmv")
    out = workdir / f"{fourcc}.wmv"
    out.write_bytes(patch_fourcc(base.read_bytes(), fourcc))
    base.unlink()
    return out


def truncated_wmv(path: Path, keep: float = 0.6, **kw) -> Path:
    full = make_wmv(path.with_name(path.name + ".full"), **kw)
    data = full.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    full.unlink()
    return path


def header_only_wmv(path: Path) -> Path:
    full = make_wmv(path.with_name(path.name + ".full"))
    data = full.read_bytes()
    (hsize,) = struct.unpack_from("<Q", data, 16)
    path.write_bytes(data[:hsize])
    full.unlink()
    return path


def drm_wmv(path: Path) -> Path:
    """A WMV whose header carries a Content Encryption Object.  The payload is not really encrypted:
    only the header marks it protected, which is what the header check reads."""
    full = make_wmv(path.with_name(path.name + ".full"))
    path.write_bytes(insert_header_object(full.read_bytes(), content_encryption_object()))
    full.unlink()
    return path


def grown_header_wmv(path: Path) -> Path:
    """A WMV whose header a tag editor grew (a title added) without updating File Properties' size."""
    full = make_wmv(path.with_name(path.name + ".full"))
    obj = content_description_object("县政府常务会议")
    path.write_bytes(insert_header_object(full.read_bytes(), obj, update_file_size=False))
    full.unlink()
    return path


def damaged_header_wmv(path: Path) -> Path:
    """A WMV whose last header object claims 2^63 bytes: the header walk must stop with a finding."""
    full = make_wmv(path.with_name(path.name + ".full"))
    data = bytearray(full.read_bytes())
    full.unlink()
    (hsize,) = struct.unpack_from("<Q", data, 16)
    pos, last = 30, 30
    while pos < hsize:
        last = pos
        pos += struct.unpack_from("<Q", data, pos + 16)[0]
    struct.pack_into("<Q", data, last + 16, 1 << 63)
    path.write_bytes(bytes(data))
    return path


def _force_deep(monkeypatch) -> None:
    """Run the checks as `check --deep` does (the rule-example runner checks without --deep)."""
    import hnsubmit.checks.run as check_module
    from hnsubmit.checks.context import FileContext

    class DeepContext(FileContext):
        def __init__(self, *args, **kw):
            kw["deep"] = True
            super().__init__(*args, **kw)

    monkeypatch.setattr(check_module, "FileContext", DeepContext)


def _deep_truncated(workdir: Path, monkeypatch) -> Path:
    _force_deep(monkeypatch)
    return truncated_wmv(workdir / "被截断.wmv", keep=0.5, seconds=2)


def _deep_clean(workdir: Path, monkeypatch) -> Path:
    _force_deep(monkeypatch)
    return make_wmv(workdir / "完整.wmv")


def _deep_without_ffmpeg(workdir: Path, monkeypatch) -> Path:
    _force_deep(monkeypatch)
    monkeypatch.setenv("HNSUBMIT_FFMPEG", str(workdir / "no-such-ffmpeg"))
    return make_wmv(workdir / "完整.wmv")


def _wmv3(workdir: Path, monkeypatch) -> Path:
    return wmv_with_codec(workdir, "WMV3")


FACTORIES = {
    "wmv_deep_truncated": _deep_truncated,
    "wmv_deep_clean": _deep_clean,
    "wmv_deep_without_ffmpeg": _deep_without_ffmpeg,
    "wmv_wmv3_header": _wmv3,
}
