"""Read an exchange data directory behind the server's back and say what is wrong with it.

The fault and crash tests judge a run by this, not by what the client believes: the SQLite file is
opened directly, every blob file is hashed again, and every receipt an outbox holds is looked up.
Nothing here goes through the server's code, so a bug there cannot hide itself.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Audit:
    submissions: list[dict]
    blob_files: int = 0
    blob_bytes: int = 0
    problems: list[str] = field(default_factory=list)

    def by_title(self) -> Counter:
        return Counter(s["title"] for s in self.submissions)

    def by_id(self) -> dict[str, dict]:
        return {s["submission_id"]: s for s in self.submissions}


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def audit_store(data_dir: Path) -> Audit:
    """Every invariant a crash or a broken connection must not break, checked on the files themselves."""
    data_dir = Path(data_dir)
    db = sqlite3.connect(data_dir / "exchange.sqlite3", timeout=30)
    db.row_factory = sqlite3.Row
    try:
        subs = [dict(r) for r in db.execute("SELECT * FROM submissions")]
        refs = [dict(r) for r in db.execute("SELECT unit, digest, size FROM blob_refs")]
        first = {r[0]: r[1] for r in db.execute(
            "SELECT submission_id, to_state FROM transitions WHERE from_state IS NULL")}
    finally:
        db.close()
    out = Audit(subs)
    # every blob file is named by the SHA-256 of its bytes, in the folder of its first two hex digits
    on_disk: dict[str, int] = {}
    root = data_dir / "blobs" / "sha256"
    for path in sorted(root.rglob("*")) if root.exists() else []:
        if path.is_dir():
            continue
        out.blob_files += 1
        out.blob_bytes += path.stat().st_size
        actual = _sha256_file(path)
        if path.name != actual or path.parent.name != actual[:2]:
            out.problems.append(f"blob {path.relative_to(data_dir)} holds bytes of sha256 {actual}")
        on_disk["sha256:" + path.name] = path.stat().st_size
    return _judge(out, refs, first, on_disk)


def audit_province(db_url: str, s3, bucket: str, prefix: str) -> Audit:
    """The same invariants on PostgreSQL + S3 (issue 17): rows read with psycopg, every object under
    PREFIX/blobs/sha256/ fetched and hashed again with the S3 client `s3` (boto3), behind the servers' back."""
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(db_url, row_factory=dict_row) as db:
        subs = db.execute("SELECT * FROM submissions").fetchall()
        refs = db.execute("SELECT unit, digest, size FROM blob_refs").fetchall()
        first = {r["submission_id"]: r["to_state"] for r in db.execute(
            "SELECT submission_id, to_state FROM transitions WHERE from_state IS NULL")}
    out = Audit(subs)
    on_disk: dict[str, int] = {}
    base = f"{prefix}/blobs/sha256/"
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=base):
        for obj in page.get("Contents", ()):
            h = hashlib.sha256()
            for chunk in s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].iter_chunks(1 << 20):
                h.update(chunk)
            sub, _, name = obj["Key"][len(base):].partition("/")
            out.blob_files += 1
            out.blob_bytes += obj["Size"]
            if name != h.hexdigest() or sub != name[:2]:
                out.problems.append(f"object {obj['Key']} holds bytes of sha256 {h.hexdigest()}")
            on_disk["sha256:" + name] = obj["Size"]
    return _judge(out, refs, first, on_disk)


def _judge(out: Audit, refs: list, first: dict, on_disk: dict[str, int]) -> Audit:
    subs, problems = out.submissions, out.problems
    # one submission per (unit, idempotency key); the schema says so, the data must too
    for key, n in Counter((s["unit"], s["idempotency_key"]) for s in subs).items():
        if n > 1:
            problems.append(f"{n} submissions for key {key}")
    held = {(r["unit"], r["digest"]): r["size"] for r in refs}
    for (unit, digest), size in held.items():
        if on_disk.get(digest) != size:
            problems.append(f"unit {unit} holds {digest} ({size} bytes) but the blob file has {on_disk.get(digest)}")
    for s in subs:
        sid = s["submission_id"]
        if "sha256:" + hashlib.sha256(s["manifest_json"].encode("utf-8")).hexdigest() != s["manifest_digest"]:
            problems.append(f"{sid}: the stored manifest does not hash to its manifest_digest")
        if first.get(sid) != "received":
            problems.append(f"{sid}: no 'received' transition")
        for f in json.loads(s["manifest_json"]).get("files", []):
            if held.get((s["unit"], f["digest"])) != f["size"] or on_disk.get(f["digest"]) != f["size"]:
                problems.append(f"{sid}: file {f['path']} ({f['digest']}) is not stored intact")
    return out


def check_receipts(audit: Audit, items) -> list[str]:
    """Every outbox item is sent, and its receipt names a stored submission of exactly what it posted."""
    from hnsubmit.submission.manifest import canonical_json

    problems = []
    stored = audit.by_id()
    for item in items:
        if item.state != "sent" or not item.receipt:
            problems.append(f"item {item.id} ({item.name}) is {item.state}: {item.last_error[:200]}")
            continue
        s = stored.get(item.receipt["submission_id"])
        if s is None:
            problems.append(f"item {item.id}: receipt {item.receipt['submission_id']} is not on the server")
            continue
        body = canonical_json(item.manifest).decode("utf-8") if item.manifest else None
        expected = {"unit": item.unit, "idempotency_key": item.idempotency_key,
                    "manifest_digest": item.receipt["manifest_digest"], "manifest_json": body}
        got = {k: s[k] for k in expected}
        if got != expected:
            problems.append(f"item {item.id}: receipt {s['submission_id']} does not match what was stored")
    return problems
