"""Extract a checked zip into a folder, within bounds: entry count, total size and compression
ratio are judged from the central directory first, and the bytes actually inflated are counted
again while copying (a lying header cannot push past the limits)."""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from hnsubmit.policy.model import PackageLimits

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Problem:
    code: str  # PKG006 too large / bomb, PKG012 unreadable entry
    name: str  # the entry, or "" for the whole package
    reason: dict[str, str]


def size_problems(infos: list[zipfile.ZipInfo], limits: PackageLimits) -> list[Problem]:
    out: list[Problem] = []
    if len(infos) > limits.max_entries:
        out.append(Problem("PKG006", "", {"zh": f"有 {len(infos)} 个条目,上限 {limits.max_entries}", "en": f"it has {len(infos)} entries; the limit is {limits.max_entries}"}))
        return out
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        out.append(Problem("PKG006", "", {"zh": f"解压后共 {total} 字节,上限 {limits.max_uncompressed_bytes}", "en": f"it unpacks to {total} bytes; the limit is {limits.max_uncompressed_bytes}"}))
    for info in infos:
        if info.file_size >= limits.ratio_checked_from_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_compression_ratio:
                out.append(Problem("PKG006", info.filename, {"zh": f"压缩比 {ratio:.0f}:1,超过 {limits.max_compression_ratio:.0f}:1(疑似压缩炸弹)", "en": f"compression ratio {ratio:.0f}:1 exceeds {limits.max_compression_ratio:.0f}:1 (a zip bomb?)"}))
    return out


def entry_problems(infos: list[zipfile.ZipInfo]) -> list[Problem]:
    out = []
    for info in infos:
        if info.flag_bits & 0x1:
            out.append(Problem("PKG012", info.filename, {"zh": "条目已加密", "en": "the entry is encrypted"}))
        elif info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            out.append(Problem("PKG012", info.filename, {"zh": f"压缩方法 {info.compress_type} 不受支持(只接受存储和 Deflate)", "en": f"compression method {info.compress_type} is not supported (stored and deflate only)"}))
    return out


def extract(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], prefix: str, dest: Path, limits: PackageLimits) -> list[Problem]:
    """Write every entry under `prefix` to dest (prefix stripped).  Names were checked already."""
    out: list[Problem] = []
    budget = limits.max_uncompressed_bytes
    root = dest.resolve()
    for info in infos:
        if not info.filename.startswith(prefix) or info.is_dir():
            continue
        rel = info.filename[len(prefix):]
        target = dest / rel
        # Names were checked for traversal; this is the belt to those braces.
        if not target.resolve().is_relative_to(root):
            out.append(Problem("PKG002", info.filename, {"zh": "解压位置在目录之外", "en": "it would extract outside the folder"}))
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with zf.open(info) as src, open(target, "xb") as dst:
                while block := src.read(CHUNK):
                    written += len(block)
                    if written > info.file_size or written > budget:
                        raise _Overflow()
                    dst.write(block)
            budget -= written
        except _Overflow:
            out.append(Problem("PKG006", info.filename, {"zh": "解压出的数据多于条目声明的大小", "en": "it inflates to more than its declared size"}))
            return out
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
            out.append(Problem("PKG012", info.filename, {"zh": f"数据损坏或无法解码({_short(exc)})", "en": f"damaged or undecodable data ({_short(exc)})"}))
        except OSError as exc:
            out.append(Problem("PKG012", info.filename, {"zh": f"无法写入临时目录({exc.strerror or exc})", "en": f"it cannot be written to the temporary folder ({exc.strerror or exc})"}))
    return out


class _Overflow(Exception):
    pass


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "…"
