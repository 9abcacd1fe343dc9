"""Entry names a package may not carry: traversal (..), absolute paths, drive letters, backslashes,
control characters, links, duplicates and names that collide once normalised (NFC/NFKC, case) —
the zip-slip family (CVE-2018-1002200 and relatives), refused before anything is extracted."""

from __future__ import annotations

import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
UTF8_FLAG = 0x800


@dataclass(frozen=True)
class NameProblem:
    code: str  # PKG002 unsafe, PKG003 duplicate, PKG004 collision, PKG005 link, PKG013 not UTF-8
    name: str
    reason: dict[str, str]


def unsafe_reason(name: str) -> dict[str, str] | None:
    if name.startswith(("/", "\\")):
        return {"zh": "是绝对路径", "en": "it is an absolute path"}
    if _DRIVE.match(name):
        return {"zh": "带有盘符", "en": "it has a drive letter"}
    if "\\" in name:
        # Windows tools treat "\" as a separator, so "..\\x" escapes on extraction there.
        return {"zh": "含有反斜杠(在 Windows 上可作为路径分隔符越出目录)", "en": "it has a backslash (a path separator on Windows, usable to escape)"}
    if _CONTROL.search(name):
        return {"zh": "含有控制字符", "en": "it has control characters"}
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        return {"zh": "含有 ..,会解压到目录之外", "en": "it has a .. segment and would extract outside the folder"}
    if any(p in ("", ".") for p in parts):
        return {"zh": "含有空的或 . 路径段", "en": "it has an empty or . segment"}
    return None


def collision_key(name: str) -> str:
    """Names equal under this key are one file on Windows or macOS."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFC", name)).casefold()


def is_link_or_special(info: zipfile.ZipInfo) -> bool:
    if info.create_system != 3:  # only Unix-made entries carry a file type in external_attr
        return False
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    return kind not in (0, stat.S_IFREG, stat.S_IFDIR)


def name_problems(infos: list[zipfile.ZipInfo]) -> list[NameProblem]:
    out: list[NameProblem] = []
    seen: dict[str, str] = {}
    keys: dict[str, str] = {}
    for info in infos:
        name = info.filename
        if not name.isascii() and not info.flag_bits & UTF8_FLAG:
            read = {"zh": f"按 CP437 读出为“{name}”", "en": f"read as CP437 it is '{name}'"}
            out.append(NameProblem("PKG013", name, read))
        reason = unsafe_reason(info.orig_filename if hasattr(info, "orig_filename") else name)
        if reason:
            out.append(NameProblem("PKG002", name, reason))
            continue
        if is_link_or_special(info):
            out.append(NameProblem("PKG005", name, {"zh": "是符号链接或特殊文件", "en": "it is a symbolic link or a special file"}))
            continue
        if name in seen:
            out.append(NameProblem("PKG003", name, {"zh": "在压缩包中出现了不止一次", "en": "it occurs more than once"}))
            continue
        seen[name] = name
        key = collision_key(name.rstrip("/"))
        if key in keys:
            other = keys[key]
            out.append(NameProblem("PKG004", name, {"zh": f"与“{other}”规范化后相同", "en": f"it is the same as '{other}' once normalised"}))
            continue
        keys[key] = name
    return out
