"""Validate an extracted bag with the bagit library and turn what fails into PKG findings, one per
file: checksum mismatches (PKG007), files missing from or unknown to the manifest (PKG008)."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import bagit

from hnsubmit.rules.findings import Finding, Location, finding

# The library never prints: without a handler, bagit's warnings would reach stderr (logging's lastResort).
logging.getLogger("bagit").addHandler(logging.NullHandler())
CHUNK = 1024 * 1024


def _reason(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def open_bag(bag_dir: Path, display: str) -> tuple[bagit.Bag | None, list[Finding]]:
    try:
        bag = bagit.Bag(str(bag_dir))
    except bagit.BagError as exc:
        return None, [finding("PKG001", display, reason=_reason(f"bagit 库报告“{exc}”", f"bagit says '{exc}'"))]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return None, [finding("PKG001", display, reason=_reason(f"标签文件无法读取({exc})", f"a tag file cannot be read ({exc})"))]
    return bag, []


def verify_bag(bag: bagit.Bag, display: str, entry_prefix: str) -> list[Finding]:
    """Every way the bag fails, located at `display!<entry_prefix><path>`."""
    out: list[Finding] = []
    if "sha256" not in bag.algorithms:
        have = ", ".join(bag.algorithms) or "-"
        out.append(finding("PKG009", display, Location(part="manifest-*.txt"), algorithms=have))
    fetch = (Path(bag.path) / "fetch.txt").exists()
    if fetch:
        out.append(finding("PKG001", display, Location(part="fetch.txt"), reason=_reason("含有 fetch.txt(要求从网络下载文件),报送包须自带全部文件", "it has a fetch.txt (files to download); a package must carry all its files")))
    try:
        bag.validate(processes=1)
        return out
    except bagit.BagValidationError as exc:
        details = list(exc.details) or _locate(bag)
        if not details:
            out.append(finding("PKG001", display, reason=_reason(f"校验未通过(bagit 库报告“{exc.message}”)", f"validation failed (bagit says '{exc.message}')")))
        for d in details:
            out.append(_detail(d, display, entry_prefix))
    except bagit.BagError as exc:
        out.append(finding("PKG001", display, reason=_reason(f"bagit 库报告“{exc}”", f"bagit says '{exc}'")))
    except ValueError as exc:
        # bagit parses fetch.txt before the payload and raises plain ValueError/UnicodeDecodeError on a
        # line without three fields or bytes that are not UTF-8; that fetch.txt is already refused above.
        if not fetch:
            out.append(finding("PKG001", display, reason=_reason(f"标签文件无法解析({type(exc).__name__})", f"a tag file cannot be parsed ({type(exc).__name__})")))
    return out


def _detail(d: bagit.BagError, display: str, prefix: str) -> Finding:
    path = f"{display}!{prefix}{getattr(d, 'path', '')}"
    if isinstance(d, bagit.ChecksumMismatch):
        return finding("PKG007", path, algorithm=d.algorithm, expected=d.expected, found=d.found)
    if isinstance(d, bagit.FileMissing):
        return finding("PKG008", path, reason=_reason("清单中列出,但包中没有这个文件", "listed in the manifest but not in the package"))
    if isinstance(d, bagit.UnexpectedFile):
        return finding("PKG008", path, reason=_reason("包中有这个文件,但清单中没有", "in the package but not in the manifest"))
    return finding("PKG001", display, reason=_reason(f"校验未通过(bagit 库报告“{d}”)", f"validation failed (bagit says '{d}')"))


def _locate(bag: bagit.Bag) -> list[bagit.BagError]:
    """bagit stops at a wrong Payload-Oxum without naming a file; find the files that make it wrong."""
    only_in_manifest, only_on_disk = bag.compare_manifests_with_fs()
    found: list[bagit.BagError] = [bagit.FileMissing(p) for p in only_in_manifest]
    found += [bagit.UnexpectedFile(p) for p in only_on_disk]
    if found:
        return found
    for rel, hashes in bag.entries.items():
        for alg, expected in hashes.items():
            if alg not in hashlib.algorithms_available:
                continue
            actual = _hash(Path(bag.path) / rel, alg)
            if actual is not None and actual != expected.lower():
                found.append(bagit.ChecksumMismatch(rel, alg, expected.lower(), actual))
    return found


def _hash(path: Path, alg: str) -> str | None:
    h = hashlib.new(alg)
    try:
        with open(path, "rb") as fh:
            while block := fh.read(CHUNK):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()
