"""The auditor the fault and crash tests rely on must see what it is there to see: a sound store passes,
and each kind of damage (a flipped byte in a blob, a lost blob, an edited manifest, a receipt the
server never stored, an item never sent) is reported."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from exchange.harness import start_server
from store_audit import audit_store, check_receipts

pytestmark = pytest.mark.integration


def test_the_auditor_passes_a_sound_store_and_reports_each_kind_of_damage(tmp_path):
    from hnsubmit.client.outbox import Item
    from hnsubmit.submission.manifest import canonical_json

    server = start_server(tmp_path / "data")
    try:
        manifest = server.manifest("unit", b"audit " * 1000)
        body = canonical_json(manifest)
        with server.client("unit") as c:
            r = c.post("/api/v1/submissions", content=body,
                       headers={"Idempotency-Key": "hnsubmit-pkg-audit", "Content-Type": "application/json"})
            assert r.status_code == 201, r.text
            receipt = r.json()
    finally:
        server.stop()
    item = Item(1, "a", tmp_path / "a.zip", "0" * 64, 1, "hnsubmit-pkg-audit", server.url, "632521", "sent",
                manifest=manifest, receipt=receipt)
    audit = audit_store(server.data_dir)
    assert (audit.problems, check_receipts(audit, [item])) == ([], [])
    assert audit.by_title() == {manifest["title"]: 1} and audit.blob_files == 1

    # an item the client thinks sent, with a receipt the server never issued, or never sent at all
    forged = replace(item, receipt={**receipt, "submission_id": "HN-20000101-ZZZZZZ"})
    assert "is not on the server" in " ".join(check_receipts(audit, [forged]))
    assert "is failed" in " ".join(check_receipts(audit, [replace(item, state="failed", receipt=None)]))
    other = replace(item, manifest={**manifest, "title": "另一个标题"})
    assert "does not match" in " ".join(check_receipts(audit, [other]))

    # one byte of the blob flipped on disk
    [blob] = [p for p in (server.data_dir / "blobs").rglob("*") if p.is_file()]
    data = bytearray(blob.read_bytes())
    data[10] ^= 1
    blob.write_bytes(bytes(data))
    assert any("holds bytes of sha256" in p for p in audit_store(server.data_dir).problems)
    # the blob gone: the unit's reference and the submission's file both dangle
    blob.unlink()
    problems = " ".join(audit_store(server.data_dir).problems)
    assert "but the blob file has None" in problems and "is not stored intact" in problems

    # the stored manifest edited behind the digest's back
    db = sqlite3.connect(server.data_dir / "exchange.sqlite3")
    db.execute("UPDATE submissions SET manifest_json = replace(manifest_json, '李四', '张三')")
    db.commit()
    db.close()
    assert any("does not hash to its manifest_digest" in p for p in audit_store(server.data_dir).problems)
