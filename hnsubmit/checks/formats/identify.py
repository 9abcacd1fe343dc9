"""Identify a file's real format from its bytes.

Returns a :class:`FormatInfo` with a short kind (``jpeg``, ``docx``, ``doc``, ``wmv``, ``png`` …), a
human description, and — when the container itself is broken — what is damaged.  Never raises on
bad input: anything unrecognised is ``unknown``.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from hnsubmit.checks.formats import asf

HEAD = 65536
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class FormatInfo:
    kind: str
    detail: str  # English description; rendered in messages
    detail_zh: str
    damaged: str = ""  # reason when the container is structurally broken
    damaged_zh: str = ""
    # extensions that fit this very file, when its content narrows its kind's (Word refuses a .docm
    # whose main part is not macro-enabled, and a .docx whose main part is)
    fits: tuple[str, ...] = ()

    def describe(self, lang: str) -> str:
        return self.detail_zh if lang == "zh" else self.detail


# kind -> (English, Chinese, extensions that fit)
KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "docx": ("a Word document (.docx)", "Word 文档(.docx)", (".docx", ".docm", ".dotx", ".dotm")),
    # Without the password nobody can tell Word from Excel or PowerPoint: the package is ciphertext.
    "docx-encrypted": (
        "an encrypted Office document (OOXML inside an OLE container)",
        "加密的 Office 文档(OLE 容器中的 OOXML)",
        (".docx", ".docm", ".dotx", ".dotm", ".xlsx", ".xlsm", ".pptx", ".pptm"),
    ),
    "doc": ("a Word 97–2003 document (.doc)", "Word 97–2003 文档(.doc)", (".doc", ".dot")),
    "word95": ("a Word 6.0/95 document", "Word 6.0/95 文档", (".doc",)),
    "word2": ("a Word for Windows 2.0 document", "Word for Windows 2.0 文档", (".doc",)),
    "word1": ("a Word for DOS/Windows 1.x document", "Word 1.x 文档", (".doc",)),
    "ole": ("an OLE compound file that is not a Word document", "非 Word 的 OLE 复合文档", ()),
    "xlsx": ("an Excel workbook (.xlsx)", "Excel 工作簿(.xlsx)", (".xlsx", ".xlsm")),
    "xls": ("an Excel 97–2003 workbook (.xls)", "Excel 97–2003 工作簿(.xls)", (".xls",)),
    "pptx": ("a PowerPoint presentation (.pptx)", "PowerPoint 演示文稿(.pptx)", (".pptx",)),
    "ppt": ("a PowerPoint 97–2003 presentation (.ppt)", "PowerPoint 97–2003 演示文稿(.ppt)", (".ppt",)),
    "odt": ("an OpenDocument text (.odt)", "OpenDocument 文本(.odt)", (".odt",)),
    "zip": ("a ZIP archive", "ZIP 压缩包", (".zip",)),
    "rar": ("a RAR archive", "RAR 压缩包", (".rar",)),
    "7z": ("a 7-Zip archive", "7-Zip 压缩包", (".7z",)),
    "wps": ("a WPS document", "WPS 文档", (".wps",)),
    "jpeg": ("a JPEG image", "JPEG 图片", (".jpg", ".jpeg", ".jpe", ".jfif")),
    "png": ("a PNG image", "PNG 图片", (".png",)),
    "gif": ("a GIF image", "GIF 图片", (".gif",)),
    "bmp": ("a BMP image", "BMP 图片", (".bmp",)),
    "tiff": ("a TIFF image", "TIFF 图片", (".tif", ".tiff")),
    "webp": ("a WebP image", "WebP 图片", (".webp",)),
    "heif": ("a HEIC/HEIF image", "HEIC/HEIF 图片", (".heic", ".heif")),
    "pdf": ("a PDF document", "PDF 文档", (".pdf",)),
    "wmv": ("a WMV video (ASF)", "WMV 视频(ASF)", (".wmv", ".asf")),
    "wma": ("an audio-only ASF file (no video stream)", "仅含音频的 ASF 文件(无视频流)", (".wma", ".asf")),
    "asf": ("an ASF file with no audio or video stream", "不含音视频流的 ASF 文件", (".asf",)),
    "mp4": ("an MP4 video", "MP4 视频", (".mp4", ".m4v")),
    "mov": ("a QuickTime video (.mov)", "QuickTime 视频(.mov)", (".mov",)),
    "avi": ("an AVI video", "AVI 视频", (".avi",)),
    "mkv": ("a Matroska/WebM video", "Matroska/WebM 视频", (".mkv", ".webm")),
    "flv": ("a Flash video (.flv)", "Flash 视频(.flv)", (".flv",)),
    "mpeg": ("an MPEG program/transport stream", "MPEG 节目流/传输流", (".mpg", ".mpeg", ".ts", ".vob")),
    "mp3": ("an MP3 audio file", "MP3 音频", (".mp3",)),
    "wav": ("a WAV audio file", "WAV 音频", (".wav",)),
    "rtf": ("an RTF document", "RTF 文档", (".rtf",)),
    "html": ("an HTML page", "HTML 网页", (".html", ".htm")),
    "text": ("plain text", "纯文本", (".txt", ".md", ".csv")),
    "office-guide": ("an office guide (YAML/JSON/Excel)", "办事指南(YAML/JSON/Excel)", (".yaml", ".yml", ".json", ".xlsx")),
    "submission": ("a submission description (submission.toml)", "报送说明(submission.toml)", (".toml",)),
    "unknown": ("data of an unknown format", "未知格式的数据", ()),
    "empty": ("an empty file", "空文件", ()),
}


def info(kind: str, damaged: str = "", extra: str = "", extra_zh: str = "", damaged_zh: str = "") -> FormatInfo:
    en, zh, _ = KINDS[kind]
    return FormatInfo(kind, en + extra, zh + extra_zh, damaged, damaged_zh or damaged)


def expected_extensions(kind: str) -> tuple[str, ...]:
    return KINDS.get(kind, ("", "", ()))[2]


def identify_path(path: Path) -> FormatInfo:
    with open(path, "rb") as fh:
        head = fh.read(HEAD)
        if not head:
            return info("empty")
        return identify(head, fh, path.name)


def identify(head: bytes, fh: io.BufferedIOBase | None = None, name: str = "") -> FormatInfo:
    """Identify from the first bytes; `fh` (seekable) lets container formats look further."""
    try:
        return _identify(head, fh, name)
    except Exception:  # identification must never crash the run
        return info("unknown")


def _identify(head: bytes, fh, name: str) -> FormatInfo:
    if not head:
        return info("empty")
    if head.startswith(b"\xff\xd8\xff"):
        return info("jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        extra = ""
        if len(head) >= 24 and head[12:16] == b"IHDR":
            w, h = struct.unpack(">II", head[16:24])
            extra = f" {w}×{h}"
        return info("png", extra=extra, extra_zh=extra)
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return info("gif")
    if head[:2] == b"BM" and len(head) >= 26:
        return info("bmp")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return info("tiff")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return info("webp")
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return info("avi")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return info("wav")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif"):
            return info("heif")
        if brand == b"qt  ":
            return info("mov")
        return info("mp4")
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free") and len(head) > 8:
        return info("mov")
    if head.startswith(b"%PDF-"):
        return info("pdf")
    if asf.is_asf(head):
        return _asf(head, fh)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return info("mkv")
    if head.startswith(b"FLV\x01"):
        return info("flv")
    if head.startswith(b"\x00\x00\x01\xba") or (head[:1] == b"\x47" and len(head) > 188 and head[188:189] == b"\x47"):
        return info("mpeg")
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return info("mp3")
    if head.startswith(OLE_MAGIC):
        return _ole(head, fh)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip(head, fh)
    if head.startswith(b"Rar!\x1a\x07"):
        return info("rar")
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return info("7z")
    if head[:4] == b"\xdb\xa5\x2d\x00":
        return info("word2")
    if head[:4] in (b"\x31\xbe\x00\x00", b"\x32\xbe\x00\x00"):
        return info("word1")
    if head.startswith(b"{\\rtf"):
        return info("rtf")
    return _text(head, name)


def _asf(head: bytes, fh) -> FormatInfo:
    header = head
    if len(head) >= 24:
        (size,) = struct.unpack_from("<Q", head, 16)
        if size > len(head) and fh is not None and size <= 16 * 1024 * 1024:
            fh.seek(0)
            header = fh.read(size)
    kinds = asf.stream_types(header)
    if "video" in kinds:
        return info("wmv")
    if "audio" in kinds:
        return info("wma")
    return info("asf")


def _ole(head: bytes, fh) -> FormatInfo:
    import olefile

    if fh is None:
        return info("ole")
    fh.seek(0)
    try:
        ole = olefile.OleFileIO(fh)
    except Exception as exc:  # olefile raises many kinds on garbage
        return info("ole", damaged=f"OLE container cannot be parsed ({type(exc).__name__})",
                    damaged_zh=f"OLE 复合文档无法解析({type(exc).__name__})")
    try:
        streams = {"/".join(s).lower() for s in ole.listdir(streams=True, storages=True)}
        if "encryptedpackage" in streams and "encryptioninfo" in streams:
            return info("docx-encrypted")
        if "worddocument" in streams:
            fib = ole.openstream("WordDocument").read(12)
            return _word_fib(fib)
        if "workbook" in streams or "book" in streams:
            return info("xls")
        if "powerpoint document" in streams:
            return info("ppt")
        return info("ole")
    finally:
        ole.close()


def _word_fib(fib: bytes) -> FormatInfo:
    if len(fib) < 4:
        return info("doc", damaged="WordDocument stream too short for a FIB", damaged_zh="WordDocument 流太短,没有文件信息块(FIB)")
    ident, nfib = struct.unpack_from("<HH", fib, 0)
    if ident not in (0xA5EC, 0xA5DC):
        return info("doc", damaged=f"no Word FIB (wIdent 0x{ident:04X}, nFib {nfib})",
                    damaged_zh=f"没有有效的 Word 文件信息块(wIdent 0x{ident:04X},nFib {nfib})")
    if nfib < 0xC1 or ident == 0xA5DC:
        return info("word95", extra=f" (nFib {nfib})", extra_zh=f"(nFib {nfib})")
    return info("doc")


def _zip(head: bytes, fh) -> FormatInfo:
    names: list[str] = []
    guide_batch = False
    damaged = ""
    content_types = b""
    if fh is not None:
        fh.seek(0)
        try:
            with zipfile.ZipFile(fh) as zf:
                names = zf.namelist()
                first = _first_local_name(fh)
                if first is not None and names and first not in names:
                    # The directory found belongs to an archive stored inside this one: the outer
                    # archive lost its end (a cut package holding an uncompressed .docx).
                    raise zipfile.BadZipFile("its central directory is not the one of its first entry")
                guide_batch = _guide_workbook(zf, names)
                if "[Content_Types].xml" in names:
                    with zf.open("[Content_Types].xml") as ct:
                        content_types = ct.read(200_000)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
            damaged = f"ZIP central directory missing or broken ({exc})"
            names = _local_names(fh)
    lowered = [n.lower() for n in names]
    kind = "zip"
    if any(n.startswith("word/") for n in lowered):
        kind = "docx"
    elif any(n.startswith("xl/") for n in lowered):
        kind = "office-guide" if guide_batch else "xlsx"
    elif any(n.startswith("ppt/") for n in lowered):
        kind = "pptx"
    elif "mimetype" in lowered and b"opendocument.text" in _read_mimetype(fh):
        kind = "odt"
    extra = extra_zh = ""
    fits: tuple[str, ...] = ()
    if kind == "docx" and b"macroEnabled" in content_types:
        extra, extra_zh = " with macros enabled (.docm)", "(启用宏的 .docm)"
        fits = (".docm", ".dotm")
    elif kind == "docx" and content_types:
        fits = (".docx", ".dotx")
    if damaged:
        extra += ", truncated or damaged ZIP"
        extra_zh += ",ZIP 已截断或损坏"
    damaged_zh = damaged.replace("ZIP central directory missing or broken", "ZIP 中央目录缺失或损坏") if damaged else ""
    found = info(kind, damaged=damaged, extra=extra, extra_zh=extra_zh, damaged_zh=damaged_zh)
    return replace(found, fits=fits) if fits else found


def _guide_workbook(zf: zipfile.ZipFile, names: list[str]) -> bool:
    """An Excel batch of office guides: its first sheet's header names 事项名称 or 项目名称."""
    if "xl/workbook.xml" not in names:
        return False
    from hnsubmit.guide.sniff import is_guide_workbook

    return is_guide_workbook(zf)


def _first_local_name(fh) -> str | None:
    """The name in the local header at offset 0, or None when there is none to read."""
    fh.seek(0)
    header = fh.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return None
    name_len, flags = struct.unpack_from("<H", header, 26)[0], struct.unpack_from("<H", header, 6)[0]
    raw = fh.read(name_len)
    return raw.decode("utf-8" if flags & 0x800 else "cp437", "replace")


def _local_names(fh, limit: int = 4096) -> list[str]:
    """Entry names from local file headers, for a ZIP whose central directory is missing.

    Walks the headers one after another, skipping each entry's data, so the entries of an archive
    stored inside this one are not taken for its own; an entry whose sizes follow its data
    (flag bit 3) ends the walk with a plain search for the next header.
    """
    fh.seek(0)
    data = fh.read(8 * 1024 * 1024)
    names: list[str] = []
    pos = 0
    while pos + 30 <= len(data) and data[pos : pos + 4] == b"PK\x03\x04" and len(names) < limit:
        flags, = struct.unpack_from("<H", data, pos + 6)
        csize, = struct.unpack_from("<I", data, pos + 18)
        name_len, extra_len = struct.unpack_from("<HH", data, pos + 26)
        names.append(data[pos + 30 : pos + 30 + name_len].decode("utf-8", "replace"))
        if flags & 0x08:
            nxt = data.find(b"PK\x03\x04", pos + 30 + name_len)
            if nxt < 0:
                break
            pos = nxt
        else:
            pos += 30 + name_len + extra_len + csize
    return names


def _read_mimetype(fh) -> bytes:
    if fh is None:
        return b""
    try:
        fh.seek(0)
        with zipfile.ZipFile(fh) as zf:
            return zf.read("mimetype")[:100]
    except Exception:
        return b""


GUIDE_MARKERS = ("item_name", "事项名称", "项目名称", "办事指南", "guides:")


def _text(head: bytes, name: str) -> FormatInfo:
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = head.decode("gb18030")
        except UnicodeDecodeError:
            return info("unknown")
    if "\x00" in text:
        return info("unknown")
    lower = name.lower()
    stripped = text.lstrip().lower()
    if lower == "submission.toml":
        return info("submission")
    if lower.endswith((".yaml", ".yml", ".json")) and any(m in text for m in GUIDE_MARKERS):
        return info("office-guide")
    if stripped.startswith(("<!doctype html", "<html")):
        return info("html")
    return info("text")
