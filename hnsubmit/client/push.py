"""Sending queued packages: missing blobs up (resumable), then the manifest with the item's idempotency key.

The library half of `hnsubmit push` and `hnsubmit outbox retry`; it never prints — the command layer
gets progress through `PushEvents` callbacks.  Exactly once: the key is derived from the package
digest and stored with the item, so any retry, in this process or the next, posts byte-identical
manifest bytes with the same key and gets the same receipt back (docs/protocol.md §4).  An item is
marked sent only on a receipt whose every field checks out and whose submission, read back by id,
agrees (receipts.py); otherwise it stays in the outbox.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from hnsubmit.client.outbox import Item, ItemBusy, Outbox, error_record
from hnsubmit.client.packages import PlannedBlob, blob_opener, blobs_of, read_manifest
from hnsubmit.client.receipts import verify_readback, verify_receipt
from hnsubmit.errors import (
    CredentialsError,
    ExitCode,
    HnsubmitError,
    NetworkError,
    RefusedError,
)

if TYPE_CHECKING:
    from hnsubmit.client.api import ExchangeClient


@dataclass
class PushEvents:
    """Callbacks for the command layer's progress display; every one is optional and may be called from worker threads."""

    item_started: Callable[[Item, int], None] | None = None  # item, bytes it still has to send
    blob_started: Callable[[Item, str, str, int], None] | None = None  # item, digest, file path, size
    blob_progress: Callable[[Item, str, int], None] | None = None  # item, digest, position in the blob
    item_finished: Callable[["PushResult"], None] | None = None


@dataclass(frozen=True)
class PushResult:
    item_id: int
    name: str
    state: str  # sent | failed | busy
    receipt: dict[str, Any] | None = None
    bytes_sent: int = 0
    blobs_sent: int = 0
    blobs_total: int = 0
    replayed: bool = False
    error: HnsubmitError | None = None


@dataclass
class Plan:
    """What one item would send: its manifest bytes and which of its blobs the server lacks."""

    item_name: str
    manifest: dict[str, Any]
    blobs: list[PlannedBlob]
    missing: list[PlannedBlob] = field(default_factory=list)

    @property
    def missing_bytes(self) -> int:
        return sum(b.size for b in self.missing)


def exit_code_for(results: list[PushResult]) -> ExitCode:
    """One exit code for a batch: a token problem first (nothing will work), then a refusal, then the network."""
    errors = [r.error for r in results if r.error is not None]
    for kind, code in ((CredentialsError, ExitCode.CREDENTIALS), (RefusedError, ExitCode.REFUSED), (NetworkError, ExitCode.NETWORK)):
        if any(isinstance(e, kind) for e in errors):
            return code
    if errors:
        return ExitCode(max(int(e.exit_code) for e in errors))
    if any(r.state == "busy" for r in results):
        return ExitCode.NETWORK  # still in the outbox, being sent by another process
    return ExitCode.OK


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """Belt and braces: no error text stored or shown may contain a token, whatever produced it."""
    for s in secrets:
        if s:
            text = text.replace(s, "<hidden>")
    return text


def plan_item(client: "ExchangeClient", item: Item, outbox: Outbox | None = None, missing_hint: set[str] | None = None) -> Plan:
    """The item's manifest (read from its package once, then kept in the outbox) and the blobs the server lacks.

    `missing_hint`: the batch asked the server once for every item's digests; a blob another item
    uploaded since is answered "complete" by the upload session at no cost (protocol §3).
    """

    manifest = item.manifest
    if manifest is None:
        manifest = read_manifest(item.package)
        if outbox is not None:
            outbox.set_manifest(item.id, manifest)
    blobs = blobs_of(manifest)
    if missing_hint is not None and all(b.digest.startswith("sha256:") for b in blobs):
        missing = {b.digest for b in blobs} & missing_hint
    else:
        missing = set(client.missing([b.digest for b in blobs]))
    seen: set[str] = set()
    todo = []
    for b in blobs:
        if b.digest in missing and b.digest not in seen:
            seen.add(b.digest)
            todo.append(b)
    return Plan(item.name, manifest, blobs, todo)


class BlobLocks:
    """One lock per digest across the items pushed together, and the digests already sent in this batch:
    500 guides sharing one form upload it once and do not even ask about it again."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self.present: set[str] = set()

    def __call__(self, digest: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(digest, threading.Lock())


def push_item(
    client: "ExchangeClient",
    outbox: Outbox,
    item: Item,
    events: PushEvents | None = None,
    secrets: tuple[str, ...] = (),
    chunk_size: int | None = None,
    blob_locks: BlobLocks | None = None,
    missing_hint: set[str] | None = None,
) -> PushResult:
    """Send one outbox item to the end; never raises for the item's own failures (they are in the result)."""
    from hnsubmit.submission.manifest import canonical_json

    ev = events or PushEvents()
    blob_locks = blob_locks or BlobLocks()
    try:
        with outbox.lock(item):
            item = outbox.start_attempt(item.id)
            sent = 0
            try:
                plan = plan_item(client, item, outbox, missing_hint)
                if ev.item_started:
                    ev.item_started(item, plan.missing_bytes)
                files_sent = 0
                for blob in plan.missing:
                    # another item of this batch may be sending the same file: wait for it, then skip it
                    with blob_locks(blob.digest):
                        if blob.digest in blob_locks.present:
                            continue
                        if ev.blob_started:
                            ev.blob_started(item, blob.digest, blob.path, blob.size)
                        progress = (lambda pos, d=blob.digest: ev.blob_progress(item, d, pos)) if ev.blob_progress else None
                        n = client.upload_blob(
                            blob.digest, blob.size, blob_opener(item.package, blob.path),
                            upload_id=item.uploads.get(blob.digest),
                            on_session=lambda uid, d=blob.digest: outbox.record_upload(item.id, d, uid),
                            on_progress=progress,
                            **({"chunk_size": chunk_size} if chunk_size else {}),
                        )
                        blob_locks.present.add(blob.digest)
                    sent += n
                    files_sent += 1 if n else 0
                    if n:
                        outbox.add_bytes_sent(item.id, n)
                body = canonical_json(plan.manifest)
                receipt, replayed = client.submit(body, item.idempotency_key)
                posted = json.loads(body)
                verify_receipt(receipt, unit=str(posted.get("unit") or item.unit), key=item.idempotency_key,
                               manifest_digest="sha256:" + hashlib.sha256(body).hexdigest())
                verify_readback(receipt, client.submission(receipt["submission_id"]), posted)
                outbox.mark_sent(item.id, receipt)
                result = PushResult(item.id, item.name, "sent", receipt, sent, files_sent, len(plan.blobs), replayed)
            except HnsubmitError as exc:
                outbox.mark_failed(item.id, redact(error_record(exc), secrets))  # shown in the reader's language
                result = PushResult(item.id, item.name, "failed", None, sent, error=exc)
    except ItemBusy:
        result = PushResult(item.id, item.name, "busy")
    if ev.item_finished:
        ev.item_finished(result)
    return result


def _missing_for_batch(client: "ExchangeClient", items: list[Item]) -> set[str] | None:
    """One blobs/missing round trip for the whole batch instead of one per item; None if it cannot be asked."""
    digests = [b.digest for i in items if i.manifest for b in blobs_of(i.manifest)]  # renditions too
    if not digests or any(i.manifest is None for i in items):
        return None
    try:
        return set(client.missing(digests))
    except HnsubmitError:
        return None  # each item asks (and reports the problem) itself


def push_items(
    client: "ExchangeClient",
    outbox: Outbox,
    items: list[Item],
    *,
    concurrency: int = 2,
    events: PushEvents | None = None,
    secrets: tuple[str, ...] = (),
    chunk_size: int | None = None,
) -> list[PushResult]:
    """Send items, up to `concurrency` at a time over one connection pool; results in the items' order."""
    hint = _missing_for_batch(client, items) if len(items) > 1 else None
    if concurrency <= 1 or len(items) <= 1:
        return [push_item(client, outbox, i, events, secrets, chunk_size, None, hint) for i in items]
    locks = BlobLocks()
    stop = threading.Event()
    results: list[PushResult | None] = [None] * len(items)

    def run(index: int) -> None:
        item = items[index]
        if stop.is_set():  # the token was refused: the rest would be refused too
            results[index] = PushResult(item.id, item.name, "failed", error=CredentialsError("Not sent: the token was refused."))
            return
        result = push_item(client, outbox, item, events, secrets, chunk_size, locks, hint)
        if isinstance(result.error, CredentialsError):
            stop.set()
        results[index] = result

    run_parallel(run, len(items), concurrency)
    return [r for r in results if r is not None]


def run_parallel(work: Callable[[int], None], count: int, workers: int) -> None:
    """work(0..count-1) on `workers` daemon threads; the caller waits in short joins.

    Not a ThreadPoolExecutor: on Ctrl-C its exit waits for every worker, and a worker may be asleep
    in a server's Retry-After (up to minutes).  Here the KeyboardInterrupt reaches the caller at once,
    no worker takes another item, and a sleeping worker dies with the process; its item is still in
    the outbox ("uploading", taken over by the next run).  A worker's unexpected exception is
    re-raised in the caller, as pool.map did.
    """
    todo = list(range(count))
    guard = threading.Lock()
    halt = threading.Event()
    failures: list[BaseException] = []

    def worker() -> None:
        while not halt.is_set():
            with guard:
                if not todo:
                    return
                index = todo.pop(0)
            try:
                work(index)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                failures.append(exc)
                halt.set()

    threads = [threading.Thread(target=worker, name=f"hnsubmit-push-{n}", daemon=True) for n in range(min(workers, count))]
    for t in threads:
        t.start()
    try:
        for t in threads:
            while t.is_alive():
                t.join(0.2)
    except BaseException:
        halt.set()
        raise
    if failures:
        raise failures[0]


def push_by_target(
    outbox: Outbox,
    items: list[Item],
    *,
    credentials: Any,
    connect: Callable[[str, Any], "ExchangeClient"],
    concurrency: int = 2,
    events: PushEvents | None = None,
) -> list[PushResult]:
    """Send items grouped by (endpoint, unit): one credential look-up (`credentials.get`) and one
    connection (`connect(endpoint, token)`) per group; results in the groups' order."""
    groups: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        groups.setdefault((item.endpoint, item.unit), []).append(item)
    results: list[PushResult] = []
    for (endpoint, unit), group in groups.items():
        cred = credentials.get(endpoint, unit)
        with connect(endpoint, cred.token) as client:
            results += push_items(client, outbox, group, concurrency=concurrency, events=events,
                                  secrets=(cred.token.reveal(),))
    return results
