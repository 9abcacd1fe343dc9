"""The SQLite store's hot queries are index searches in the order they ask for (issue 19, P7).

Each hot call of the real `SqliteStorage` is made with a trace on its connection, and every statement it
ran is put through EXPLAIN QUERY PLAN: a temp B-tree (a sort or grouping of the rows found) or a full
scan of a table that grows fails the test. The status list by unit used to sort all of the unit's
submissions for every page (42.6 ms a page at 20,000 rows). Also: a database of schema version 1
is upgraded in place when opened, its rows kept.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from hnsubmit.exchange.store.sqlite import SCHEMA_VERSION, SqliteStorage
from hnsubmit.exchange.store.storage import Submission, SubmissionFilter, Transition, Unit

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
DIGESTS = [f"sha256:{i:064x}" for i in range(3)]
# tables whose rows are the office's own short lists (a report lists every unit, so it walks them all),
# and the kept counts: one row per unit and state
SMALL = {"units", "u", "columns", "unit_columns", "submission_counts"}

HOT = {
    "status list by unit": lambda s: s.list_submissions(SubmissionFilter(unit="632521", limit=50)),
    "status list by unit, page 3": lambda s: s.list_submissions(SubmissionFilter(unit="632521", limit=50, offset=100)),
    "status list by unit and week": lambda s: s.list_submissions(
        SubmissionFilter(unit="632521", received_from=NOW - timedelta(days=7), received_to=NOW)),
    "status list by unit and state": lambda s: s.list_submissions(SubmissionFilter(unit="632521", state="rejected")),
    "review queue": lambda s: s.list_submissions(SubmissionFilter(state="received", limit=1000)),
    "review queue of a unit": lambda s: s.list_submissions(SubmissionFilter(unit="632521", state="in_review")),
    "office list of a week": lambda s: s.list_submissions(
        SubmissionFilter(received_from=NOW - timedelta(days=7), received_to=NOW, limit=1000)),
    "missing blobs": lambda s: s.held_sizes("632521", DIGESTS),
    "blob of a unit": lambda s: s.blob_size_for("632521", DIGESTS[0]),
    "blob for the office": lambda s: s.known_size(DIGESTS[0]),
    "submission by id": lambda s: s.get_submission("HN-20261201-ABCDEF"),
    "submission by idempotency key": lambda s: s.submission_by_key("632521", "hnsubmit-pkg-x"),
    "history": lambda s: s.history("HN-20261201-ABCDEF"),
    "weekly report": lambda s: s.weekly_counts(NOW - timedelta(days=7), NOW),
    "upload session": lambda s: s.get_upload("u_" + "0" * 32),
    "open session for a digest": lambda s: s.open_upload_for("632521", DIGESTS[0]),
    "finish an upload": lambda s: s.finish_upload("u_" + "0" * 32, NOW, NOW - timedelta(days=7)),
    "stale sessions": lambda s: s.stale_uploads(NOW - timedelta(days=7)),
    "token by hash": lambda s: s.token_by_hash("0" * 64),
    "successors of a token": lambda s: s.successors("t_x"),
    # the approver step (issue 15 §2): an approver's every request, a Read body, a push's name check
    "approver of a token": lambda s: s.get_approver("t_x"),
    "approval of a submission": lambda s: s.get_approval("HN-20261201-ABCDEF"),
    "approvers of a unit": lambda s: s.approvers("632521"),
    "findings of a submission": lambda s: s.get_findings("HN-20261201-ABCDEF"),
    "pending findings at start": lambda s: s.pending_findings(10_000),
    "column's last published item": lambda s: s.last_published("gov-news"),
    "quarter's publications per column": lambda s: s.published_counts(NOW - timedelta(days=91), NOW),
    "expired items": lambda s: s.expired_published("2026-12-01"),
    "expired items of a unit": lambda s: s.expired_published("2026-12-01", "632521"),
}


def _statements(storage: SqliteStorage, call) -> list[str]:
    seen: list[str] = []
    conn = storage._conn()
    conn.set_trace_callback(seen.append)  # the statements as run, with their values filled in
    try:
        call(storage)
    finally:
        conn.set_trace_callback(None)
    return [q for q in seen if q.lstrip().split(None, 1)[0].upper() in ("SELECT", "UPDATE", "DELETE", "INSERT")]


def _bad_steps(conn: sqlite3.Connection, sql: str) -> list[str]:
    bad = []
    for _id, _parent, _unused, detail in conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall():
        if "TEMP B-TREE" in detail:
            bad.append(detail)
        elif detail.startswith("SCAN ") and detail.split()[1] not in SMALL:
            bad.append(detail)
    return bad


@pytest.fixture
def storage(tmp_path):
    s = SqliteStorage(tmp_path / "exchange.sqlite3")
    s.add_unit(Unit("632521", "共和县", "county", True, ("gov-news",)))
    yield s
    s.close()


@pytest.mark.parametrize("name", list(HOT))
def test_hot_query_plans_no_sort_and_no_full_scan(storage, name):
    statements = _statements(storage, HOT[name])
    assert statements, f"{name}: no statement traced"
    conn = storage._conn()
    problems = {sql: bad for sql in statements if (bad := _bad_steps(conn, sql))}
    assert not problems, f"{name} plans a sort or a full scan: {problems}"


def _v1(path) -> None:
    """Turn a fresh database back into schema version 1: its indexes as they were then."""
    conn = sqlite3.connect(path, isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall():
        conn.execute(f"DROP INDEX {name}")
    conn.executescript(
        "CREATE INDEX uploads_unit_digest ON uploads (unit, digest);"
        "CREATE INDEX submissions_received ON submissions (received_at);"
        "CREATE INDEX transitions_submission ON transitions (submission_id);"
        "CREATE INDEX tokens_rotated_from ON tokens (rotated_from);"
        "PRAGMA user_version = 1;"
    )
    conn.close()


def test_a_version_1_database_is_upgraded_in_place(tmp_path):
    path = tmp_path / "exchange.sqlite3"
    s = SqliteStorage(path)
    s.add_unit(Unit("632521", "共和县", "county", True, ("gov-news",)))
    sub = Submission("HN-20261201-ABCDEF", "632521", "k1", DIGESTS[0], "{}", "t", "gov-news", "news", "received",
                     None, NOW, NOW)
    s.add_submission(sub, Transition(None, "received", NOW, "unit:t_x"))
    s.close()
    _v1(path)
    old = _statements_plan(path, "SELECT * FROM submissions WHERE unit = '632521' "
                                 "ORDER BY received_at DESC, submission_id LIMIT 50")
    assert any("TEMP B-TREE" in d for d in old)  # what version 1 did

    s = SqliteStorage(path)
    try:
        assert s._one("PRAGMA user_version")[0] == SCHEMA_VERSION >= 5
        names = {r[0] for r in s._all_rows("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"submissions_unit_received", "submissions_state_received", "blob_refs_digest"} <= names
        assert not {"submissions_received", "uploads_unit_digest", "tokens_rotated_from"} & names
        assert s.list_submissions(SubmissionFilter(unit="632521")) == ([sub], 1)  # the counts start from the rows
        assert s.list_submissions(SubmissionFilter(state="received"))[1] == 1
        conn = s._conn()
        for sql in _statements(s, HOT["status list by unit"]):
            assert not _bad_steps(conn, sql)
    finally:
        s.close()
    SqliteStorage(path).close()  # opened again: nothing left to do, no error


def _statements_plan(path, sql: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
    finally:
        conn.close()


def test_the_kept_totals_follow_every_change(storage):
    def add(i: int, unit: str = "632521") -> None:
        sub = Submission(f"HN-20261201-{i:06d}", unit, f"k{i}", DIGESTS[0], "{}", "t", "gov-news", "news", "received",
                         None, NOW + timedelta(minutes=i), NOW + timedelta(minutes=i))
        storage.add_submission(sub, Transition(None, "received", sub.received_at, "unit:t_x"))

    storage.add_unit(Unit("632522", "同德县", "county", True, ("gov-news",)))
    for i in range(7):
        add(i)
    add(100, "632522")
    for i, to in ((0, "in_review"), (1, "rejected"), (2, "in_review")):
        assert storage.transition(f"HN-20261201-{i:06d}", ("received",), Transition("received", to, NOW, "reviewer:r"))
    storage.transition("HN-20261201-000002", ("in_review",), Transition("in_review", "published", NOW, "reviewer:r"))
    assert storage.transition("HN-20261201-000001", ("received",), Transition("received", "in_review", NOW, "r")) is None
    conn = storage._conn()
    for flt in (SubmissionFilter(unit="632521"), SubmissionFilter(unit="632522"), SubmissionFilter(),
                SubmissionFilter(state="received"), SubmissionFilter(unit="632521", state="in_review"),
                SubmissionFilter(state="published"), SubmissionFilter(unit="632522", state="rejected")):
        rows = [r for r in conn.execute("SELECT unit, state FROM submissions").fetchall()
                if flt.unit in (None, r[0]) and flt.state in (None, r[1])]
        items, total = storage.list_submissions(flt)
        assert total == len(rows) == len(items), flt
