"""Blob bytes in an S3-compatible object store (MinIO, Ceph RGW, a 政务云's OSS/COS in S3 mode), via boto3.

Layout under the URL's prefix P, so several exchange instances share every session and every blob:

  P/blobs/sha256/ab/abcd…          a verified blob, named by its digest (the only keys ever served)
  P/uploads/<id>/state.json        an upload session: its multipart upload, the parts so far, the staged tail
  P/uploads/<id>/tail.<n>          bytes below S3's 5 MiB part minimum, staged until more arrive
  P/uploads/<id>/data              the assembled bytes between completing the multipart upload and the copy
  P/quarantine/<hex>.<time>        a blob found damaged, kept for the office

An append that leaves at least 5 MiB unsent becomes one part of the session's multipart upload; a smaller
remainder is staged as the tail object (a new key each time, named in state.json, so a crash between the two
writes never leaves the state pointing at other bytes). `finish` completes the multipart upload onto the
session's own `data` key, checks the SHA-256 (hashed while the bytes arrived when this instance saw them all,
else by reading `data` back once), and only then copies it under its digest, conditionally on the ETag of the
bytes it verified: an object store writes an object whole or not at all, so two instances finishing the same
blob each expose either nothing or the whole verified bytes, never a part.
"""

from __future__ import annotations

import errno
import hashlib
import json
import re
import threading
from datetime import datetime, timezone
from typing import BinaryIO, Iterator


_ID = re.compile(r"^u_[0-9a-f]{32}$")
_DIGEST = re.compile(r"^sha256:([0-9a-f]{64})$")
_HEX = re.compile(r"^[0-9a-f]{64}$")
MIN_PART = 5 << 20  # S3's minimum for every part but the last
MAX_BUFFER = 16 << 20  # an append sends a part whenever this much is waiting (memory per append)
COPY_LIMIT = 5 << 30
_EMPTY = "sha256:" + hashlib.sha256(b"").hexdigest()  # one CopyObject up to 5 GiB; larger objects are copied part by part


def _missing(exc: Exception) -> bool:
    code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
    return code in ("404", "NoSuchKey", "NoSuchUpload", "NotFound")


def _unavailable(exc: Exception) -> OSError:
    """The object store cannot be reached or refused us: the app answers 503 (try later), as for a read-only disk."""
    return OSError(errno.EIO, f"object store: {type(exc).__name__}: {str(exc)[:200]}")


class _State:
    def __init__(self, data: dict | None = None) -> None:
        data = data or {}
        self.mpu: str | None = data.get("mpu")
        self.parts: list[list] = data.get("parts", [])  # [part number, ETag, size]
        self.tail: str | None = data.get("tail")
        self.tail_len: int = data.get("tail_len", 0)
        self.gen: int = data.get("gen", 0)

    @property
    def length(self) -> int:
        return sum(p[2] for p in self.parts) + self.tail_len

    def dump(self) -> bytes:
        return json.dumps({"mpu": self.mpu, "parts": self.parts, "tail": self.tail, "tail_len": self.tail_len,
                           "gen": self.gen}).encode()


class _S3Appender:
    def __init__(self, store: "S3BlobStore", upload_id: str, offset: int) -> None:
        self.store, self.upload_id = store, upload_id
        # no state object yet: a session nothing was committed to (start writes nothing, one request saved)
        self.state = store._state(upload_id) or _State()
        if self.state.length != offset:
            # the database's offset and the staged bytes disagree (a crash between the two writes): the
            # caller asks staged_length and tells the client where to continue
            raise ValueError("staged bytes differ from the recorded offset")
        self.buffer = bytearray(store._tail_bytes(self.state))
        self.sent: list[list] = []  # parts sent by this append, counted only at commit
        running = store._running.get(upload_id)
        self._hash = running[0].copy() if running is not None and running[1] == offset else None

    def write(self, chunk: bytes) -> None:
        if self._hash is not None:
            self._hash.update(chunk)
        self.buffer += chunk
        if len(self.buffer) >= MAX_BUFFER:
            self._send_part()

    def _send_part(self) -> None:
        st = self.store
        if self.state.mpu is None:
            self.state.mpu = st._call(st.client.create_multipart_upload, Bucket=st.bucket,
                                      Key=st._key(self.upload_id, "data"))["UploadId"]
        number = len(self.state.parts) + len(self.sent) + 1
        body = bytes(self.buffer)
        etag = st._call(st.client.upload_part, Bucket=st.bucket, Key=st._key(self.upload_id, "data"),
                        UploadId=self.state.mpu, PartNumber=number, Body=body)["ETag"]
        self.sent.append([number, etag, len(body)])
        self.buffer = bytearray()

    def commit(self) -> int:
        st, state = self.store, self.state
        if len(self.buffer) >= MIN_PART:
            self._send_part()
        old_tail = state.tail
        state.parts = state.parts + self.sent
        state.gen += 1
        if self.buffer:
            state.tail = st._key(self.upload_id, f"tail.{state.gen}")
            st._call(st.client.put_object, Bucket=st.bucket, Key=state.tail, Body=bytes(self.buffer))
        else:
            state.tail = None
        state.tail_len = len(self.buffer)
        st._put_state(self.upload_id, state)  # the commit point: before it, the old state names the old bytes
        if old_tail and old_tail != state.tail:
            st._delete(old_tail)
        if self._hash is not None:
            st._running[self.upload_id] = (self._hash, state.length)
        else:
            st._running.pop(self.upload_id, None)
        return state.length

    def abort(self) -> None:
        # parts this append sent are not in the state: the next append overwrites their numbers
        self.buffer = bytearray()
        self.sent = []


class _Reader:
    """A blob's bytes streamed from the object store; `identity` (its ETag) stands for the file's inode."""

    def __init__(self, body, etag: str) -> None:
        self._body, self.identity = body, etag

    def read(self, n: int = -1) -> bytes:
        return self._body.read(n if n >= 0 else None)

    def close(self) -> None:
        self._body.close()

    def __enter__(self) -> "_Reader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class S3BlobStore:
    def __init__(self, bucket: str, prefix: str = "", endpoint: str | None = None, region: str | None = None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket, self.prefix = bucket, prefix
        self.location = f"s3://{bucket}/{prefix}"
        config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 4, "mode": "standard"},
                        # completing or copying a multi-GiB object answers only when done: minutes, not seconds
                        max_pool_connections=64, connect_timeout=10, read_timeout=900)
        # a boto3 client is safe to share between threads (a session is not)
        self.client = boto3.session.Session().client("s3", endpoint_url=endpoint, region_name=region,
                                                      config=config)
        self._running: dict[str, tuple[object, int]] = {}
        self._lock = threading.Lock()
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except Exception as exc:
            from hnsubmit.errors import ConfigError

            raise ConfigError("Cannot use the object store {url}: {problem}", url=self.location,
                              problem=str(exc)[:300]) from None

    # -- keys and calls ------------------------------------------------------------------------
    def _key(self, upload_id: str, name: str) -> str:
        if not _ID.match(upload_id):
            raise ValueError("bad upload id")
        return f"{self.prefix}/uploads/{upload_id}/{name}".lstrip("/")

    def _blob(self, digest: str) -> str:
        m = _DIGEST.match(digest)
        if not m:
            raise ValueError("bad digest")
        hexd = m.group(1)
        return f"{self.prefix}/blobs/sha256/{hexd[:2]}/{hexd}".lstrip("/")

    def _call(self, fn, **kwargs):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return fn(**kwargs)
        except ClientError as exc:
            if _missing(exc):
                raise FileNotFoundError(kwargs.get("Key", "")) from None
            raise _unavailable(exc) from None
        except BotoCoreError as exc:  # endpoint unreachable, timeouts after retries
            raise _unavailable(exc) from None

    def _delete(self, key: str) -> None:
        try:
            self._call(self.client.delete_object, Bucket=self.bucket, Key=key)
        except FileNotFoundError:
            pass

    def _state(self, upload_id: str) -> _State | None:
        try:
            body = self._call(self.client.get_object, Bucket=self.bucket, Key=self._key(upload_id, "state.json"))["Body"]
        except FileNotFoundError:
            return None
        return _State(json.loads(body.read()))

    def _put_state(self, upload_id: str, state: _State) -> None:
        self._call(self.client.put_object, Bucket=self.bucket, Key=self._key(upload_id, "state.json"), Body=state.dump())

    def _tail_bytes(self, state: _State) -> bytes:
        if not state.tail or not state.tail_len:
            return b""
        body = self._call(self.client.get_object, Bucket=self.bucket, Key=state.tail)["Body"].read()
        if len(body) < state.tail_len:
            raise ValueError("the staged tail is shorter than recorded")
        return body[: state.tail_len]

    # -- upload sessions -----------------------------------------------------------------------
    def start(self, upload_id: str) -> None:
        # nothing to write: a session without a state object is an empty one (the database has the session row)
        self._key(upload_id, "state.json")
        self._running.pop(upload_id, None)

    def appender(self, upload_id: str, offset: int) -> _S3Appender:
        return _S3Appender(self, upload_id, offset)

    def staged_length(self, upload_id: str) -> int:
        state = self._state(upload_id)
        return state.length if state is not None else 0

    def finish(self, upload_id: str, digest: str) -> tuple[str, int]:
        """Verify the session's bytes against `digest`, then make them visible under it; (actual, size).
        FileNotFoundError if the session is gone (finished by another instance, or discarded)."""
        state = self._state(upload_id)
        if state is None:
            if digest != _EMPTY:  # finished (or dropped) already, by this instance or another
                raise FileNotFoundError(upload_id)
            state = _State()  # an empty blob: nothing was ever committed
        running = self._running.pop(upload_id, None)
        size = state.length
        final = self._blob(digest)
        if state.mpu is None:
            # under 5 MiB: the staged tail is the whole blob, read once, hashed, written whole under its name
            body = self._tail_bytes(state)
            actual = "sha256:" + hashlib.sha256(body).hexdigest()
            if actual == digest:
                self._call(self.client.put_object, Bucket=self.bucket, Key=final, Body=body)
            self.discard(upload_id, state)
            return actual, size
        data = self._key(upload_id, "data")
        parts = list(state.parts)
        if state.tail_len:
            # the last part may be smaller than 5 MiB
            number = len(parts) + 1
            etag = self._call(self.client.upload_part, Bucket=self.bucket, Key=data, UploadId=state.mpu,
                              PartNumber=number, Body=self._tail_bytes(state))["ETag"]
            parts.append([number, etag, state.tail_len])
        try:
            self._call(self.client.complete_multipart_upload, Bucket=self.bucket, Key=data, UploadId=state.mpu,
                       MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e, _ in parts]})
        except FileNotFoundError:
            pass  # completed already by an earlier try whose answer was lost: `data` holds it
        head = self._call(self.client.head_object, Bucket=self.bucket, Key=data)
        etag = head["ETag"]
        if running is not None and running[1] == size:
            actual = "sha256:" + running[0].hexdigest()
        else:
            # another instance received some of the bytes, or this one restarted: read them back once
            h = hashlib.sha256()
            body = self._call(self.client.get_object, Bucket=self.bucket, Key=data, IfMatch=etag)["Body"]
            for chunk in body.iter_chunks(1 << 20):
                h.update(chunk)
            actual = "sha256:" + h.hexdigest()
        if actual == digest:
            source = {"Bucket": self.bucket, "Key": data}
            if head["ContentLength"] <= COPY_LIMIT:
                # conditional on the ETag read above: exactly the bytes verified, or nothing
                self._call(self.client.copy_object, Bucket=self.bucket, Key=final, CopySource=source,
                           CopySourceIfMatch=etag)
            else:
                self.client.copy(source, self.bucket, final)  # multipart copy; `data` is ours alone until discard
        self.discard(upload_id, state)
        return actual, size

    def discard(self, upload_id: str, state: _State | None = None) -> None:
        state = state or self._state(upload_id)
        self._running.pop(upload_id, None)
        if state is not None and state.mpu is not None:
            try:
                self._call(self.client.abort_multipart_upload, Bucket=self.bucket, Key=self._key(upload_id, "data"),
                           UploadId=state.mpu)
            except FileNotFoundError:
                pass
        keys = [self._key(upload_id, "state.json")]
        if state is None or state.mpu is not None:
            keys.append(self._key(upload_id, "data"))
        if state is not None and state.tail:
            keys.append(state.tail)
        # one DeleteObjects for the session's keys (a missing key is no error)
        self._call(self.client.delete_objects, Bucket=self.bucket,
                   Delete={"Objects": [{"Key": k} for k in keys], "Quiet": True})

    # -- blobs ---------------------------------------------------------------------------------
    def _head(self, digest: str) -> dict | None:
        try:
            return self._call(self.client.head_object, Bucket=self.bucket, Key=self._blob(digest))
        except FileNotFoundError:
            return None

    def has(self, digest: str) -> bool:
        return self._head(digest) is not None

    def size(self, digest: str) -> int | None:
        head = self._head(digest)
        return head["ContentLength"] if head is not None else None

    def open(self, digest: str) -> _Reader:
        """The blob streamed (FileNotFoundError if gone); the reader re-hashes it as it goes (integrity.py)."""
        got = self._call(self.client.get_object, Bucket=self.bucket, Key=self._blob(digest))
        return _Reader(got["Body"], got["ETag"])

    def read(self, digest: str, chunk_size: int = 1 << 16) -> Iterator[bytes]:
        with self.open(digest) as f:
            while chunk := f.read(chunk_size):
                yield chunk

    def digests(self) -> Iterator[str]:
        base = f"{self.prefix}/blobs/sha256/".lstrip("/")
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=base)
        for page in pages:
            for obj in page.get("Contents", ()):
                sub, _, name = obj["Key"][len(base):].partition("/")
                if _HEX.match(name) and name[:2] == sub:
                    yield "sha256:" + name

    def quarantine(self, digest: str, inode: object | None = None) -> str | None:
        """Move a damaged blob aside; None if gone already, or if `inode` (an ETag) is not the object's now."""
        head = self._head(digest)
        if head is None or (inode is not None and head["ETag"] != inode):
            return None
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        dst = f"{self.prefix}/quarantine/{digest.split(':', 1)[1]}.{stamp}".lstrip("/")
        try:
            self._call(self.client.copy_object, Bucket=self.bucket, Key=dst,
                       CopySource={"Bucket": self.bucket, "Key": self._blob(digest)}, CopySourceIfMatch=head["ETag"])
        except FileNotFoundError:
            return None
        self._delete(self._blob(digest))
        return f"s3://{self.bucket}/{dst}"
