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


# -- the real server ------------------------------------------------------------------------------
DAYS_AGO = {"county-news": 12, "department-news": 2, "notices": 200}  # policy-documents: never published


@pytest.fixture(scope="module")
def freshness(tmp_path_factory):
    """A server of its own (the report reads every column), with publications injected N days ago as the office's
    own access beside the running server writes them: county-news 12 days ago by 共和县 (about to go stale),
    department-news 2 days ago by 州发改委 (up to date), notices 200 days ago (stale); one later item withdrawn."""
    from exchange.harness import start_server

    from hnsubmit.exchange.context import utcnow

    root = tmp_path_factory.mktemp("freshness")
    server = start_server(root / "data")
    now = utcnow()
    store = SqliteStorage(server.data_dir / "exchange.sqlite3")
    try:
        for column, days in DAYS_AGO.items():
            unit = "632500-fgw" if column == "department-news" else "632521"
            at = now - timedelta(days=days)
            sid = f"HN-F-{column}"
            store.add_submission(Submission(sid, unit, f"k-{column}", "sha256:" + "0" * 64, "{}", f"{column} 的信息", column,
                                            "meetings", "received", None, at, at), Transition(None, "received", at, "unit:" + unit))
            store.transition(sid, ("received",), Transition("received", "published", at, "reviewer:t_test"))
        # published later than county-news' item, then withdrawn: no longer on the portal, so not the last
        at = now - timedelta(days=1)
        store.add_submission(Submission("HN-F-gone", "632521", "k-gone", "sha256:" + "0" * 64, "{}", "撤回的信息",
                                        "county-news", "meetings", "received", None, at, at),
                             Transition(None, "received", at, "unit:632521"))
        store.transition("HN-F-gone", ("received",), Transition("received", "published", at, "reviewer:t_test"))
        store.transition("HN-F-gone", ("published",), Transition("published", "withdrawn", now, "unit:632521", "错了"))
    finally:
        store.close()
    server.now = now
    yield server
    server.stop()
    assert "Traceback" not in server.log()


def _in_quarter(server, days: int) -> bool:
    from hnsubmit.exchange.weeks import current_quarter, quarter_of

    return quarter_of(server.now - timedelta(days=days)) == current_quarter(server.now)


@pytest.mark.integration
def test_the_column_report_over_http(freshness):
    s = freshness
    with s.client("reviewer") as c:
        report = c.get("/api/v1/reports/columns").json()
        assert c.get("/api/v1/reports/columns", params={"quarter": "2026Q9"}).json()["error"]["code"] == "invalid_request"
    rows = {r["column"]: r for r in report["rows"]}
    assert len(rows) == 17 and report["as_of"] == s.now.astimezone(timezone(timedelta(hours=8))).date().isoformat()
    news = rows["county-news"]
    assert (news["kind"], news["max_days"], news["warning_days"]) == ("news", 14, 3)
    assert (news["state"], news["days_since"], news["days_left"]) == ("due_soon", 12, 2)
    assert news["last"] == {"submission_id": "HN-F-county-news", "title": "county-news 的信息", "unit": "632521",
                            "unit_name": "共和县人民政府", "published_at": news["last"]["published_at"]}
    assert [u["code"] for u in news["units"]] == ["632521", "632522", "632523", "632524", "632525"]  # the 分工表
    # the withdrawn item was published in the quarter too: the portal was updated that day
    expected = _in_quarter(s, 12) + _in_quarter(s, 1)
    assert news["quarter_published"] == expected and news["quarter_by_unit"] == ({"632521": expected} if expected else {})
    assert (rows["department-news"]["state"], rows["department-news"]["days_left"]) == ("ok", 12)
    assert (rows["notices"]["kind"], rows["notices"]["state"], rows["notices"]["days_left"]) == ("notice", "overdue", -20)
    assert rows["notices"]["quarter_published"] == 0
    assert (rows["policy-documents"]["state"], rows["policy-documents"]["last"]) == ("overdue", None)
    assert report["totals"]["due_soon"] == 1 and report["totals"]["ok"] == 1

    with s.client("unit_b") as c:  # 同德县: its own columns only, and nobody else's item ids
        mine = c.get("/api/v1/reports/columns").json()
    seen = {r["column"]: r for r in mine["rows"]}
    assert "department-news" not in seen and "county-news" in seen
    assert seen["county-news"]["last"].get("submission_id") is None and seen["county-news"]["quarter_by_unit"] == {}


@pytest.mark.integration
def test_the_office_sets_a_column_s_limit_and_a_unit_may_not(freshness):
    s = freshness
    with s.client("unit") as c:
        r = c.patch("/api/v1/columns/county-news", json={"max_days": 30})
        assert r.status_code == 403 and "无权" in r.json()["error"]["message"]["zh"]
    with s.client("admin") as c:
        assert c.patch("/api/v1/columns/no-such", json={"max_days": 30}).status_code == 404
        assert c.patch("/api/v1/columns/plans", json={"max_days": 0}).status_code == 422
        assert c.patch("/api/v1/columns/plans", json={"kind": "weekly"}).status_code == 422
        r = c.patch("/api/v1/columns/plans", json={"kind": "notice"})
        assert (r.status_code, r.json()["kind"], r.json()["max_days"]) == (200, "notice", 180)  # the type's default
        r = c.patch("/api/v1/columns/plans", json={"max_days": 90})
        assert (r.json()["kind"], r.json()["max_days"]) == ("notice", 90)
        assert {c_["id"]: c_["max_days"] for c_ in c.get("/api/v1/columns").json()["columns"]}["plans"] == 90


def _columns_csv(out: str) -> dict[str, list[str]]:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(out)))
    return {r[0]: r for r in rows}


@pytest.mark.integration
def test_report_columns_and_admin_column_set_locally_and_remotely(freshness, cli, tmp_path):
    from openpyxl import load_workbook

    s = freshness
    code, local, err = cli("report", "columns", "--data", s.data_dir, "--format", "csv")
    assert code == 0, err
    code, remote, err = cli("report", "columns", "--endpoint", s.url, "--format", "csv", env={"HNSUBMIT_TOKEN": s.tokens["reviewer"]})
    assert code == 0, err
    assert local == remote  # one renderer, one answer
    rows = _columns_csv(local)
    assert rows["栏目"][:4] == ["栏目", "类型", "期限(天)", "责任单位"]
    news = rows["县区动态"]
    assert news[1:4] == ["动态要闻类", "14", "共和县人民政府、同德县人民政府、贵德县人民政府、兴海县人民政府、贵南县人民政府"]
    assert news[4] == "county-news 的信息(共和县人民政府)" and news[6:9] == ["12", "2", "即将超期"]
    assert rows["通知公告"][8] == "已超期" and rows["部门动态"][8] == "正常"
    assert rows["政策文件"][4:9] == ["从未更新", "-", "-", "-", "已超期"]

    code, out, err = cli("report", "columns", "--data", s.data_dir, "--format", "xlsx", "-o", tmp_path / "c.xlsx",
                         "--quarter", "2026Q4")
    assert code == 0, err
    ws = load_workbook(tmp_path / "c.xlsx").active
    assert ws["A1"].value.startswith("栏目更新情况,2026年第四季度")
    values = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}
    assert values["县区动态"][6:9] == (12, 2, "即将超期")
    code, out, err = cli("report", "columns", "--data", s.data_dir, env={"COLUMNS": "250"})
    assert code == 0 and "即将超期" in out and "已超期" in out
    assert "┃ 按单位" in out and "更宽的终端" not in out  # wide: every column
    code, out, err = cli("report", "columns", "--data", s.data_dir, env={"COLUMNS": "80"})
    assert code == 0 and "即将超期" in out and "剩余天数" in out
    assert "┃ 按单" not in out and "更宽的终端" in out  # narrow: the essentials, and where the rest is
    assert max(len(line) for line in out.splitlines()) <= 80
    code, out, err = cli("report", "columns", "--data", s.data_dir, "--quarter", "2026-Q5")
    assert code == 2 and "季度" in err
    code, out, err = cli("report", "columns", "--endpoint", s.url, env={"HNSUBMIT_TOKEN": s.tokens["unit"]})
    assert code == 4 and "通报" in err  # a unit token may not read the office's report

    code, out, err = cli("admin", "column", "set", "experience", "--type", "news", "--data", s.data_dir)
    assert code == 0 and "14" in out, err
    code, out, err = cli("admin", "column", "set", "experience", "--max-days", "45", "--endpoint", s.url,
                         env={"HNSUBMIT_TOKEN": s.tokens["admin"]})
    assert code == 0 and "45" in out, err
    code, out, err = cli("admin", "column", "list", "--endpoint", s.url, env={"HNSUBMIT_TOKEN": s.tokens["reviewer"]})
    assert code == 0 and "工作交流" in out and "45" in out
    code, out, err = cli("admin", "column", "set", "experience", "--type", "weekly", "--data", s.data_dir)
    assert code == 2 and "--type" in err
    code, out, err = cli("admin", "column", "set", "experience", "--data", s.data_dir)
    assert code == 2
    code, out, err = cli("admin", "column", "set", "no-such", "--max-days", "3", "--data", s.data_dir)
    assert code == 2 and "no-such" in err  # on the data folder an exchange error is a usage error
    code, out, err = cli("admin", "column", "set", "no-such", "--max-days", "3", "--endpoint", s.url,
                         env={"HNSUBMIT_TOKEN": s.tokens["admin"]})
    assert code in (2, 6) and "no-such" in err  # the server's refusal (a usage error, as on the data folder, or 6)
    code, out, err = cli("admin", "column", "set", "experience", "--max-days", "9", "--endpoint", s.url,
                         env={"HNSUBMIT_TOKEN": s.tokens["reviewer"]})
    assert code == 4  # a reviewer may read, not manage


@pytest.mark.integration
def test_status_tells_the_unit_which_columns_are_about_to_go_stale(freshness, cli):
    s = freshness
    code, out, err = cli("status", "--endpoint", s.url, env={"HNSUBMIT_TOKEN": s.tokens["unit"], "COLUMNS": "250"})
    assert code == 0, err
    assert "栏目“县区动态”距上次发布已 12 天,还剩 2 天即超期(期限 14 天)。" in out.replace("\n", "")
    assert "栏目“通知公告”已超期" in out and "超过期限 20 天" in out
    assert "政策文件" in out and "尚无已发布的信息" in out
    assert "部门动态" not in out  # not 共和县's column
    code, out, err = cli("status", "--endpoint", s.url, "--format", "json", env={"HNSUBMIT_TOKEN": s.tokens["unit"]})
    import json

    data = json.loads(out)
    assert {r["column"]: r["days_left"] for r in data["columns"]}["county-news"] == 2
