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
from typing import BinaryIO, Callable, Iterator

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


# Written upload bytes are let go of the page cache as the upload goes: every LET_GO bytes the range
# written so far is handed to the kernel with POSIX_FADV_DONTNEED, which starts its writeback (so the
# fsync that commits a chunk finds little left to write) and drops what an earlier call sent to disk
# already; after the commit's fsync the whole chunk goes. An upload then writes into pages it just gave
# back instead of taking a fresh GiB of page cache per GiB: on the benchmark's VM first-touching fresh
# page-cache pages cost ~3.4 s of CPU per GiB against ~0.4 s recycled (issue 19, P3a), and a big upload
# no longer pushes the database's pages out of the cache. A blob is seldom read soon after it arrives.
LET_GO = 8 << 20
_DONTNEED = getattr(os, "POSIX_FADV_DONTNEED", None)


def _let_go(fd: int, offset: int, length: int) -> None:
    if _DONTNEED is not None and length > 0:
        try:
            os.posix_fadvise(fd, offset, length, _DONTNEED)
        except OSError:  # advice only: a filesystem that refuses it keeps its pages
            pass


class _FileAppender:
    """Appends to a staged file, hashing as it writes: `running` is the SHA-256 of the committed prefix
    (None after a restart, when the prefix is read once and hashed again)."""

    def __init__(self, path: Path, offset: int, running: "tuple[object, int] | None" = None,
                 on_commit: "Callable[[object, int], None] | None" = None) -> None:
        self._start = offset
        self._on_commit = on_commit
        # unbuffered: a full disk fails the write that meets it (and abort's truncate flushes nothing)
        self._file = os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE), "r+b", buffering=0)
        length = self._file.seek(0, os.SEEK_END)
        if length < offset:
            self._file.close()
            raise ValueError("staged bytes are shorter than the recorded offset")
        # bytes past the recorded offset were never committed (a crash between write and commit)
        self._file.truncate(offset)
        if running is not None and running[1] == offset:
            self._hash = running[0].copy()
        else:
            self._hash = _hash_prefix(path, offset)
        self._file.seek(offset)
        self._end = offset  # bytes written so far
        self._let_go_from = self._let_go_mark = offset  # see LET_GO

    def write(self, chunk: bytes) -> None:
        view = memoryview(chunk)
        self._hash.update(view)
        while view:  # an unbuffered write may take only part of the chunk
            view = view[self._file.write(view):]
        self._wrote(len(chunk))

    def _wrote(self, count: int) -> None:
        self._end += count
        if self._end - self._let_go_mark >= LET_GO:
            # [from, mark) was handed over one round ago and is on disk by now; [mark, end) starts its way
            _let_go(self._file.fileno(), self._let_go_from, self._end - self._let_go_from)
            self._let_go_from, self._let_go_mark = self._let_go_mark, self._end

    def write_many(self, chunks: "list[bytes]") -> None:
        """Hash and write a batch of received pieces with one writev per 512 of them (no joining copy)."""
        fd = self._file.fileno()
        for i in range(0, len(chunks), 512):
            group = chunks[i:i + 512]
            for chunk in group:
                self._hash.update(chunk)
            total = sum(map(len, group))
            done = os.writev(fd, group) if hasattr(os, "writev") else 0
            if done < total:  # a short writev (or no writev): the rest one piece at a time
                rest = memoryview(b"".join(group))[done:]
                while rest:
                    rest = rest[os.write(fd, rest):]
            self._wrote(total)

    def commit(self) -> int:
        self._file.flush()
        os.fsync(self._file.fileno())
        end = self._file.tell()
        _let_go(self._file.fileno(), self._start, end - self._start)  # durable now: out of the cache
        self._file.close()
        if self._on_commit is not None:
            self._on_commit(self._hash, end)
        return end

    def abort(self) -> None:
        try:
            self._file.truncate(self._start)
        finally:
            self._file.close()


def _hash_prefix(path: Path, length: int):
    """SHA-256 of the first `length` bytes of `path`: the one read-back, after a restart or on a mismatch."""
    h = hashlib.sha256()
    if length == 0:
        return h
    left = length
    with open(path, "rb") as f:
        while left > 0 and (chunk := f.read(min(left, 1 << 20))):
            h.update(chunk)
            left -= len(chunk)
    return h


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.staging = self.root / "uploads"
        self.blobs = self.root / "blobs" / "sha256"
        self.quarantined = self.root / "quarantine"
        for folder in (self.root, self.staging, self.root / "blobs", self.blobs):
            private_dir(folder)
        # upload id -> (SHA-256 of the committed staged bytes, their length): kept in memory, so finish
        # reads nothing back; a restart loses it and the next append hashes the staged prefix once
        self._running: dict[str, tuple[object, int]] = {}

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
        self._running.pop(upload_id, None)

    def appender(self, upload_id: str, offset: int) -> _FileAppender:
        def committed(h, end: int) -> None:
            self._running[upload_id] = (h, end)

        return _FileAppender(self._staged(upload_id), offset, self._running.get(upload_id), committed)

    def staged_length(self, upload_id: str) -> int:
        try:
            return self._staged(upload_id).stat().st_size
        except FileNotFoundError:
            return 0

    def finish(self, upload_id: str, digest: str) -> tuple[str, int]:
        """Check the staged bytes' SHA-256 against `digest`; if they match, move them into place.
        Returns (actual, size). The digest is the one hashed while the bytes arrived, when it covers the
        whole staged file; otherwise (a restart in between, an empty blob) the file is read and hashed."""
        staged = self._staged(upload_id)
        running = self._running.pop(upload_id, None)
        fd = os.open(staged, os.O_RDONLY)
        try:
            size = os.fstat(fd).st_size
            os.fsync(fd)
        finally:
            os.close(fd)
        h = running[0] if running is not None and running[1] == size else _hash_prefix(staged, size)
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
        self._running.pop(upload_id, None)

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
