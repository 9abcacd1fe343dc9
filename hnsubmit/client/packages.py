"""Packages as push sees them: pack a folder, read a package's manifest once, stream a file from the zip.

A blob is read straight from the outbox's zip copy (no extraction), seeking to the server's offset,
so a resumed 500 MB video costs neither a second copy on disk nor a re-read into memory.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable

from hnsubmit.errors import RefusedError, UsageError

if TYPE_CHECKING:
    from hnsubmit.policy.model import Policy


@dataclass(frozen=True)
class PlannedBlob:
    digest: str
    size: int
    path: str  # the file's path in the submission (and in the package's data/)


def pack_folder(folder: Path, outdir: Path, policy: "Policy") -> tuple[Path, dict[str, Any]]:
    """Build the folder's package into outdir (PackageRefused, exit 1, when check finds errors); (zip, manifest)."""
    from hnsubmit.checks.pack import build_package
    from hnsubmit.submission.manifest import build_manifest

    outdir.mkdir(parents=True, exist_ok=True)
    name = Path(folder).resolve().name or "submission"
    target = outdir / f"{name}.zip"
    n = 1
    while target.exists():  # two folders with the same name in one push
        n += 1
        target = outdir / f"{name}-{n}.zip"
    info = build_package(folder, target, policy)
    return Path(info.path), build_manifest(info.submission, info.files, info.renditions)


def read_manifest(package: Path, policy: "Policy | None" = None) -> dict[str, Any]:
    """Open and verify the package (BagIt checksums, PKG rules) and build the manifest to post."""
    from hnsubmit.submission.bag.read import open_package
    from hnsubmit.submission.manifest import build_manifest

    contents, findings = open_package(Path(package), policy, display=Path(package).name)
    if contents is None:
        codes = ", ".join(sorted({f.code for f in findings})) or "-"
        raise RefusedError("The package {path} cannot be sent: {codes}.", path=Path(package).name, codes=codes)
    with contents:
        if contents.submission is None:
            raise RefusedError("The package {path} holds no valid submission.toml.", path=Path(package).name)
        return build_manifest(contents.submission, contents.files)


def blobs_of(manifest: dict[str, Any]) -> list[PlannedBlob]:
    """Every blob the manifest names: its files, then its channel renditions (uploaded the same way)."""
    entries = [*manifest.get("files", []), *manifest.get("renditions", [])]
    return [PlannedBlob(str(f["digest"]), int(f["size"]), str(f["path"])) for f in entries]


def read_package(package: Path) -> tuple[dict[str, Any], list[PlannedBlob]]:
    manifest = read_manifest(package)
    return manifest, blobs_of(manifest)


def _member(zf: zipfile.ZipFile, path: str) -> zipfile.ZipInfo:
    """The payload entry of `path`: <bag prefix>data/<path> (package/layout.py)."""
    from hnsubmit.submission.bag.layout import PAYLOAD, bag_prefix

    prefix = bag_prefix(zf.namelist())
    if prefix is None:
        raise UsageError("{path} is not a BagIt bag.", path=str(zf.filename))
    try:
        return zf.getinfo(f"{prefix}{PAYLOAD}{path}")
    except KeyError:
        raise UsageError("The package has no file {path}.", path=path) from None


class _ZipStream:
    """One zip member, readable from an offset; closing it closes the zip file too."""

    def __init__(self, package: Path, path: str, offset: int) -> None:
        self.zf = zipfile.ZipFile(package)
        try:
            self.fh = self.zf.open(_member(self.zf, path))
            if offset:
                self.fh.seek(offset)
        except BaseException:
            self.zf.close()
            raise

    def read(self, n: int = -1) -> bytes:
        return self.fh.read(n)

    def close(self) -> None:
        self.fh.close()
        self.zf.close()


def blob_opener(package: Path, path: str) -> Callable[[int], IO[bytes]]:
    """opener(offset) for client.upload_blob: the member's bytes from `offset` on."""

    def open_at(offset: int) -> IO[bytes]:
        return _ZipStream(Path(package), path, offset)  # type: ignore[return-value]

    return open_at
