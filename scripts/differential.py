"""Differential check: hnsubmit against the reference tool of each property, file by file.

    python scripts/differential.py FOLDER [FOLDER ...] [--markdown]

For every file under the folders it asks hnsubmit (one `check --format json` run) and the reference
tools that are installed — exiftool (format, GPS position, orientation, thumbnails, CMYK, .docx
properties), djpeg (damaged JPEG data), olefile (.doc properties), olevba from oletools (macros),
msoffcrypto-tool (encryption), ffprobe (WMV streams and codecs) — and prints, per property, how
often both said yes, both said no, or only one did, then every disagreement.  A tool that is not
installed is named and its properties are left out, never guessed.  Not part of the test suite:
docs/testing.md says how it is run and which disagreements are deliberate policy.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# exiftool FileType → the hnsubmit kinds that agree with it.  exiftool does not tell Word versions
# apart inside an OLE file (DOC), names an OOXML type inside a ZIP by the file's extension, and calls
# an audio-only ASF "ASF" or "WMA"; hnsubmit's finer kinds within those count as agreement.
OOXML = {"docx", "docx-encrypted"}
FORMATS: dict[str, set[str]] = {
    "JPEG": {"jpeg"}, "PNG": {"png"}, "GIF": {"gif"}, "BMP": {"bmp"}, "TIFF": {"tiff"}, "WEBP": {"webp"},
    "HEIC": {"heif"}, "DOCX": OOXML, "DOCM": OOXML, "DOTX": OOXML, "DOTM": OOXML,
    "DOC": {"doc", "word95", "word2", "word1", "docx-encrypted"}, "XLSX": {"xlsx", "office-guide", "docx-encrypted"},
    "XLS": {"xls"}, "PPTX": {"pptx", "docx-encrypted"}, "PDF": {"pdf"}, "MP4": {"mp4"}, "MOV": {"mov"},
    "AVI": {"avi"}, "WMV": {"wmv"}, "ASF": {"wmv", "wma"}, "WMA": {"wma"}, "ZIP": {"zip", "package"},
    "TXT": {"text", "submission", "office-guide"}, "JSON": {"json", "office-guide"}, "ODT": {"odt"},
    "FPX": {"docx-encrypted"},
}
DAMAGE_CODES = {"JPG001", "JPG002", "JPG013", "JPG016"}
WMV_VIDEO = {"wmv1", "wmv2", "wmv3", "vc1"}
WMA_AUDIO = {"wmav1", "wmav2", "wmapro", "wmalossless", "wmavoice"}


class Table:
    """Per property: counts of (reference, hnsubmit) answers, and the disagreements."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[tuple[bool, bool], int]] = defaultdict(lambda: defaultdict(int))
        self.disagreements: list[tuple[str, str, str, str]] = []

    def add(self, prop: str, path: str, ref: bool, ours: bool, ref_says: str, ours_says: str) -> None:
        self.counts[prop][(ref, ours)] += 1
        if ref != ours:
            self.disagreements.append((prop, path, ref_says, ours_says))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()
    folders = [f.resolve() for f in args.folders]
    files = sorted(p for f in folders for p in (f.rglob("*") if f.is_dir() else [f]) if p.is_file() and not p.is_symlink())
    ours = hnsubmit(folders)
    tools = {name: shutil.which(name) for name in ("exiftool", "djpeg", "ffprobe")}
    tools["olevba"] = _importable("oletools.olevba")
    tools["msoffcrypto-tool"] = _importable("msoffcrypto")
    tools["olefile"] = _importable("olefile")
    exif = exiftool(files) if tools["exiftool"] else {}
    table = Table()
    for path in files:
        key = str(path)
        if key not in ours:
            continue  # skipped by hnsubmit's walk (clutter, .hnsubmitignore): nothing to compare
        kind, codes = ours[key]
        rel = _rel(path, folders)
        info = exif.get(key, {})
        if tools["exiftool"]:
            ftype = str(info.get("FileType", ""))
            if ftype in FORMATS:
                table.add("format", rel, True, kind in FORMATS[ftype], f"exiftool: {ftype}", f"hnsubmit: {kind}")
        if kind == "jpeg":
            _jpeg(table, rel, path, codes, info, tools)
        if kind in ("docx", "doc", "docx-encrypted"):
            _word(table, rel, path, kind, codes, info, tools)
        if kind == "wmv" and tools["ffprobe"]:
            _wmv(table, rel, path, codes)
    _print(table, tools, len(files), args.markdown)
    return 0


def hnsubmit(folders: list[Path]) -> dict[str, tuple[str, set[str]]]:
    cmd = [sys.executable, "-m", "hnsubmit", "--lang", "en", "check", *map(str, folders), "-q", "--format", "json"]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=3600).stdout
    report = json.loads(out)
    return {str(Path(f["path"]).resolve()): (f["kind"], {x["code"] for x in f["findings"]}) for f in report["files"]}


def exiftool(files: list[Path]) -> dict[str, dict]:
    """One exiftool process for all files (-n: numbers, not prose)."""
    tags = ["-FileType", "-Composite:GPSPosition", "-IFD0:Orientation", "-ThumbnailImage", "-PhotoshopThumbnail",
            "-ColorComponents", "-Creator", "-LastModifiedBy", "-Company", "-Manager"]
    out: dict[str, dict] = {}
    for i in range(0, len(files), 200):
        batch = [str(f) for f in files[i : i + 200]]
        res = subprocess.run(["exiftool", "-j", "-n", "-q", "-q", *tags, *batch], capture_output=True, text=True, timeout=600)
        for item in json.loads(res.stdout or "[]"):
            out[str(Path(item["SourceFile"]).resolve())] = item
    return out


def _jpeg(table: Table, rel: str, path: Path, codes: set[str], info: dict, tools: dict) -> None:
    if tools["exiftool"]:
        gps = "GPSPosition" in info
        table.add("JPEG: GPS position", rel, gps, "JPG007" in codes, f"exiftool GPSPosition: {info.get('GPSPosition', '-')}", _codes(codes))
        orient = info.get("Orientation")
        table.add("JPEG: orientation ≠ 1", rel, orient in range(2, 9), "JPG008" in codes, f"exiftool IFD0 Orientation: {orient}", _codes(codes))
        thumb = "ThumbnailImage" in info or "PhotoshopThumbnail" in info
        table.add("JPEG: embedded thumbnail", rel, thumb, "JPG009" in codes, "exiftool: " + ("thumbnail" if thumb else "none"), _codes(codes))
        table.add("JPEG: CMYK", rel, info.get("ColorComponents") == 4, "JPG006" in codes, f"exiftool ColorComponents: {info.get('ColorComponents')}", _codes(codes))
    if tools["djpeg"]:
        res = subprocess.run(["djpeg", "-outfile", "/dev/null", str(path)], capture_output=True, text=True, timeout=120)
        said = res.stderr.strip().splitlines()
        # a warning, or a failure other than a coding process libjpeg does not build (12-bit, lossless)
        unsupported = any("Unsupported" in s or "not supported" in s for s in said)
        damaged = any("Corrupt JPEG data" in s or "Premature end" in s for s in said) or (res.returncode != 0 and not unsupported)
        table.add("JPEG: damaged data", rel, damaged, bool(codes & DAMAGE_CODES), "djpeg: " + ("; ".join(said[:2]) or "clean"), _codes(codes))


def _word(table: Table, rel: str, path: Path, kind: str, codes: set[str], info: dict, tools: dict) -> None:
    if tools["msoffcrypto-tool"]:
        import msoffcrypto

        try:
            with open(path, "rb") as fh:
                enc = msoffcrypto.OfficeFile(fh).is_encrypted()
            said = f"msoffcrypto: encrypted={enc}"
        except Exception as exc:  # msoffcrypto refuses what it cannot parse
            enc, said = False, f"msoffcrypto: {type(exc).__name__}"
        table.add("Word: encrypted", rel, enc, "DOC004" in codes, said, _codes(codes))
    if tools["olevba"] and kind != "docx-encrypted":
        from oletools.olevba import VBA_Parser

        try:
            macros = VBA_Parser(str(path)).detect_vba_macros()
            said = f"olevba: macros={macros}"
        except Exception as exc:
            macros, said = False, f"olevba: {type(exc).__name__}"
        table.add("Word: macros (VBA)", rel, macros, "DOC005" in codes, said, _codes(codes))
    if kind == "doc" and tools["olefile"]:
        import olefile

        try:
            with olefile.OleFileIO(str(path)) as ole:
                meta = ole.get_metadata()
            values = {n: _text(getattr(meta, n)) for n in ("author", "last_saved_by", "company", "manager")}
        except Exception as exc:
            values = {"error": type(exc).__name__}
        set_ = {n: v for n, v in values.items() if v}
        table.add("Word: personal properties", rel, bool(set_) and "error" not in set_, "DOC011" in codes, f"olefile: {set_ or 'none'}", _codes(codes))
    elif kind == "docx" and tools["exiftool"]:
        set_ = {n: info[n] for n in ("Creator", "LastModifiedBy", "Company", "Manager") if str(info.get(n, "")).strip()}
        table.add("Word: personal properties", rel, bool(set_), "DOC011" in codes, f"exiftool: {set_ or 'none'}", _codes(codes))


def _wmv(table: Table, rel: str, path: Path, codes: set[str]) -> None:
    res = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path)], capture_output=True, text=True, timeout=120)
    try:
        streams = json.loads(res.stdout or "{}").get("streams", [])
    except json.JSONDecodeError:
        streams = []
    video = [s.get("codec_name", "?") for s in streams if s.get("codec_type") == "video" and s.get("disposition", {}).get("attached_pic") != 1]
    audio = [s.get("codec_name", "?") for s in streams if s.get("codec_type") == "audio"]
    if res.returncode or not streams:
        table.add("WMV: readable", rel, False, not codes & {"WMV001", "WMV006", "WMV008"}, f"ffprobe: {res.stderr.strip()[:80] or 'no streams'}", _codes(codes))
        return
    table.add("WMV: video stream", rel, bool(video), "WMV002" not in codes, f"ffprobe video: {video}", _codes(codes))
    if video:
        table.add("WMV: video is WMV", rel, all(v in WMV_VIDEO for v in video), "WMV003" not in codes, f"ffprobe video: {video}", _codes(codes))
    if audio:
        table.add("WMV: audio is WMA", rel, all(a in WMA_AUDIO for a in audio), "WMV004" not in codes, f"ffprobe audio: {audio}", _codes(codes))


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return (value or "").strip("\x00 ")


def _codes(codes: set[str]) -> str:
    return "hnsubmit: " + (", ".join(sorted(codes)) or "clean")


def _rel(path: Path, folders: list[Path]) -> str:
    for f in folders:
        if f.is_dir() and path.is_relative_to(f):
            return f"{f.name}/{path.relative_to(f)}"
    return path.name


def _importable(module: str) -> str | None:
    try:
        __import__(module)
    except ImportError:
        return None
    return module


def _print(table: Table, tools: dict, nfiles: int, markdown: bool) -> None:
    present = ", ".join(n for n, p in tools.items() if p) or "none"
    missing = ", ".join(n for n, p in tools.items() if not p)
    print(f"{nfiles} files; reference tools: {present}" + (f"; not installed: {missing}" if missing else ""))
    head = ("property", "judged", "both yes", "both no", "reference only", "hnsubmit only")
    rows = []
    for prop in sorted(table.counts):
        c = table.counts[prop]
        rows.append((prop, sum(c.values()), c[(True, True)], c[(False, False)], c[(True, False)], c[(False, True)]))
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|---|" + "---:|" * (len(head) - 1))
        for r in rows:
            print("| " + " | ".join(map(str, r)) + " |")
    else:
        print(f"{head[0]:<28}" + "".join(f"{h:>16}" for h in head[1:]))
        for r in rows:
            print(f"{r[0]:<28}" + "".join(f"{v:>16}" for v in r[1:]))
    print(f"\n{len(table.disagreements)} disagreements")
    for prop, path, ref, ours in sorted(table.disagreements):
        print(f"- {prop}: {path} — {ref}; {ours}")


if __name__ == "__main__":
    sys.exit(main())
