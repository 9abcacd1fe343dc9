"""The storage contract, run unchanged against every backend: SQLite and PostgreSQL for the metadata, the blob
folder and S3 for the bytes. Same keys refused the same way, the same compare-and-set, the same orders and
reports; the PostgreSQL schema is versioned and a store of another version is refused (issue 17)."""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from hnsubmit.exchange.store.storage import (
    Column, DuplicateKey, Submission, SubmissionFilter, SubmissionFindings, Token, Transition, Unit, Upload,
)

T0 = datetime(2026, 11, 16, 1, 0, tzinfo=timezone.utc)  # a Monday 09:00 in 海南州


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.engines)])
def storage(request, tmp_path):
    if request.param == "sqlite":
        from hnsubmit.exchange.store.sqlite import SqliteStorage

        s = SqliteStorage(tmp_path / "exchange.sqlite3")
    else:
        from hnsubmit.exchange.store.postgres import PostgresStorage

        s = PostgresStorage(request.getfixturevalue("pg_server").new_database())
    yield s
    s.close()


@pytest.fixture(params=["file", pytest.param("s3", marks=pytest.mark.engines)])
def blobs(request, tmp_path):
    if request.param == "file":
        from hnsubmit.exchange.store.blobs import LocalBlobStore

        return LocalBlobStore(tmp_path / "data")
    from hnsubmit.exchange.store.s3 import S3BlobStore

    s3 = request.getfixturevalue("s3_server")
    for k, v in s3.env().items():
        request.getfixturevalue("monkeypatch").setenv(k, v)
    return S3BlobStore(s3.new_bucket(), "exchange", s3.endpoint, "us-east-1")


def _sub(i: int, unit: str = "632521", key: str | None = None, at: datetime = T0, state: str = "received") -> Submission:
    return Submission(f"s_{i:04d}", unit, key or f"k{i}", "sha256:" + "0" * 64, '{"title": "标题"}', f"标题{i}",
                      "county-news", "meetings", state, None, at, at)


def _seed(s) -> None:
    s.put_column(Column("county-news", "县区动态", "County news"))
    s.put_column(Column("notices", "通知公告", "Notices"))
    s.add_unit(Unit("632521", "共和县人民政府", "county", True, ("county-news", "notices")))
    s.add_unit(Unit("632522", "同德县人民政府", "county", True, ("county-news",)))


def test_units_and_columns_keep_their_order_and_refuse_a_taken_code(storage):
    _seed(storage)
    storage.put_column(Column("county-news", "县区动态(改)", "County news"))  # upsert keeps its place
    assert [c.id for c in storage.list_columns()] == ["county-news", "notices"]
    assert storage.list_columns()[0].name_zh == "县区动态(改)"
    assert [u.code for u in storage.list_units()] == ["632521", "632522"]
    assert storage.get_unit("632521").columns == ("county-news", "notices")
    with pytest.raises(DuplicateKey):
        storage.add_unit(Unit("632521", "重复", "county"))
    assert storage.set_unit_active("632522", False).active is False
    assert storage.set_unit_columns("632522", ("notices", "county-news")).columns == ("notices", "county-news")
    assert storage.get_unit("nope") is None and storage.set_unit_active("nope", True) is None


def test_tokens_round_trip_rotate_and_update(storage):
    a = Token("t1", "h" * 64, "unit", "632521", "信息员", T0)
    storage.add_token(a)
    with pytest.raises(DuplicateKey):
        storage.add_token(a)
    b = Token("t2", "g" * 64, "unit", "632521", "新", T0 + timedelta(seconds=1), rotated_from="t1")
    storage.add_token(b)
    assert storage.token_by_hash("h" * 64) == a
    assert storage.successors("t1") == [b]
    assert [t.token_id for t in storage.list_tokens()] == ["t1", "t2"]
    later = T0 + timedelta(hours=1, microseconds=123456)
    assert storage.update_token("t1", revoked_at=later).revoked_at == later
    with pytest.raises(ValueError):
        storage.update_token("t1", role="admin")


def test_upload_sessions_finish_once_and_stale_ones_are_found(storage):
    u = Upload("u_" + "a" * 32, "632521", "sha256:" + "1" * 64, 100, 0, T0, T0)
    storage.add_upload(u)
    assert storage.open_upload_for("632521", u.digest) == u and storage.count_uploads("632521") == 1
    storage.set_upload_offset(u.upload_id, 60, T0 + timedelta(minutes=1))
    assert storage.get_upload(u.upload_id).offset == 60
    assert [x.upload_id for x in storage.stale_uploads(T0 + timedelta(minutes=2))] == [u.upload_id]
    storage.finish_upload(u.upload_id, T0 + timedelta(minutes=3), T0)
    done = storage.get_upload(u.upload_id)
    assert done.finished and done.offset == 100 and storage.count_uploads("632521") == 0
    assert storage.open_upload_for("632521", u.digest) is None
    storage.add_blob_ref("632521", u.digest, 100, T0)
    storage.add_blob_ref("632521", u.digest, 100, T0)  # idempotent
    assert storage.blob_size_for("632521", u.digest) == 100 and storage.blob_size_for("632522", u.digest) is None
    assert storage.held_sizes("632521", [u.digest, "sha256:" + "2" * 64]) == {u.digest: 100}
    assert storage.held_digests("632521", []) == set()
    assert storage.blob_known(u.digest) and storage.known_size(u.digest) == 100
    assert storage.blob_refs() == [("632521", u.digest, 100)]
    # a later finish forgets the finished records older than its bound
    v = Upload("u_" + "b" * 32, "632521", "sha256:" + "3" * 64, 5, 5, T0, T0)
    storage.add_upload(v)
    storage.finish_upload(v.upload_id, T0 + timedelta(days=9), T0 + timedelta(days=8))
    assert storage.get_upload(u.upload_id) is None and storage.get_upload(v.upload_id).finished
    storage.delete_upload("u_" + "c" * 32)  # nothing there: no error


def test_one_submission_per_key_and_transitions_compare_and_set(storage):
    _seed(storage)
    s = _sub(1)
    storage.add_submission(s, Transition(None, "received", T0, "632521"))
    with pytest.raises(DuplicateKey):
        storage.add_submission(_sub(2, key="k1"), Transition(None, "received", T0, "632521"))
    assert storage.get_submission("s_0002") is None
    assert storage.submission_by_key("632521", "k1") == s
    assert storage.submission_by_key("632522", "k1") is None
    later = T0 + timedelta(hours=2)
    # the caller's "from" is not trusted: the state read inside the transaction is recorded
    done = storage.transition("s_0001", ("received",), Transition("bogus", "in_review", later, "reviewer"))
    assert done.state == "in_review" and done.updated_at == later
    assert storage.transition("s_0001", ("received",), Transition("received", "published", later, "r")) is None
    rejected = storage.transition("s_0001", ("in_review",), Transition("in_review", "rejected", later, "r", "缺审核"))
    assert (rejected.state, rejected.reason) == ("rejected", "缺审核")
    assert [(t.from_state, t.to_state, t.by) for t in storage.history("s_0001")] == [
        (None, "received", "632521"), ("received", "in_review", "reviewer"), ("in_review", "rejected", "r")]
    assert storage.transition("nope", ("received",), Transition(None, "published", later, "r")) is None


def test_a_submission_and_its_pending_check_are_written_together(storage):
    # issue 19 (P6): the receipt's transaction records the check on arrival as pending (one commit, not two)
    _seed(storage)
    pending = SubmissionFindings("s_0001", "pending", "arrival", T0)
    storage.add_submission(_sub(1), Transition(None, "received", T0, "632521"), pending)
    assert storage.get_findings("s_0001") == pending and storage.pending_findings(10) == ["s_0001"]
    with pytest.raises(DuplicateKey):  # refused: neither the submission nor its record is written
        storage.add_submission(_sub(2, key="k1"), Transition(None, "received", T0, "632521"),
                               SubmissionFindings("s_0002", "pending", "arrival", T0))
    assert storage.get_findings("s_0002") is None and storage.pending_findings(10) == ["s_0001"]


def test_concurrent_transitions_let_exactly_one_win(storage):
    _seed(storage)
    storage.add_submission(_sub(1), Transition(None, "received", T0, "632521"))
    results: list = []
    barrier = threading.Barrier(8)

    def review(i: int) -> None:
        barrier.wait()
        results.append(storage.transition("s_0001", ("received",), Transition("received", "published", T0, f"r{i}")))

    threads = [threading.Thread(target=review, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is not None for r in results) == 1
    assert [t.to_state for t in storage.history("s_0001")] == ["received", "published"]


def test_lists_filter_page_and_count_and_the_week_report(storage):
    _seed(storage)
    for i in range(7):
        unit = "632521" if i % 2 == 0 else "632522"
        storage.add_submission(_sub(i, unit, at=T0 + timedelta(hours=i)), Transition(None, "received", T0, unit))
    storage.transition("s_0000", ("received",), Transition("received", "published", T0, "r"))
    storage.transition("s_0002", ("received",), Transition("received", "rejected", T0, "r", "不合格"))
    storage.transition("s_0001", ("received",), Transition("received", "withdrawn", T0, "632522", "撤回"))
    items, total = storage.list_submissions(SubmissionFilter(limit=3))
    assert total == 7 and [s.submission_id for s in items] == ["s_0006", "s_0005", "s_0004"]
    items, total = storage.list_submissions(SubmissionFilter(unit="632521", state="received"))
    assert total == 2 and [s.submission_id for s in items] == ["s_0006", "s_0004"]
    items, total = storage.list_submissions(SubmissionFilter(received_from=T0 + timedelta(hours=1),
                                                             received_to=T0 + timedelta(hours=3), offset=1))
    assert total == 2 and [s.submission_id for s in items] == ["s_0001"]
    weekly = {w.unit: w for w in storage.weekly_counts(T0, T0 + timedelta(days=7))}
    assert (weekly["632521"].sent, weekly["632521"].accepted, weekly["632521"].rejected, weekly["632521"].pending) == (4, 1, 1, 2)
    assert (weekly["632522"].sent, weekly["632522"].withdrawn, weekly["632522"].pending) == (3, 1, 2)
    assert storage.weekly_counts(T0 + timedelta(days=7), T0 + timedelta(days=14)) == []


def test_approvers_approvals_findings_and_column_freshness(storage):
    from hnsubmit.exchange.store.storage import Approval, Approver, SubmissionFindings

    _seed(storage)
    storage.add_approver(Approver("t9", "632521", "王五"))
    storage.add_approver(Approver("t8", "632521", "李四"))
    storage.add_approver(Approver("t9", "632521", "王五五"))  # replaced
    assert storage.get_approver("t9") == Approver("t9", "632521", "王五五") and storage.get_approver("x") is None
    assert [a.name for a in storage.approvers("632521")] == ["李四", "王五五"] and storage.approvers("632522") == []
    s = _sub(1, state="awaiting_approval")
    storage.add_submission(replace(s, expires="2026-12-01"), Transition(None, "awaiting_approval", T0, "632521"))
    at = T0 + timedelta(hours=1)
    done = storage.transition("s_0001", ("awaiting_approval",), Transition(None, "received", at, "approver:t9"),
                              Approval("s_0001", "t9", "王五五", at))
    assert done.state == "received" and done.expires == "2026-12-01"
    assert storage.get_approval("s_0001") == Approval("s_0001", "t9", "王五五", at)
    returned = storage.transition("s_0001", ("received",), Transition(None, "returned", at, "r", "请补充"))
    assert returned.reason == "请补充"
    storage.transition("s_0001", ("returned",), Transition(None, "published", at + timedelta(hours=1), "r"))
    assert storage.last_published("county-news").submission_id == "s_0001" and storage.last_published("notices") is None
    assert storage.published_counts(T0, T0 + timedelta(days=1)) == [("county-news", "632521", 1)]
    assert [x.submission_id for x in storage.expired_published("2026-12-02")] == ["s_0001"]
    assert storage.expired_published("2026-12-01") == [] and storage.expired_published("2027-01-01", "632522") == []
    col = storage.set_column_freshness("notices", "notice", 180)
    assert (col.kind, col.max_days) == ("notice", 180) and storage.set_column_freshness("nope", "news", 1) is None
    rec = SubmissionFindings("s_0001", "pending", "arrival", T0)
    storage.put_findings(rec)
    assert storage.get_findings("s_0001") == rec and storage.pending_findings(10) == ["s_0001"]
    storage.put_findings(replace(rec, state="done", result_json='{"n": 1}', updated_at=at))
    assert storage.get_findings("s_0001").result_json == '{"n": 1}' and storage.pending_findings(10) == []
    assert storage.get_findings("s_0002") is None


# -- blob stores ---------------------------------------------------------------------------------------------
def _put(blobs, data: bytes, pieces: int = 3) -> tuple[str, int]:
    uid = "u_" + os.urandom(16).hex()
    blobs.start(uid)
    step = max(1, len(data) // pieces)
    offset = 0
    while offset < len(data):
        a = blobs.appender(uid, offset)
        a.write(data[offset:offset + step])
        offset = a.commit()
    return blobs.finish(uid, "sha256:" + hashlib.sha256(data).hexdigest())


@pytest.mark.parametrize("size", [0, 1000, 12 << 20])
def test_blob_store_stages_verifies_and_serves_whole_blobs(blobs, size):
    data = os.urandom(size)
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    assert _put(blobs, data) == (digest, size)
    assert blobs.has(digest) and blobs.size(digest) == size
    assert b"".join(blobs.read(digest)) == data
    with blobs.open(digest) as f:
        assert f.read() == data
    assert digest in set(blobs.digests())


def test_blob_store_refuses_a_wrong_digest_and_keeps_nothing(blobs):
    uid = "u_" + "d" * 32
    blobs.start(uid)
    a = blobs.appender(uid, 0)
    a.write(b"x" * 6_000_000)
    assert a.commit() == 6_000_000
    wrong = "sha256:" + "e" * 64
    actual, size = blobs.finish(uid, wrong)
    assert actual == "sha256:" + hashlib.sha256(b"x" * 6_000_000).hexdigest() and size == 6_000_000
    assert not blobs.has(wrong) and not blobs.has(actual)
    assert blobs.staged_length(uid) == 0


def test_blob_store_abort_drops_the_append_and_a_new_instance_continues(blobs, request):
    data = os.urandom(7 << 20)
    uid = "u_" + "f" * 32
    blobs.start(uid)
    a = blobs.appender(uid, 0)
    a.write(data[:3 << 20])
    assert a.commit() == 3 << 20
    a = blobs.appender(uid, 3 << 20)
    a.write(b"junk" * 1000)
    a.abort()
    assert blobs.staged_length(uid) == 3 << 20
    # another instance of the same store (another process, another machine for S3) continues the session
    other = type(blobs)(blobs.root) if hasattr(blobs, "root") else type(blobs)(blobs.bucket, blobs.prefix,
                                                                                 blobs.client.meta.endpoint_url, "us-east-1")
    a = other.appender(uid, 3 << 20)
    a.write(data[3 << 20:])
    assert a.commit() == len(data)
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    assert other.finish(uid, digest) == (digest, len(data))
    assert b"".join(blobs.read(digest)) == data
    with pytest.raises(FileNotFoundError):  # a second finish (a retry on the first instance): the session is gone
        blobs.finish(uid, digest)


def test_blob_store_quarantines_only_the_object_it_was_told_of(blobs):
    digest, _ = _put(blobs, b"hello")
    with blobs.open(digest) as f:
        identity = f.identity if hasattr(f, "identity") else os.fstat(f.fileno()).st_ino
    assert blobs.quarantine(digest, identity) is not None
    assert not blobs.has(digest) and blobs.quarantine(digest) is None


# -- the PostgreSQL schema's versions ------------------------------------------------------------------------
@pytest.mark.engines
def test_postgres_refuses_a_schema_older_or_newer_than_it_knows(pg_server):
    from hnsubmit.errors import ConfigError
    from hnsubmit.exchange.store.postgres import SCHEMA_VERSION, PostgresStorage, migrate, schema_version

    url = pg_server.new_database(migrated=False)
    with pytest.raises(ConfigError) as older:
        PostgresStorage(url)
    assert "admin migrate" in older.value.hint
    assert [v for v, _note in migrate(url)] == list(range(1, SCHEMA_VERSION + 1))
    assert migrate(url) == [] and schema_version(url) == SCHEMA_VERSION
    PostgresStorage(url).close()
    pg_server.psql(f"INSERT INTO hnsubmit_schema (version, note) VALUES ({SCHEMA_VERSION + 1}, 'from the future')",
                   url.rsplit("/", 1)[1])
    with pytest.raises(ConfigError) as newer:
        PostgresStorage(url)
    assert "newer" in str(newer.value.template if hasattr(newer.value, "template") else newer.value)


# -- store URLs: a wrong one is a clear error, never a traceback, never a password -------------------------
def test_store_urls_refused_clearly(cli, tmp_path):
    code, out, err = cli("serve", "--data", tmp_path / "d", "--db", "mysql://x@h/db", "--port", "0")
    assert code == 2 and "不是本服务器支持的数据库地址" in err and "Traceback" not in err, err
    code, out, err = cli("serve", "--data", tmp_path / "d", "--blobs", "ftp://h/p", "--port", "0")
    assert code == 2 and "不是本服务器支持的文件存储地址" in err, err
    code, out, err = cli("serve", "--data", tmp_path / "d", "--blobs", "s3://key:secret@bucket/p", "--port", "0")
    assert code == 2 and "secret" not in err and "AWS_SECRET_ACCESS_KEY" in err, err
    from hnsubmit.errors import UsageError
    from hnsubmit.exchange.store.locations import require_client

    with pytest.raises(UsageError) as missing:  # an install without the province extra
        require_client(("no_such_client_library",), "PostgreSQL")
    assert "province" in missing.value.hint and missing.value.exit_code == 2
    pytest.importorskip("psycopg", reason="the province extra is not installed")
    # nothing listens on port 1: refused at once
    code, out, err = cli("serve", "--data", tmp_path / "d", "--db", "postgresql://hnsubmit:hunter2@127.0.0.1:1/x",
                         "--port", "0")
    assert code == 3 and "无法连接数据库" in err and "hunter2" not in err and "Traceback" not in err, err
    config = tmp_path / "server.toml"
    config.write_text('[server]\ndb = "postgresql://u:pw@h/db"\n', encoding="utf-8")
    code, out, err = cli("serve", "--config", config, "--port", "0")
    assert code == 3 and "PGPASSWORD" in err and "pw@" not in err, err
