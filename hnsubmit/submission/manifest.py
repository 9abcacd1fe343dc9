"""The JSON manifest `push` posts (docs/protocol.md §4): metadata plus every listed file with its
role, path, digest, size and caption, serialised canonically so its digest is reproducible."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from hnsubmit.submission.model import Submission
from hnsubmit.submission.renditions import WIRE_KIND, planned

MANIFEST_VERSION = 1
CHUNK = 1024 * 1024  # hashing streams: a 500 MB video never sits in memory


@dataclass(frozen=True)
class FileDigest:
    path: str  # relative to the submission folder (the bag's data/), with "/"
    size: int
    digest: str  # "sha256:<64 hex>"


def hash_file(path: Path) -> tuple[str, int]:
    """("sha256:<hex>", size) of a file, read in chunks."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK):
            h.update(block)
            size += len(block)
    return "sha256:" + h.hexdigest(), size


def digest_files(directory: str | Path, submission: Submission) -> list[FileDigest]:
    """Digests of the listed files of a submission folder (for a push without a package)."""
    root = Path(directory)
    out = []
    for entry in submission.files:
        digest, size = hash_file(root / entry.path)
        out.append(FileDigest(entry.path, size, digest))
    return out


def build_manifest(submission: Submission, files: Iterable[FileDigest],
                   renditions: Iterable[FileDigest] = ()) -> dict[str, Any]:
    """The manifest of `submission`; `files` must cover every listed file (KeyError otherwise).

    The channel renditions among `files` and `renditions` (renditions/wechat/, made by `fix --channel
    wechat` and packed with their checksums) are listed under `renditions`, each naming its original."""
    by_path = {f.path: f for f in [*files, *renditions]}
    entries = []
    for entry in submission.files:
        fd = by_path[entry.path]
        item: dict[str, Any] = {"path": entry.path, "role": entry.role, "digest": fd.digest, "size": fd.size}
        if entry.caption:
            item["caption"] = entry.caption
        entries.append(item)
    at = submission.approved_at_local()
    manifest: dict[str, Any] = {
        "manifest_version": MANIFEST_VERSION,
        "kind": submission.kind,
        "title": submission.title,
        "unit": submission.unit,
        "column": submission.column,
        "category": submission.category,
        "liaison": {"name": submission.liaison.name, "phone": submission.liaison.phone},
        "approval": {
            "approver": submission.approval.approver,
            "approved_at": at.isoformat(timespec="seconds") if at else None,
        },
        "channels": list(submission.channels),
        "files": entries,
    }
    # Optional fields are left out when empty rather than sent as null (the server takes absent = none).
    for key in ("source", "author", "summary", "source_url"):
        value = getattr(submission, key)
        if value:
            manifest[key] = value
    if submission.reprint:
        manifest["reprint"] = True
    for key in ("written", "expires"):
        value = getattr(submission, key)
        if value:
            manifest[key] = value.isoformat()
    made = [(r, by_path[r.path]) for r in planned(submission) if r.path in by_path]
    if made:  # absent, not empty, when there are none: a portal-only item's manifest is as before
        manifest["renditions"] = [{"channel": "wechat", "source": r.source, "path": r.path, "kind": WIRE_KIND[r.what],
                                   "digest": fd.digest, "size": fd.size} for r, fd in made]
    return manifest


def canonical_json(manifest: dict[str, Any]) -> bytes:
    """The exact bytes to post: sorted keys, no spaces, UTF-8 (the server digests the raw body)."""
    return json.dumps(manifest, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def manifest_digest(manifest: dict[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(manifest)).hexdigest()
