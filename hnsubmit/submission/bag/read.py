"""Open a package safely: check every entry name and size before extracting anything, extract into
a private temporary folder, validate the bag, and load its submission.toml."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hnsubmit.rules.findings import Finding, Location, finding
from hnsubmit.submission.bag import extract as ex
from hnsubmit.submission.bag.baginfo import check_bag_info
from hnsubmit.submission.bag.eocd import declared_entries
from hnsubmit.submission.bag.layout import MANIFEST, PAYLOAD, SUBMISSION, bag_prefix
from hnsubmit.submission.bag.names import name_problems
from hnsubmit.submission.bag.verify import open_bag, verify_bag
from hnsubmit.policy.model import Policy, default_policy
from hnsubmit.submission.manifest import FileDigest
from hnsubmit.submission.model import Submission


@dataclass
class PackageContents:
    """An extracted, validated package.  `with contents:` (or `.close()`) removes the folder."""

    dir: Path  # the bag: bagit.txt, bag-info.txt, manifests, data/
    payload: Path  # dir / "data": submission.toml and the listed files
    submission: Submission | None
    files: list[FileDigest]  # every payload file but submission.toml, digests from the manifest
    bag_info: dict[str, Any] = field(default_factory=dict)
    entry_prefix: str = ""  # "" or "NAME/" when the bag sits in a top-level folder of the zip
    _tmp: Path | None = None

    def close(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> "PackageContents":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_bag_zip(path: Path) -> bool:
    """A zip with bagit.txt at its top (or in its one top-level folder): a package, judged by PKG."""
    try:
        if declared_entries(path) > default_policy().package.max_entries:
            return True  # too many entries to list safely: treat as a package, PKG006 says why
        with zipfile.ZipFile(path) as zf:
            return bag_prefix(zf.namelist()) is not None
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError, EOFError):
        return False


def _reason(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def open_package(zip_path: str | Path, policy: Policy | None = None, *, display: str | None = None) -> tuple[PackageContents | None, list[Finding]]:
    """Extract and validate a package.  Returns (contents, PKG findings); contents is None when the
    zip is unsafe, unreadable or not a valid bag.  The SUB and format findings of the payload come
    from `check` (the package validator runs it over every payload file)."""
    policy = policy or default_policy()
    limits = policy.package
    path = Path(zip_path)
    display = display or str(path)
    try:
        count = declared_entries(path)
    except (OSError, ValueError) as exc:
        return None, [finding("PKG001", display, reason=_reason(f"不是有效的 ZIP 文件:{exc}", f"not a valid ZIP file: {exc}"))]
    if count > limits.max_entries:
        reason = _reason(f"有 {count} 个条目,上限 {limits.max_entries}", f"it has {count} entries; the limit is {limits.max_entries}")
        return None, [finding("PKG006", display, reason=reason)]
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError, EOFError) as exc:
        return None, [finding("PKG001", display, reason=_reason(f"不是有效的 ZIP 文件:{exc}", f"not a valid ZIP file: {exc}"))]
    with zf:
        return _open(zf, display, policy)


def _open(zf: zipfile.ZipFile, display: str, policy: Policy) -> tuple[PackageContents | None, list[Finding]]:
    limits = policy.package
    infos = zf.infolist()
    findings: list[Finding] = []
    for p in name_problems(infos):
        findings.append(finding(p.code, display, Location(part=p.name), reason=p.reason))
    for p in ex.size_problems(infos, limits) + ex.entry_problems(infos):
        findings.append(finding(p.code, display, Location(part=p.name or None), reason=p.reason))
    if findings:
        return None, findings  # nothing is extracted from a hostile or broken zip
    prefix = bag_prefix([i.filename for i in infos])
    if prefix is None:
        return None, [finding("PKG001", display, reason=_reason("没有 bagit.txt,不是 BagIt 报送包", "there is no bagit.txt; it is not a BagIt package"))]
    tmp = Path(tempfile.mkdtemp(prefix="hnsubmit-package-"))
    try:
        bag_dir = tmp / "bag"
        bag_dir.mkdir()
        problems = ex.extract(zf, infos, prefix, bag_dir, limits)
        if problems:
            shutil.rmtree(tmp, ignore_errors=True)
            return None, [finding(p.code, display, Location(part=p.name or None), reason=p.reason) for p in problems]
        contents, findings = _validate(bag_dir, display, prefix, policy)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if contents is None:
        shutil.rmtree(tmp, ignore_errors=True)
        return None, findings
    contents._tmp = tmp
    return contents, findings


def _validate(bag_dir: Path, display: str, prefix: str, policy: Policy) -> tuple[PackageContents | None, list[Finding]]:
    from hnsubmit.submission.load import load_submission

    bag, findings = open_bag(bag_dir, display)
    if bag is None:
        return None, findings
    findings += verify_bag(bag, display, prefix)
    payload = bag_dir / PAYLOAD.rstrip("/")
    submission = None
    if (bag_dir / SUBMISSION).is_file():
        submission, _ = load_submission(payload, display=f"{display}!{prefix}{SUBMISSION}", policy=policy)
    else:
        findings.append(finding("PKG011", display, Location(part=f"{prefix}{SUBMISSION}")))
    findings += check_bag_info(bag.info, submission, display)
    files = []
    for rel, hashes in sorted(bag.entries.items()):
        if not rel.startswith(PAYLOAD) or rel == SUBMISSION or "sha256" not in hashes:
            continue
        target = bag_dir / rel
        size = target.stat().st_size if target.is_file() else 0
        files.append(FileDigest(rel[len(PAYLOAD):], size, "sha256:" + hashes["sha256"].lower()))
    contents = PackageContents(bag_dir, payload, submission, files, dict(bag.info), prefix)
    return contents, findings


__all__ = ["PackageContents", "open_package", "is_bag_zip", "MANIFEST"]
