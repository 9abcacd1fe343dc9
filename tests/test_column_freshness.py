"""Column freshness (栏目更新, issue 15 §3): thresholds and states, the store's schema step 5, the column
report over HTTP and from `hnsubmit report columns`, `admin column set`, and what `status` tells a unit.

Dates are injected as the office's own access beside the running server writes them (a publication
N days ago), never by waiting."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest

from hnsubmit.exchange.freshness import column_state, freshness_problem, warning_days
from hnsubmit.exchange.store.sqlite import SqliteStorage
from hnsubmit.exchange.store.storage import Column, Submission, Transition, Unit

NOW = datetime(2026, 12, 6, 4, 0, tzinfo=timezone.utc)  # 12:00 in 西宁


def test_warning_window_and_states():
    assert [warning_days(d) for d in (1, 14, 180, 365)] == [3, 3, 36, 73]
    today = date(2026, 12, 6)
    assert column_state(14, today, today) == ("ok", 0, 14)
    assert column_state(14, today - timedelta(days=10), today) == ("ok", 10, 4)
    assert column_state(14, today - timedelta(days=11), today) == ("due_soon", 11, 3)
    assert column_state(14, today - timedelta(days=14), today) == ("due_soon", 14, 0)  # the last day still counts
    assert column_state(14, today - timedelta(days=15), today) == ("overdue", 15, -1)
    assert column_state(180, today - timedelta(days=144), today)[0] == "due_soon"
    assert column_state(180, today - timedelta(days=143), today)[0] == "ok"
    assert column_state(14, None, today) == ("overdue", None, None)  # never updated: an empty column
    assert freshness_problem("news", 14) is None
    assert freshness_problem("weekly", 14) and freshness_problem("news", 0) and freshness_problem("news", True)


def _v3(path) -> None:
    """A database as schema 3 left it: no column kinds or thresholds, no expiry."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(
        "CREATE TABLE columns (id TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL, description TEXT NOT NULL DEFAULT '');"
        "CREATE TABLE submissions (submission_id TEXT PRIMARY KEY, unit TEXT NOT NULL, idempotency_key TEXT NOT NULL,"
        " manifest_digest TEXT NOT NULL, manifest_json TEXT NOT NULL, title TEXT NOT NULL, column_id TEXT NOT NULL,"
        " category TEXT NOT NULL, state TEXT NOT NULL, reason TEXT, received_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
        " UNIQUE (unit, idempotency_key));"
        "INSERT INTO columns VALUES ('county-news', '县区动态', 'County news', ''), ('notices', '通知公告', 'Notices', ''),"
        " ('plans', '规划计划', 'Plans', '');"
        "INSERT INTO submissions VALUES ('HN-1', '632521', 'k1', 'd', '{\"expires\": \"2026-11-30\"}', 't', 'notices',"
        " 'services', 'published', NULL, '2026-11-01T00:00:00.000000Z', '2026-11-02T00:00:00.000000Z'),"
        " ('HN-2', '632521', 'k2', 'd', '{}', 't', 'county-news', 'meetings', 'published', NULL,"
        " '2026-11-01T00:00:00.000000Z', '2026-11-02T00:00:00.000000Z');"
        "PRAGMA user_version = 3;"
    )
    conn.close()


def test_schema_step_5_upgrades_a_version_3_database_in_place(tmp_path):
    path = tmp_path / "exchange.sqlite3"
    _v3(path)
    s = SqliteStorage(path)
    try:
        assert s._one("PRAGMA user_version")[0] >= 5
        kinds = {c.id: (c.kind, c.max_days) for c in s.list_columns()}
        assert kinds == {"county-news": ("news", 14), "notices": ("notice", 180), "plans": ("other", 365)}
        assert s.get_submission("HN-1").expires == "2026-11-30"  # backfilled from its manifest
        assert s.get_submission("HN-2").expires is None
        assert [x.submission_id for x in s.expired_published("2026-12-01")] == ["HN-1"]
        assert s.expired_published("2026-11-30") == []  # the last valid day is not past
    finally:
        s.close()
    SqliteStorage(path).close()  # opened again: nothing left to do


def test_a_new_database_has_the_columns_and_the_seed_kinds(tmp_path):
    from hnsubmit.exchange.context import open_exchange

    ex = open_exchange(tmp_path / "data")
    try:
        kinds = {c.id: (c.kind, c.max_days) for c in ex.storage.list_columns()}
    finally:
        ex.close()
    assert kinds["county-news"] == kinds["department-news"] == kinds["prefecture-news"] == ("news", 14)
    assert kinds["notices"] == kinds["policy-documents"] == ("notice", 180)
    assert kinds["guides"] == ("other", 365)


def test_store_publications_in_a_period(tmp_path):
    s = SqliteStorage(tmp_path / "exchange.sqlite3")
    try:
        s.put_column(Column("county-news", "县区动态", "County news", "", "news", 14))
        s.add_unit(Unit("632521", "共和县", "county", True, ("county-news",)))
        for i, days in enumerate((1, 2, 40, 100)):
            at = NOW - timedelta(days=days)
            sid = f"HN-{i}"
            s.add_submission(Submission(sid, "632521", f"k{i}", "d", "{}", f"t{i}", "county-news", "meetings",
                                        "received", None, at, at), Transition(None, "received", at, "unit:632521"))
            s.transition(sid, ("received",), Transition("received", "published", at, "reviewer:t_r"))
        s.transition("HN-0", ("published",), Transition("published", "withdrawn", NOW, "unit:632521", "错了"))
        assert s.published_counts(NOW - timedelta(days=50), NOW) == [("county-news", "632521", 3)]  # withdrawn too
        assert s.last_published("county-news").submission_id == "HN-1"  # HN-0 is withdrawn
    finally:
        s.close()
