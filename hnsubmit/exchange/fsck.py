"""The blob store's consistency check (`hnsubmit admin fsck`): every blob file re-hashed against its
name, every recorded blob looked for, files nobody refers to listed, and the submissions that name a
damaged or missing blob named; with `repair`, damaged files are quarantined (they then count as
missing, and the unit's next push uploads them again).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Callable

from hnsubmit.exchange.context import Exchange
from hnsubmit.exchange.store.storage import SubmissionFilter

Progress = Callable[[int, int, str], None]  # (bytes hashed, bytes in all, digest being hashed)
_CHUNK = 1 << 20


@dataclass
class Damaged:
    digest: str
    actual: str  # what the file hashes to
    size: int  # bytes on disk
    expected_size: int | None  # recorded when the blob was verified


@dataclass
class FsckReport:
    checked: int = 0
    checked_bytes: int = 0
    damaged: list[Damaged] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # recorded (held by a unit or named by a submission), no file
    unreferenced: list[str] = field(default_factory=list)  # a file no unit holds and no submission names
    affected: dict[str, list[str]] = field(default_factory=dict)  # digest → submission ids naming it
    quarantined: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not self.damaged and not self.missing

    def to_dict(self) -> dict:
        return {
            "sound": self.sound, "checked": self.checked, "checked_bytes": self.checked_bytes,
            "damaged": [d.__dict__ for d in self.damaged], "missing": self.missing,
            "unreferenced": self.unreferenced, "affected": self.affected, "quarantined": self.quarantined,
        }


def _submission_files(ex: Exchange) -> dict[str, list[tuple[str, int]]]:
    """digest → [(submission id, declared size)] over every submission."""
    out: dict[str, list[tuple[str, int]]] = {}
    offset = 0
    while True:
        items, total = ex.storage.list_submissions(SubmissionFilter(limit=1000, offset=offset))
        for s in items:
            try:
                manifest = json.loads(s.manifest_json)
                files = (manifest.get("files") or []) + (manifest.get("renditions") or [])  # channel copies too
            except ValueError:
                continue
            for f in files:
                if isinstance(f, dict) and isinstance(f.get("digest"), str):
                    out.setdefault(f["digest"], []).append((s.submission_id, f.get("size")))
        offset += len(items)
        if not items or offset >= total:
            return out


def _hash(ex: Exchange, digest: str, done: int, total: int, progress: Progress | None) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    with ex.blobs.open(digest) as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
            n += len(chunk)
            if progress is not None:
                progress(min(done + n, total), total, digest)
    return "sha256:" + h.hexdigest(), n


def fsck(ex: Exchange, repair: bool = False, progress: Progress | None = None) -> FsckReport:
    report = FsckReport()
    held: dict[str, int] = {}
    for _unit, digest, size in ex.storage.blob_refs():
        held.setdefault(digest, size)
    named = _submission_files(ex)
    on_disk = {d: ex.blobs.size(d) or 0 for d in ex.blobs.digests()}
    total = sum(on_disk.values())
    done = 0
    for digest, size in on_disk.items():
        try:
            actual, n = _hash(ex, digest, done, total, progress)
        except FileNotFoundError:  # gone while we looked (a concurrent repair): it is looked for below
            continue
        done += size
        report.checked += 1
        report.checked_bytes += n
        expected = held.get(digest)
        if actual != digest or (expected is not None and n != expected):
            report.damaged.append(Damaged(digest, actual, n, expected))
            if repair and ex.blobs.quarantine(digest) is not None:
                report.quarantined.append(digest)
        elif digest not in held and digest not in named:
            report.unreferenced.append(digest)
    damaged = {d.digest for d in report.damaged}
    report.missing = sorted(d for d in {*held, *named} if d not in on_disk and ex.blobs.size(d) is None)
    for digest in sorted(damaged | set(report.missing)):
        ids = sorted({sid for sid, _size in named.get(digest, ())})
        if ids:
            report.affected[digest] = ids
    if progress is not None:
        progress(total, total, "")
    return report
