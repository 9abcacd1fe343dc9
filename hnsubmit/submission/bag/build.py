"""`pack`: check a submission folder, then build its BagIt bag (bagit library, SHA-256 manifest,
bag-info.txt from submission.toml) in a temporary folder and serialise it as a deterministic zip."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import bagit

from hnsubmit.errors import ExitCode, HnsubmitError, UsageError
from hnsubmit.rules.findings import Report
from hnsubmit.submission.bag import verify as _verify  # noqa: F401  (gives bagit's logger a handler: the library never prints)
from hnsubmit.submission.bag.baginfo import bag_info_for
from hnsubmit.submission.bag.layout import PAYLOAD
from hnsubmit.submission.bag.zipwrite import write_zip
from hnsubmit.submission.files import SUBMISSION_FILE, path_problem
from hnsubmit.submission.manifest import FileDigest
from hnsubmit.submission.manifest import hash_file as _sha256
from hnsubmit.submission.model import Submission
from hnsubmit.submission.renditions import planned

_MAKE_BAG = threading.Lock()


class PackageRefused(HnsubmitError):
    """`check` found errors in the folder: no package is written (exit 1)."""

    exit_code = ExitCode.CHECK_FAILED

    def __init__(self, report: Report, path: str) -> None:
        errors = sum(1 for f in report.findings if f.severity.value == "error")
        super().__init__(
            "No package was written: the check found problems in {path} ({errors} errors)",
            hint="Correct them (`hnsubmit fix` repairs many), then pack again",
            path=path,
            errors=errors,
        )
        self.report = report


class PackageWriteError(UsageError):
    """The output cannot be written (no permission, disk full): exit 2, nothing half-written is left."""


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    sha256: str  # "sha256:<hex>" of the zip
    size: int
    files: list[FileDigest]  # the listed files, paths relative to the folder (= to the bag's data/)
    submission: Submission
    report: Report | None = None  # the check that let it through (warnings and infos may remain)
    renditions: list[FileDigest] = field(default_factory=list)  # renditions/wechat/ files packed beside them


def paths_to_check(directory: Path, sub: Submission | None) -> list[Path]:
    """What `pack` checks: submission.toml and every file it lists (ignored files stay out)."""
    paths = [directory / SUBMISSION_FILE]
    for entry in sub.files if sub else ():
        target = directory / entry.path
        if path_problem(entry.path) is None and (target.exists() or target.is_symlink()):
            paths.append(target)
    # WeChat renditions are checked like originals (a video's MP4 by WCH008, through submission.toml)
    paths += [directory / r for r in rendition_paths(directory, sub) if not r.endswith(".mp4")]
    return paths


def rendition_paths(directory: Path, sub: Submission | None) -> list[str]:
    """The renditions/wechat/ files of a WeChat item that `fix --channel wechat` has made."""
    return [r.path for r in planned(sub) if (directory / r.path).is_file() and not (directory / r.path).is_symlink()]


def check_target(directory: Path, out: Path) -> None:
    """UsageError for a folder without submission.toml or a package that would land inside the folder."""
    if not (directory / SUBMISSION_FILE).is_file():
        raise UsageError("{path} has no submission.toml", hint="Create one with `hnsubmit new news {path}`", path=str(directory))
    if out.resolve().is_relative_to(directory.resolve()):
        raise UsageError("The package {out} would be written inside the folder it packs", hint="Write it beside the folder, e.g. -o {path}.zip", out=str(out), path=str(directory))


def write_package(directory: Path, out: Path, sub: Submission, report: Report | None = None) -> PackageInfo:
    """Write the checked folder's package to `out` (atomically); `report` is the check that let it through.

    `hnsubmit.checks.pack.build_package` checks first and is what commands call."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".hnsubmit-pack-", dir=out.parent))
    except OSError as exc:
        raise PackageWriteError("The package {out} cannot be written: {reason}", out=str(out), reason=exc.strerror or str(exc)) from None
    try:
        files = _make_bag(directory, sub, work / "bag")
        tmp_zip = work / "package.zip"
        at = sub.approved_at_local()
        stamp = at.timetuple()[:6] if at else (1980, 1, 1, 0, 0, 0)
        names = [p.relative_to(work / "bag").as_posix() for p in sorted((work / "bag").rglob("*")) if p.is_file()]
        write_zip(tmp_zip, work / "bag", names, stamp)
        digest, size = _sha256(tmp_zip)
        os.replace(tmp_zip, out)
    except (OSError, bagit.BagError) as exc:  # disk full, a file vanished or became unreadable after the check
        reason = getattr(exc, "strerror", None) or str(exc)
        raise PackageWriteError("The package {out} cannot be written: {reason}", out=str(out), reason=reason) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    listed = {e.path for e in sub.files}
    return PackageInfo(out, digest, size, [f for f in files if f.path in listed], sub, report,
                       [f for f in files if f.path not in listed])


def _make_bag(directory: Path, sub: Submission, bag_dir: Path) -> list[FileDigest]:

    renditions = rendition_paths(directory, sub)
    for rel in [SUBMISSION_FILE] + [e.path for e in sub.files] + renditions:
        src, dst = directory / rel, bag_dir / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dst)  # same file system: no copy of a 500 MB video; bagit only reads it
        except OSError:
            shutil.copyfile(src, dst)
    # make_bag changes the process's working directory while it runs (bagit 1.x): one at a time,
    # and code in other threads must not rely on relative paths meanwhile.
    with _MAKE_BAG:
        bagit.make_bag(str(bag_dir), bag_info_for(sub), processes=1, checksums=["sha256"])
    _sort_tagmanifest(bag_dir / "tagmanifest-sha256.txt")
    bag = bagit.Bag(str(bag_dir))
    bag.validate(processes=1, completeness_only=True)
    files = []
    for rel in [e.path for e in sub.files] + renditions:
        digest = bag.entries[PAYLOAD + rel]["sha256"]
        files.append(FileDigest(rel, (directory / rel).stat().st_size, "sha256:" + digest))
    return files


def _sort_tagmanifest(path: Path) -> None:
    # bagit lists tag files in os.listdir order, which differs between file systems.
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.sort(key=lambda line: line.split(" ", 1)[1] if " " in line else line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

