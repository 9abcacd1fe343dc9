"""The weekly supervision report (督查通报): its numbers over HTTP and from `hnsubmit report weekly`,
and ISO weeks counted in Asia/Shanghai time."""

from __future__ import annotations

import csv
import io
import os
import uuid
from datetime import datetime, timezone

import pytest

from hnsubmit.exchange.weeks import current_week, parse_week, week_bounds, week_of


def _unit(s, key: str, code: str, name: str) -> None:
    with s.client("admin") as c:
        assert c.post("/api/v1/units", json={"code": code, "name": name, "kind": "department",
                                             "columns": ["department-news"]}).status_code == 201
        s.tokens[key] = c.post("/api/v1/tokens", json={"role": "unit", "unit": code}).json()["token"]
    s.units[key] = code


def _send(s, key: str, n: int) -> list[str]:
    ids = []
    for i in range(n):
        m = s.manifest(key, b"report " + os.urandom(16), title=f"工作动态{i}", column="department-news")
        r = s.submit(key, m, str(uuid.uuid4()))
        assert r.status_code == 201, r.text
        ids.append(r.json()["submission_id"])
    return ids


@pytest.fixture(scope="module")
def reported(exchange_server):
    """Two fresh units: X sends 4 (2 accepted, 1 rejected, 1 pending), Y sends 2 (1 withdrawn, 1 pending)."""
    s = exchange_server
    suffix = uuid.uuid4().hex[:6]
    x, y = f"632500-x{suffix}", f"632500-y{suffix}"
    _unit(s, "rx", x, "海南州报送多局")
    _unit(s, "ry", y, "海南州报送少局")
    xs, ys = _send(s, "rx", 4), _send(s, "ry", 2)
    with s.client("reviewer") as c:
        for sid, action, reason in ((xs[0], "accept", None), (xs[1], "accept", None), (xs[2], "reject", "内容重复")):
            assert c.post(f"/api/v1/submissions/{sid}/review", json={"action": action, "reason": reason}).status_code == 200
        assert c.post(f"/api/v1/submissions/{xs[3]}/review", json={"action": "start"}).status_code == 200
    with s.client("ry") as c:
        assert c.post(f"/api/v1/submissions/{ys[0]}/withdraw", json={"reason": "发错了"}).status_code == 200
    return s, x, y


@pytest.mark.integration
def test_weekly_numbers_over_http(reported):
    s, x, y = reported
    with s.client("reviewer") as c:
        report = c.get("/api/v1/reports/weekly", params={"week": current_week()}).json()
        assert report == c.get("/api/v1/reports/weekly").json()  # the default is this week
    assert report["week"] == current_week() and report["required_per_week"] == 3
    rows = {r["unit"]: r for r in report["rows"]}
    # issue 15 §5: approved (declared here: every item carries its leader's approval), published (采用),
    # the adoption rate and the points of the default [scoring]: 1 for the week's three, 1 per item published
    assert rows[x] == {"unit": x, "name": "海南州报送多局", "sent": 4, "approved": 4, "published": 2, "accepted": 2,
                       "rejected": 1, "withdrawn": 0, "pending": 1, "awaiting_approval": 0, "adoption_rate": 0.5,
                       "weeks_met": 1, "met": True, "score": 3}
    assert rows[y] == {"unit": y, "name": "海南州报送少局", "sent": 2, "approved": 2, "published": 0, "accepted": 0,
                       "rejected": 0, "withdrawn": 1, "pending": 1, "awaiting_approval": 0, "adoption_rate": 0.0,
                       "weeks_met": 0, "met": False, "score": 0}
    assert report["scoring"] == {"weekly_minimum": 1, "per_published": 1, "per_rejected": 0}
    start = datetime.fromisoformat(report["start"])
    assert (start.weekday(), start.hour, start.utcoffset().total_seconds()) == (0, 0, 8 * 3600)
    with s.client("rx") as c:
        assert c.get("/api/v1/reports/weekly").json()["rows"] == [rows[x]]
    with s.client("reviewer") as c:
        last_year = c.get("/api/v1/reports/weekly", params={"week": "2020-W10"}).json()
        assert {r["unit"]: r["sent"] for r in last_year["rows"]}[x] == 0
        assert c.get("/api/v1/reports/weekly", params={"week": "2026-W54"}).json()["error"]["code"] == "invalid_request"


@pytest.mark.integration
def test_weekly_report_command_csv_table_xlsx(reported, cli, tmp_path):
    from openpyxl import load_workbook

    s, x, y = reported
    code, out, err = cli("report", "weekly", "--data", s.data_dir, "--format", "csv")
    assert code == 0, err
    rows = {r[0]: r for r in csv.reader(io.StringIO(out))}
    assert rows["单位代码"] == ["单位代码", "单位名称", "报送", "已审批", "采用", "退回", "撤回", "待审", "采用率", "达标(每周≥3条)", "得分"]
    assert rows[x] == [x, "海南州报送多局", "4", "4", "2", "1", "0", "1", "50.0%", "是", "3"]
    assert rows[y] == [y, "海南州报送少局", "2", "2", "0", "0", "1", "1", "0.0%", "否", "0"]
    code, out, err = cli("--lang", "en", "report", "weekly", "--data", s.data_dir, "--format", "csv", "-o", tmp_path / "r.csv")
    assert code == 0
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    assert f"{y},海南州报送少局,2,2,0,0,1,1,0.0%,no,0" in raw.decode("utf-8-sig")
    code, out, err = cli("report", "weekly", "--data", s.data_dir, "--format", "xlsx", "-o", tmp_path / "r.xlsx")
    assert code == 0, err
    ws = load_workbook(tmp_path / "r.xlsx").active
    values = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert values[x] == (x, "海南州报送多局", 4, 4, 2, 1, 0, 1, 0.5, "是", 3)
    assert ws["A1"].value == f"海南州政府门户网站信息报送情况通报({current_week()})"
    code, out, err = cli("report", "weekly", "--data", s.data_dir, env={"COLUMNS": "200"})
    assert code == 0, err
    line = next(ln for ln in out.splitlines() if x in ln)
    from hnsubmit.i18n import _

    assert [c.strip() for c in line.strip("│ ").split("│")] == [x, "海南州报送多局", "4", "4", "2", "1", "0", "1", "50.0%", _("yes"), "3"]
    code, out, err = cli("report", "weekly", "--data", s.data_dir, "--week", "2026-W99")
    assert code == 2


@pytest.mark.integration
def test_week_boundaries_are_shanghai_midnight(exchange_server):
    """Items received at Sunday 23:59 and Monday 00:00 in 西宁 fall in different weeks."""
    from hnsubmit.exchange.store.sqlite import SqliteStorage
    from hnsubmit.exchange.store.storage import Submission, Transition, Unit

    s = exchange_server
    code = "632500-w" + uuid.uuid4().hex[:6]
    store = SqliteStorage(s.data_dir / "exchange.sqlite3")  # the office's own access, beside the running server
    try:
        store.add_unit(Unit(code, "海南州边界局", "department", True, ("department-news",)))
        times = [datetime(2026, 11, 22, 15, 59, 59, tzinfo=timezone.utc),  # Sun 23:59:59 +08:00 → W47
                 datetime(2026, 11, 22, 16, 0, 0, tzinfo=timezone.utc),  # Mon 00:00:00 +08:00 → W48
                 datetime(2026, 11, 23, 1, 0, 0, tzinfo=timezone.utc)]
        for i, at in enumerate(times):
            sid = f"HN-T-{uuid.uuid4().hex[:8]}"
            store.add_submission(Submission(sid, code, f"k{i}", "sha256:" + "0" * 64, "{}", "t", "department-news",
                                            "meetings", "received", None, at, at), Transition(None, "received", at, "test"))
    finally:
        store.close()
    with s.client("reviewer") as c:
        w47 = {r["unit"]: r["sent"] for r in c.get("/api/v1/reports/weekly", params={"week": "2026-W47"}).json()["rows"]}
        w48 = {r["unit"]: r["sent"] for r in c.get("/api/v1/reports/weekly", params={"week": "2026-W48"}).json()["rows"]}
        listed = c.get("/api/v1/submissions", params={"week": "2026-W48", "unit": code}).json()
    assert (w47[code], w48[code]) == (1, 2)
    assert listed["total"] == 2


def test_iso_weeks():
    assert parse_week("2026-W47") == (2026, 47)
    for bad in ("2026-W00", "2026-W54", "2026W47", "2026-w47", "2025-W53"):
        with pytest.raises(ValueError):
            parse_week(bad)
    assert parse_week("2020-W53") == (2020, 53)  # 2020 had 53 ISO weeks
    start, end = week_bounds("2026-W01")
    assert (start.isoformat(), end.isoformat()) == ("2025-12-29T00:00:00+08:00", "2026-01-05T00:00:00+08:00")
    assert week_of(datetime(2026, 1, 4, 15, 59, tzinfo=timezone.utc)) == "2026-W01"
    assert week_of(datetime(2026, 1, 4, 16, 0, tzinfo=timezone.utc)) == "2026-W02"
    assert current_week(datetime(2026, 11, 22, 17, 0, tzinfo=timezone.utc)) == "2026-W48"
