"""Safe, bounded access to an OOXML package (ZIP): part limits, capped reads, DTD-free XML.

A .docx comes from outside, so nothing here trusts it: the ZIP directory is checked against the
policy's limits before anything is inflated (zip bombs), every read is capped again while it
streams (directory sizes can lie), and XML is parsed by defusedxml with DTDs forbidden — ECMA-376
Part 2 §8.1.4 [M1.18] says a package reader shall treat a DTD as an error, and refusing it is
what keeps an external entity (XXE) from ever reaching a file or the network.
"""

from __future__ import annotations

import lzma
import posixpath
from collections import Counter
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator
from xml.etree.ElementTree import Element

from hnsubmit.checks.formats import strict
from hnsubmit.checks.formats.safexml import CHUNK, MalformedXml, UnsafeXml, iter_events, parse_tree

__all__ = ["Limits", "Package", "PackageError", "PackageTooLarge", "Relationship", "UnsafeXml", "open_package"]

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
# A part this large inflating this well is a bomb, not a document: small parts may compress
# extremely well (repeated XML), and cannot hurt, so the ratio applies only above this size.
RATIO_MIN_BYTES = 1_000_000
# Metadata parts (relationships, content types, properties, settings, styles) are parsed into a
# tree; real ones are kilobytes.  Story parts stream instead (Package.events).
MAX_TREE_PART = 16_000_000
# XML parses per part name (trees and streams), counted over every package this process opens: a
# Package parses each part at most once (tests/test_docx_parse_once.py reads it; clear it first).
PARSES: Counter[str] = Counter()


class PackageError(Exception):
    """The package cannot be read as OOXML (DOC001)."""


class PackageTooLarge(Exception):
    """The package exceeds the policy's zip-bomb limits (DOC002)."""

    def __init__(self, what: dict[str, str]) -> None:
        super().__init__(what["en"])
        self.what = what


@dataclass(frozen=True)
class Limits:
    max_uncompressed_bytes: int
    max_compression_ratio: float
    max_parts: int


@dataclass(frozen=True)
class Relationship:
    source: str  # the part whose .rels holds it ("" for the package)
    rel_id: str
    type: str
    target: str  # resolved part name for internal targets; the raw target for external ones
    external: bool

    @property
    def short_type(self) -> str:
        return self.type.rsplit("/", 1)[-1]


def _mb(n: float) -> str:
    return f"{n / 1_000_000:.0f} MB"


class Package:
    """An opened .docx: names, content types, relationships and bounded reads of its parts."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
            raise PackageError(f"not a readable ZIP ({exc})") from None
        try:
            self._check_directory()
        except Exception:
            self._zip.close()
            raise
        self.names = [i.filename for i in self._zip.infolist()]
        self._by_lower = {n.lower(): n for n in self.names}
        self._inflated: dict[str, int] = {}  # bytes inflated per part (a part read twice counts once)
        self._declared = {i.filename: i.file_size for i in self._zip.infolist()}
        # Parsed once, shared by every step that asks (the validators, docprops, the text walk's styles):
        # the trees of metadata parts, the content types and each part's relationships.
        self._trees: dict[str, Element] = {}
        self._types: tuple[dict[str, str], dict[str, str]] | None = None
        self._rels: dict[str, list[Relationship]] = {}

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check_directory(self) -> None:
        """Refuse a bomb from the ZIP directory alone, before a single byte is inflated."""
        infos = self._zip.infolist()
        lim = self.limits
        if len(infos) > lim.max_parts:
            raise PackageTooLarge(
                {"zh": f"含 {len(infos)} 个部件,超过上限 {lim.max_parts}",
                 "en": f"it has {len(infos)} parts, over the limit of {lim.max_parts}"}
            )
        total = sum(i.file_size for i in infos)
        if total > lim.max_uncompressed_bytes:
            raise PackageTooLarge(
                {"zh": f"解压后共 {_mb(total)},超过上限 {_mb(lim.max_uncompressed_bytes)}",
                 "en": f"it inflates to {_mb(total)}, over the limit of {_mb(lim.max_uncompressed_bytes)}"}
            )
        for i in infos:
            if i.file_size < RATIO_MIN_BYTES:
                continue
            ratio = i.file_size / max(i.compress_size, 1)
            if ratio > lim.max_compression_ratio:
                raise PackageTooLarge(
                    {"zh": f"部件 {i.filename} 压缩比 {ratio:.0f}:1,超过上限 {lim.max_compression_ratio:.0f}:1",
                     "en": f"part {i.filename} is compressed {ratio:.0f}:1, over the limit of "
                     f"{lim.max_compression_ratio:.0f}:1"}
                )

    # -- names and reads ---------------------------------------------------------------------
    def find(self, name: str) -> str | None:
        """The stored name of part `name` (OPC part names compare case-insensitively, [M1.12])."""
        return self._by_lower.get(name.lstrip("/").lower())

    def has(self, name: str) -> bool:
        return self.find(name) is not None

    def open(self, name: str) -> IO[bytes]:
        """A capped stream of a part; raises PackageTooLarge when the package's budget runs out."""
        stored = self.find(name)
        if stored is None:
            raise PackageError(f"part {name} is missing")
        try:
            raw = self._zip.open(stored)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, RuntimeError) as exc:
            raise PackageError(f"part {stored} cannot be read ({exc})") from None
        return _Capped(raw, self, stored)

    def read(self, name: str) -> bytes:
        with self.open(name) as fh:
            chunks = []
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)

    def _spend(self, done: int, name: str) -> None:
        """`done` bytes of part `name` inflated so far in this read: hold them to the limits."""
        self._inflated[name] = max(self._inflated.get(name, 0), done)
        limit = self.limits.max_uncompressed_bytes
        if done > self._declared.get(name, 0) or sum(self._inflated.values()) > limit:
            # more than the directory said: its sizes were false
            raise PackageTooLarge(
                {"zh": f"读取 {name} 时解压出的数据多于 ZIP 目录所记(上限 {_mb(limit)})",
                 "en": f"reading {name} inflated more than the ZIP directory declares (limit {_mb(limit)})"}
            )

    # -- XML ---------------------------------------------------------------------------------
    def xml(self, name: str) -> Element:
        """The parsed root of a (metadata) part, with DTDs and entities refused.  Parsed on the first
        call and the same tree returned after (callers read it, never change it); a part that failed
        to parse is parsed (and fails) again."""
        stored = self.find(name)
        if stored is not None and stored in self._trees:
            return self._trees[stored]
        declared = self._declared.get(stored or name, 0)
        if declared > MAX_TREE_PART:  # a whole tree costs ~10× the text: only small parts are read so
            raise PackageTooLarge(
                {"zh": f"部件 {name} 有 {_mb(declared)},超过整体读取上限 {_mb(MAX_TREE_PART)}",
                 "en": f"part {name} is {_mb(declared)}, over the {_mb(MAX_TREE_PART)} limit for parts read whole"}
            )
        with self.open(name) as fh:
            PARSES[stored or name] += 1
            try:
                root = parse_tree(fh)
            except UnsafeXml:
                raise UnsafeXml(name) from None
            except MalformedXml as exc:
                raise PackageError(f"part {name} is not well-formed XML ({exc})") from None
        self._trees[stored or name] = root
        return root

    def events(self, name: str, text_tags: frozenset[str] = frozenset()) -> Iterator[tuple[str, Element]]:
        """Streaming ("start"|"end", element) pairs of a story part, in flat memory (safexml)."""
        with self.open(name) as fh:
            PARSES[self.find(name) or name] += 1
            try:
                yield from iter_events(fh, text_tags)
            except UnsafeXml:
                raise UnsafeXml(name) from None
            except MalformedXml as exc:
                raise PackageError(f"part {name} is not well-formed XML ({exc})") from None

    # -- OPC structure -----------------------------------------------------------------------
    def content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        """(defaults by extension, overrides by part name) from [Content_Types].xml."""
        if self._types is not None:
            return self._types
        if not self.has("[Content_Types].xml"):
            raise PackageError("[Content_Types].xml is missing")
        root = self.xml("[Content_Types].xml")
        defaults = {e.get("Extension", "").lower(): e.get("ContentType", "") for e in root.iter(f"{{{CT_NS}}}Default")}
        overrides = {
            e.get("PartName", "").lstrip("/").lower(): e.get("ContentType", "") for e in root.iter(f"{{{CT_NS}}}Override")
        }
        self._types = (defaults, overrides)
        return self._types

    def content_type(self, part: str) -> str:
        defaults, overrides = self.content_types()
        key = part.lstrip("/").lower()
        return overrides.get(key) or defaults.get(posixpath.splitext(key)[1].lstrip("."), "")

    def rels_name(self, source: str) -> str:
        folder, base = posixpath.split(source.lstrip("/"))
        return posixpath.join(folder, "_rels", base + ".rels")

    def relationships(self, source: str) -> list[Relationship]:
        """The relationships of part `source` ("" for the package itself)."""
        if source in self._rels:
            return list(self._rels[source])
        rels = "_rels/.rels" if not source else self.rels_name(source)
        if not self.has(rels):
            return []
        root = self.xml(rels)
        out = []
        for e in root.iter(f"{{{REL_NS}}}Relationship"):
            target = e.get("Target", "")
            external = e.get("TargetMode", "") == "External"
            if not external:
                target = resolve(source, target)
            out.append(Relationship(source, e.get("Id", ""), strict.rel_type(e.get("Type", "")), target, external))
        self._rels[source] = out
        return list(out)

    def all_relationships(self) -> list[Relationship]:
        """Relationships of every part that has a .rels (the count is bounded by max_parts)."""
        out = []
        for name in self.names:
            low = name.lower()
            if not low.endswith(".rels"):
                continue
            folder, base = posixpath.split(name)
            if posixpath.basename(folder) != "_rels":
                continue
            source = posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])
            out.extend(self.relationships("" if name.lower() == "_rels/.rels" else source))
        return out

    def main_document(self) -> str | None:
        for rel in self.relationships(""):
            if rel.type == OFFICE_DOCUMENT and not rel.external and self.has(rel.target):
                return self.find(rel.target)
        return self.find("word/document.xml")


def resolve(source: str, target: str) -> str:
    """The part name a relative target of `source`'s relationship points at."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    base = posixpath.dirname(source.lstrip("/"))
    return posixpath.normpath(posixpath.join(base, target)).lstrip("/")


class _Capped:
    """A part stream that charges every inflated byte to the package's budget."""

    def __init__(self, raw: IO[bytes], pkg: Package, name: str) -> None:
        self._raw, self._pkg, self._name = raw, pkg, name
        self._done = 0

    def read(self, n: int = -1) -> bytes:
        n = CHUNK if n is None or n < 0 or n > CHUNK else n
        try:
            data = self._raw.read(n)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as exc:  # bad CRC, truncation
            raise PackageError(f"part {self._name} is damaged ({exc})") from None
        self._done += len(data)
        self._pkg._spend(self._done, self._name)
        return data

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> "_Capped":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_package(path: Path, limits: Limits) -> Package:
    return Package(path, limits)
