"""Blob bytes on the local disk: upload sessions as `.part` files, finished blobs named by digest.

Writes are atomic (the staged file is fsynced, then renamed into place, then the directory is
fsynced), so a crash never leaves a half-written blob under a digest's name. The folder is the
server's alone: directories 0700, files 0600. A blob found damaged is moved to `quarantine/`, never
deleted, so the office can look at it.
"""

from __future__ import annotations

import hashlib
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Iterator

_ID = re.compile(r"^u_[0-9a-f]{32}$")
_DIGEST = re.compile(r"^sha256:([0-9a-f]{64})$")
_HEX = re.compile(r"^[0-9a-f]{64}$")
DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) and make it readable by the server's user only."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    os.chmod(path, DIR_MODE)
    return path


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # directories cannot be opened on Windows; rename is still atomic there
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _FileAppender:
    def __init__(self, path: Path, offset: int) -> None:
        self._start = offset
        # unbuffered: a full disk fails the write that meets it (and abort's truncate flushes nothing)
        self._file = os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE), "r+b", buffering=0)
        length = self._file.seek(0, os.SEEK_END)
        if length < offset:
            self._file.close()
            raise ValueError("staged bytes are shorter than the recorded offset")
        # bytes past the recorded offset were never committed (a crash between write and commit)
        self._file.truncate(offset)
        self._file.seek(offset)

    def write(self, chunk: bytes) -> None:
        view = memoryview(chunk)
        while view:  # an unbuffered write may take only part of the chunk
            view = view[self._file.write(view):]

    def commit(self) -> int:
        self._file.flush()
        os.fsync(self._file.fileno())
        end = self._file.tell()
        self._file.close()
        return end

    def abort(self) -> None:
        try:
            self._file.truncate(self._start)
        finally:
            self._file.close()


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.staging = self.root / "uploads"
        self.blobs = self.root / "blobs" / "sha256"
        self.quarantined = self.root / "quarantine"
        for folder in (self.root, self.staging, self.root / "blobs", self.blobs):
            private_dir(folder)

    def _staged(self, upload_id: str) -> Path:
        if not _ID.match(upload_id):  # ids come from our database, but never trust a path part
            raise ValueError("bad upload id")
        return self.staging / f"{upload_id}.part"

    def _blob(self, digest: str) -> Path:
        m = _DIGEST.match(digest)
        if not m:
            raise ValueError("bad digest")
        hexd = m.group(1)
        return self.blobs / hexd[:2] / hexd

    def start(self, upload_id: str) -> None:
        os.close(os.open(self._staged(upload_id), os.O_WRONLY | os.O_CREAT, FILE_MODE))

    def appender(self, upload_id: str, offset: int) -> _FileAppender:
        return _FileAppender(self._staged(upload_id), offset)

    def staged_length(self, upload_id: str) -> int:
        try:
            return self._staged(upload_id).stat().st_size
        except FileNotFoundError:
            return 0

    def finish(self, upload_id: str, digest: str) -> tuple[str, int]:
        """Hash the staged bytes; if they match `digest`, move them into place.  Returns (actual, size)."""
        staged = self._staged(upload_id)
        h = hashlib.sha256()
        size = 0
        with open(staged, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
                size += len(chunk)
            os.fsync(f.fileno())
        actual = "sha256:" + h.hexdigest()
        if actual != digest:
            staged.unlink(missing_ok=True)
            return actual, size
        final = self._blob(digest)
        # Stored already (another unit, an earlier session) or not, the verified bytes replace the
        # copy in place: the same work on both paths, so the time to finish tells a unit nothing of
        # what others hold, and a copy damaged on disk since is repaired by the next upload.
        private_dir(final.parent)
        os.replace(staged, final)
        _fsync_dir(final.parent)
        return actual, size

    def discard(self, upload_id: str) -> None:
        self._staged(upload_id).unlink(missing_ok=True)

    def has(self, digest: str) -> bool:
        return self._blob(digest).exists()

    def size(self, digest: str) -> int | None:
        try:
            return self._blob(digest).stat().st_size
        except FileNotFoundError:
            return None

    def read(self, digest: str, chunk_size: int = 1 << 16) -> Iterator[bytes]:
        with open(self._blob(digest), "rb") as f:
            while chunk := f.read(chunk_size):
                yield chunk

    def open(self, digest: str) -> BinaryIO:
        """The blob's file, for a reader that checks the bytes as it goes (FileNotFoundError if gone)."""
        return open(self._blob(digest), "rb")

    def digests(self) -> Iterator[str]:
        """Every blob file's digest (by its name), for the consistency check; strays are skipped."""
        for sub in sorted(self.blobs.iterdir()):
            if sub.is_dir() and len(sub.name) == 2:
                for f in sorted(sub.iterdir()):
                    if _HEX.match(f.name) and f.name[:2] == sub.name and f.is_file():
                        yield "sha256:" + f.name

    def quarantine(self, digest: str, inode: int | None = None) -> Path | None:
        """Move a damaged blob aside (kept for the office, never served); None if it was gone already,
        or if `inode` is given and the file in place is another one (a repairing upload replaced it)."""
        src = self._blob(digest)
        private_dir(self.quarantined)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        dst = self.quarantined / f"{digest.split(':', 1)[1]}.{stamp}"
        try:
            if inode is not None and src.stat().st_ino != inode:
                return None
            os.replace(src, dst)
        except FileNotFoundError:
            return None
        _fsync_dir(src.parent)
        return dst
