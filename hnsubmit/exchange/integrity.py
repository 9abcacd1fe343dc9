"""What the server re-checks before it trusts a blob on its own disk: the file is there with the size it
had when verified, and a download's bytes hash to its digest. A blob that fails is quarantined (moved
aside, never served again) and counts as missing, so the next upload of it repairs the store.
"""

from __future__ import annotations

import hashlib
import logging
import os
from typing import BinaryIO, Iterator

from hnsubmit.exchange.context import Exchange

log = logging.getLogger("hnsubmit.exchange")
CHUNK = 1 << 20


def intact(ex: Exchange, digest: str, size: int) -> bool:
    """The blob file exists with the size recorded when it was verified (a cheap check, no hashing)."""
    return ex.blobs.size(digest) == size


def intact_sizes(ex: Exchange, unit: str, digests: list[str]) -> dict[str, int]:
    """Of `digests`, those the unit holds whose file is intact, with their sizes."""
    return {d: n for d, n in ex.storage.held_sizes(unit, digests).items() if intact(ex, d, n)}


def quarantine(ex: Exchange, digest: str, why: str, inode: int | None = None) -> None:
    moved = ex.blobs.quarantine(digest, inode)
    log.error("blob %s is damaged on disk (%s): %s", digest, why,
              f"moved to {moved}; it counts as missing until uploaded again" if moved
              else "it was gone or replaced already")


class Damaged(Exception):
    """The bytes read do not hash to the digest; the blob was quarantined."""


def verified_chunks(ex: Exchange, digest: str, f: BinaryIO, size: int) -> Iterator[bytes]:
    """The file's bytes, hashed as they go. The last chunk is held back until the whole file has
    hashed right, so a damaged blob never reaches the reader complete: on a mismatch the blob is
    quarantined and Damaged raised instead of the last chunk."""
    h = hashlib.sha256()
    total = 0
    held: bytes | None = None
    # quarantine this file, not a repaired one renamed in meanwhile (an object store's reader names its ETag)
    inode = f.identity if hasattr(f, "identity") else os.fstat(f.fileno()).st_ino
    try:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            total += len(chunk)
            if held is not None:
                yield held
            held = chunk
    finally:
        f.close()
    actual = "sha256:" + h.hexdigest()
    if actual != digest or total != size:
        quarantine(ex, digest, f"read {total} bytes hashing to {actual}", inode)
        raise Damaged(digest)
    if held is not None:
        yield held
