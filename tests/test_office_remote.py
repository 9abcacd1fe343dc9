"""Issue 15 §1 and §5: the office's commands at a distance, and the adoption report.

Each command runs as its own `hnsubmit` process with its own HOME, no HNSUBMIT_EXCHANGE_DATA and its
working directory outside the exchange's data folder, against a real server on 127.0.0.1: a reviewer
logs in (the token kept in the file store: no keyring here), lists, shows, starts, rejects with a reason
and downloads the weekly report as XLSX; an admin adds a unit and issues its token; a unit's token is
refused in Chinese.  The same commands on the data folder (`--data`) print exactly the same.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from conftest import REPO
from exchange.harness import start_server

pytestmark = pytest.mark.integration

SCORING = """
[scoring]
weekly_minimum = 5
per_published = 2
per_rejected = -1
"""


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A server of its own (the comparisons need data no other test changes), with the office's policy
    giving its own points; five items of unit 632521 this week, the first rejected and the second
    published by the office, and two of unit 632522 that only the reviewer's test acts on (so every
    test of this module may run alone, or on another worker)."""
    from hnsubmit.policy.model import default_policy_text

    root = tmp_path_factory.mktemp("office")
    policy = root / "office-policy.toml"
    policy.write_text(_with_scoring(default_policy_text()), encoding="utf-8")
    server = start_server(root / "data", policy_file=policy)
    ids = []
    for i in range(5):
        m = server.manifest("unit", f"远程审核 {i}".encode() + os.urandom(8), title=f"共和县远程审核测试{i}")
        r = server.submit("unit", m, f"office-remote-{i}")
        assert r.status_code == 201, r.text
        ids.append(r.json()["submission_id"])
    with server.client("reviewer") as c:
        assert c.post(f"/api/v1/submissions/{ids[0]}/review", json={"action": "reject", "reason": "重复报送"}).status_code == 200
        assert c.post(f"/api/v1/submissions/{ids[1]}/review", json={"action": "accept"}).status_code == 200
    server.ids = ids
    server.ids_b = []
    for i in range(2):
        m = server.manifest("unit_b", f"同德县 {i}".encode() + os.urandom(8), title=f"同德县远程审核测试{i}")
        r = server.submit("unit_b", m, f"office-remote-b-{i}")
        assert r.status_code == 201, r.text
        server.ids_b.append(r.json()["submission_id"])
    server.policy_path = policy
    yield server
    server.stop()
    assert "Traceback" not in server.log()


def _with_scoring(text: str) -> str:
    """The built-in policy with the office's own [scoring] section."""
    start = text.index("[scoring]")
    end = text.index("\n[", start + 1)
    return text[:start] + SCORING.strip() + "\n" + text[end:]


def _env(home: Path, token: str | None = None, lang: str = "zh") -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HNSUBMIT_") and k != "CI"}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_STATE_HOME=str(home / ".local/state"),
               PYTHONPATH=str(REPO), HNSUBMIT_LANG=lang, COLUMNS="200",
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")  # no keyring: login uses the file store
    if token:
        env["HNSUBMIT_TOKEN"] = token
    return env


def _run(home: Path, *args, token: str | None = None, input: str | None = None, lang: str = "zh") -> tuple[int, str, str]:
    home.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([sys.executable, "-m", "hnsubmit", *map(str, args)], env=_env(home, token, lang), cwd=str(home),
                          input=input, capture_output=True, text=True, timeout=180)
    return proc.returncode, proc.stdout, proc.stderr


def test_a_reviewer_at_a_distance_reviews_and_downloads_the_weekly_report(office, tmp_path):
    from openpyxl import load_workbook

    home = tmp_path / "reviewer"
    code, out, err = _run(home, "login", "--endpoint", office.url, "--token-stdin", input=office.tokens["reviewer"] + "\n")
    assert code == 0, err
    assert "州政府办公室令牌" in out
    first, second = office.ids_b

    code, out, err = _run(home, "review", "list")  # the endpoint and the token from the login alone
    assert code == 0, err
    assert all(i in out for i in office.ids[2:] + office.ids_b) and "同德县远程审核测试0" in out and "已接收" in out

    code, out, err = _run(home, "review", "show", first)
    assert code == 0, err
    assert "同德县远程审核测试0" in out and "审核领导: 王五" in out and "文字校对(PRF)" in out

    code, out, err = _run(home, "review", "start", first)
    assert code == 0, err
    assert "状态: 审核中" in out and "审核人: tests reviewer" in out
    code, out, err = _run(home, "review", "reject", first, "--reason", "图片说明缺失")
    assert code == 0, err
    assert "状态: 已退回 — 图片说明缺失" in out
    code, out, err = _run(home, "review", "accept", second)
    assert code == 0, err
    with office.client("unit_b") as c:  # the liaison sees the reviewer's reason
        detail = c.get(f"/api/v1/submissions/{first}").json()
    assert (detail["state"], detail["reason"]) == ("rejected", "图片说明缺失")
    assert detail["history"][-1]["by"].startswith("reviewer:")

    code, out, err = _run(home, "report", "weekly", "--format", "xlsx", "-o", "通报.xlsx")
    assert code == 0, err
    ws = load_workbook(home / "通报.xlsx").active
    assert ws["A1"].value.startswith("海南州政府门户网站信息报送情况通报(")
    headings = [c.value for c in ws[3]]
    assert headings == ["单位代码", "单位名称", "报送", "已审批", "采用", "退回", "撤回", "待审", "采用率", "达标(每周≥3条)", "得分"]
    row = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == "632521")
    # 5 sent and approved (declared), 1 published, 1 rejected, 3 with the office; the office's points:
    # 5 for the week's three, 2 per published item, -1 per rejected item
    assert row == ("632521", "共和县人民政府", 5, 5, 1, 1, 0, 3, 0.2, "是", 6)
    # and the two the reviewer just handled: 2 sent, 1 published, 1 rejected; 2 - 1 points, the week not met
    row_b = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == "632522")
    assert row_b == ("632522", "同德县人民政府", 2, 2, 1, 1, 0, 0, 0.5, "否", 1)
    assert ws.cell(row=4, column=9).number_format == "0.0%"
    code, out, err = _run(home, "whoami")
    assert code == 0, err
    assert "角色: 审核人" in out and "令牌文件" in out and office.tokens["reviewer"] not in out + err
    # the reviewer never had the data folder: nothing of the exchange was made in its HOME
    assert not list(home.rglob("exchange.sqlite3"))
    assert office.tokens["reviewer"] not in "".join(p.read_text(errors="replace") for p in home.rglob("*.toml")
                                                   if "token" not in p.name)
    code, out, err = _run(home, "logout")
    assert code == 0 and "已删除" in out, err
    code, out, err = _run(home, "review", "list")
    assert code == 4 and "Traceback" not in err


def test_an_admin_adds_a_unit_and_issues_its_token_remotely(office, tmp_path):
    home = tmp_path / "admin"
    admin = office.tokens["admin"]
    code, out, err = _run(home, "admin", "unit", "add", "632500-yc", "海南州远程局", "--column", "department-news",
                          "--endpoint", office.url, token=admin)
    assert code == 0, err
    assert "632500-yc" in out
    code, secret, err = _run(home, "admin", "token", "issue", "--role", "unit", "--unit", "632500-yc", "--label", "远程局信息员",
                             "--endpoint", office.url, token=admin)
    assert code == 0, err
    secret = secret.strip()
    with httpx.Client(base_url=office.url, headers={"Authorization": f"Bearer {secret}"}) as c:
        me = c.get("/api/v1/whoami").json()
    assert me["role"] == "unit" and me["unit"]["code"] == "632500-yc"
    code, out, err = _run(home, "admin", "unit", "list", "--format", "json", "--endpoint", office.url, token=admin)
    assert code == 0, err
    unit = next(u for u in json.loads(out) if u["code"] == "632500-yc")
    assert unit == {"code": "632500-yc", "name": "海南州远程局", "kind": "department", "active": True, "columns": ["department-news"]}
    code, out, err = _run(home, "admin", "unit", "columns", "632500-yc", "--column", "department-news", "--column", "notices",
                          "--endpoint", office.url, token=admin)
    assert code == 0, err
    with office.client("admin") as c:
        assert next(u for u in c.get("/api/v1/units").json()["units"] if u["code"] == "632500-yc")["columns"] == [
            "department-news", "notices"]
    code, out, err = _run(home, "admin", "unit", "columns", "632500-yc", "--column", "no-such-column",
                          "--endpoint", office.url, token=admin)
    assert code == 2 and "no-such-column" in err
    code, out, err = _run(home, "admin", "unit", "disable", "632500-yc", "--endpoint", office.url, token=admin)
    assert code == 0, err
    with httpx.Client(base_url=office.url, headers={"Authorization": f"Bearer {secret}"}) as c:
        assert c.get("/api/v1/whoami").status_code == 403
    code, out, err = _run(home, "admin", "unit", "enable", "632500-yc", "--endpoint", office.url, token=admin)
    assert code == 0, err
    code, out, err = _run(home, "admin", "token", "list", "--endpoint", office.url, token=admin)
    assert code == 0, err
    token_id = next(ln.split("│")[1].strip() for ln in out.splitlines() if "远程局信息员" in ln)
    code, out, err = _run(home, "admin", "token", "revoke", token_id, "--endpoint", office.url, token=admin)
    assert code == 0, err
    with httpx.Client(base_url=office.url, headers={"Authorization": f"Bearer {secret}"}) as c:
        assert c.get("/api/v1/whoami").status_code == 401
    # a reviewer may review, not administer
    code, out, err = _run(home, "admin", "unit", "add", "632500-yd", "海南州另一局", "--endpoint", office.url,
                          token=office.tokens["reviewer"])
    assert code == 4 and "此令牌无权管理单位和令牌" in err and "Traceback" not in err


@pytest.mark.parametrize("args", [
    ("review", "reject", "HN-20261206-AAAAAA", "--reason", "x"),
    ("report", "weekly"),
    ("admin", "token", "issue", "--role", "admin"),
])
def test_a_unit_token_is_refused_in_chinese(office, tmp_path, args):
    code, out, err = _run(tmp_path / "unit", *args, "--endpoint", office.url, token=office.tokens["unit"])
    assert code == 4, err
    assert "此令牌无权" in err and "Traceback" not in err
    assert out == ""  # not even the unit's own row: the office's commands are not a unit's


def test_a_bad_token_and_no_token(office, tmp_path):
    code, out, err = _run(tmp_path / "x", "review", "list", "--endpoint", office.url, token="A" * 43)
    assert code == 4 and "401" in err and "Traceback" not in err
    code, out, err = _run(tmp_path / "y", "report", "weekly", "--endpoint", office.url)
    assert code == 4 and "hnsubmit login" in err and "Traceback" not in err


@pytest.mark.parametrize("args, lang", [
    (("review", "list"), "zh"),
    (("review", "list", "--state", "published"), "zh"),
    (("review", "show", 0), "zh"),
    (("review", "show", 0), "en"),
    (("report", "weekly"), "zh"),
    (("report", "weekly", "--format", "csv"), "en"),
    (("report", "quarter"), "zh"),
    (("report", "quarter", "--format", "csv"), "zh"),
    # refusals: the same words and exit code (2) whether the exchange or the data folder refuses
    (("review", "show", "HN-20261206-ZZZZZZ"), "zh"),
    (("review", "reject", "HN-20261206-ZZZZZZ", "--reason", "图片说明缺失"), "en"),
    (("admin", "unit", "add", "632521", "共和县人民政府"), "zh"),
])
def test_local_and_remote_print_the_same(office, tmp_path, args, lang):
    args = tuple(office.ids[3] if a == 0 else a for a in args)
    token = office.tokens["admin" if args[0] == "admin" else "reviewer"]
    local = _run(tmp_path / "operator", *args, "--data", office.data_dir,
                 *(("--policy", office.policy_path) if args[0] == "report" else ()), lang=lang)
    remote = _run(tmp_path / "reviewer", *args, "--endpoint", office.url, token=token, lang=lang)
    assert local == remote
    assert local[0] in (0, 2) and (local[1].strip() or local[2].strip())
    assert (local[0] == 2) == ("ZZZZZZ" in " ".join(args) or args[0] == "admin")
    assert "Traceback" not in local[2]


def test_an_unreachable_exchange_is_said_without_an_outbox(tmp_path):
    code, out, err = _run(tmp_path / "x", "review", "list", "--endpoint", "http://127.0.0.1:9", token="A" * 43)
    assert code == 5 and "无法连接交换接口" in err and "再运行同一条命令" in err
    assert "待发箱" not in err and "发件箱" not in err and "Traceback" not in err


def test_both_sources_answer_the_same_data(office):
    """Below the renderers: LocalOffice and RemoteOffice give equal values for the same request."""
    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.client.credentials import Secret
    from hnsubmit.client.office import RemoteOffice
    from hnsubmit.exchange.context import open_exchange
    from hnsubmit.exchange.office import LocalOffice
    from hnsubmit.policy.model import load_policy

    ex = open_exchange(office.data_dir, create=False)
    try:
        local = LocalOffice(ex, load_policy(office.policy_path))
        remote = RemoteOffice(ExchangeClient(office.url, Secret(office.tokens["reviewer"])))
        try:
            assert local.units() == remote.units()
            assert local.submissions(unit="632521") == remote.submissions(unit="632521")
            assert local.review_view(office.ids[4]) == remote.review_view(office.ids[4])
            assert local.weekly_report() == remote.weekly_report()
            assert local.quarter_report() == remote.quarter_report()
        finally:
            remote.close()
    finally:
        ex.close()


def test_report_quarter_counts_its_weeks(office, tmp_path):
    """The quarter of this week holds this week's items; the points follow the office's [scoring]."""
    from hnsubmit.exchange.weeks import current_quarter, current_week, quarter_weeks

    code, out, err = _run(tmp_path / "r", "report", "quarter", "--format", "csv", "--endpoint", office.url,
                          token=office.tokens["reviewer"])
    assert code == 0, err
    rows = {r[0]: r for r in csv.reader(io.StringIO(out))}
    assert rows["单位代码"][-2:] == ["达标周数", "得分"]
    weeks = len(quarter_weeks(current_quarter()))
    assert current_week() in quarter_weeks(current_quarter())
    row = rows["632521"]
    # sent, approved, published, rejected, withdrawn, with the office, rate, weeks met, score
    assert row[2:] == ["5", "5", "1", "1", "0", "3", "20.0%", f"1/{weeks}", "6"]
    assert rows["632523"][-2:] == [f"0/{weeks}", "0"]
    code, out, err = _run(tmp_path / "r", "report", "quarter", "--format", "xlsx", "--endpoint", office.url,
                          token=office.tokens["reviewer"])
    assert code == 0, err
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "r" / f"考核-{current_quarter()}.xlsx").active
    assert ws.title == current_quarter() and ws["A1"].value == f"海南州政府门户网站信息报送考核({current_quarter()})"
    assert [c.value for c in ws[3]][-2:] == ["达标周数", "得分"]
    xrow = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == "632521")
    assert xrow[2:] == (5, 5, 1, 1, 0, 3, 0.2, f"1/{weeks}", 6)
    code, out, err = _run(tmp_path / "r", "report", "quarter", "--quarter", "2026-Q5", "--endpoint", office.url,
                          token=office.tokens["reviewer"])
    assert code == 2 and "2026-Q5" in err
    code, out, err = _run(tmp_path / "r", "report", "weekly", "--policy", office.policy_path, "--endpoint", office.url,
                          token=office.tokens["reviewer"])
    assert code == 2 and "--data" in err


def test_approved_counts_the_approvers_acceptance_not_the_waiting(tmp_path):
    """In approver mode an item counts as approved once its approver accepted it; one still waiting, one
    returned and one withdrawn before approval do not (issue 15 §5 with §2's states)."""
    from datetime import datetime, timezone

    from hnsubmit.exchange import reports
    from hnsubmit.exchange.context import open_exchange
    from hnsubmit.exchange.store.storage import Submission, Transition

    ex = open_exchange(tmp_path / "ex")
    try:
        now = datetime.now(timezone.utc)
        manifest = json.dumps({"approval": {"approver": "王五", "approved_at": now.isoformat()}}, ensure_ascii=False)
        paths = {
            "waiting": [("awaiting_approval", "unit:632521")],
            "returned": [("awaiting_approval", "unit:632521"), ("returned", "approver:t_a")],
            "withdrawn-waiting": [("awaiting_approval", "unit:632521"), ("withdrawn", "unit:632521")],
            "approved": [("awaiting_approval", "unit:632521"), ("received", "approver:t_a")],
            "approved-withdrawn": [("awaiting_approval", "unit:632521"), ("received", "approver:t_a"), ("withdrawn", "unit:632521")],
            "published": [("awaiting_approval", "unit:632521"), ("received", "approver:t_a"), ("published", "reviewer:t_r")],
            "declared-withdrawn": [("received", "unit:632521"), ("withdrawn", "unit:632521")],
        }
        for n, (name, steps) in enumerate(paths.items()):
            sid = f"HN-T-{n:04d}"
            first = steps[0][0]
            ex.storage.add_submission(Submission(sid, "632521", f"k{n}", "sha256:" + f"{n:064d}", manifest, name, "county-news",
                                                 "meetings", first, None, now, now), Transition(None, first, now, steps[0][1]))
            state = first
            for to, by in steps[1:]:
                assert ex.storage.transition(sid, (state,), Transition(state, to, now, by)) is not None
                state = to
        row = next(r for r in reports.weekly(ex)["rows"] if r["unit"] == "632521")
    finally:
        ex.close()
    assert (row["sent"], row["approved"], row["published"], row["awaiting_approval"]) == (7, 4, 1, 1)
    assert row["weeks_met"] == 1 and row["met"] is True
    assert row["score"] == 1 + 1  # the built-in points: 1 for the week's three approved, 1 per published item


def test_quarters_are_their_iso_weeks_and_out_of_range_years_are_invalid():
    """A quarter is the ISO weeks whose Thursday falls in it: every week belongs to exactly one quarter,
    and weeks or quarters the stores cannot hold as UTC times (year 1, year 9999) are invalid, not a 500."""
    from datetime import date, datetime, timedelta

    from hnsubmit.exchange.weeks import TZ, parse_week, quarter_bounds, quarter_of, quarter_weeks, week_of

    assert quarter_weeks("2026-Q4")[0] == "2026-W40" and quarter_weeks("2026-Q4")[-1] == "2026-W53"
    assert len(quarter_weeks("2027-Q1")) == 12 and quarter_weeks("2027-Q1")[0] == "2027-W01"
    seen = [w for y in range(2024, 2029) for q in range(1, 5) for w in quarter_weeks(f"{y}-Q{q}")]
    monday = date(2024, 1, 1)
    every = []
    while monday < date(2029, 1, 1):
        every.append(week_of(datetime(monday.year, monday.month, monday.day, 12, tzinfo=TZ)))
        monday += timedelta(days=7)
    assert seen == every  # each week once, in order
    start, end = quarter_bounds("2026-Q4")
    assert (start.isoformat(), end.isoformat()) == ("2026-09-28T00:00:00+08:00", "2027-01-04T00:00:00+08:00")
    assert quarter_of(datetime(2026, 12, 31, 12, tzinfo=TZ)) == "2026-Q4"
    assert quarter_of(datetime(2027, 1, 1, 12, tzinfo=TZ)) == "2026-Q4"  # a Friday of 2026-W53
    for bad in ("0000-Q1", "0001-Q1", "9999-Q4", "2026-Q5", "2026-Q0", "2026Q1"):
        with pytest.raises(ValueError):
            quarter_weeks(bad)
    for bad in ("0001-W01", "9999-W52"):
        with pytest.raises(ValueError):
            parse_week(bad)


def test_in_approver_mode_the_report_counts_what_the_approver_accepted(tmp_path):
    """Issue 15 §5 with §2 against a real server in approver mode: of four items sent, the approver accepts
    two and returns one; the weekly report (remote and local alike) says 4 sent, 2 approved, 1 awaiting."""
    from hnsubmit.policy.model import default_policy_text

    policy = tmp_path / "approver.toml"
    text = default_policy_text()
    start = text.index('mode = "declared"')
    policy.write_text(text[:start] + 'mode = "approver"' + text[start + len('mode = "declared"'):], encoding="utf-8")
    server = start_server(tmp_path / "data", policy_file=policy)
    try:
        with server.client("admin") as c:
            r = c.post("/api/v1/tokens", json={"role": "approver", "unit": "632521", "name": "王五"})
            assert r.status_code == 201, r.text
            approver = r.json()["token"]
        ids = []
        for i in range(4):
            m = server.manifest("unit", f"审批 {i}".encode() + os.urandom(8), title=f"共和县审批测试{i}")
            r = server.submit("unit", m, f"approver-mode-{i}")
            assert r.status_code == 201 and r.json()["state"] == "awaiting_approval", r.text
            ids.append(r.json()["submission_id"])
        with server.client(token=approver) as c:
            for sid, action in ((ids[0], "accept"), (ids[1], "accept"), (ids[2], "return")):
                body = {"action": action, **({"reason": "数据需核实"} if action == "return" else {})}
                r = c.post(f"/api/v1/submissions/{sid}/approval", json=body)
                assert r.status_code == 200, r.text
        with server.client("reviewer") as c:
            assert c.post(f"/api/v1/submissions/{ids[0]}/review", json={"action": "accept"}).status_code == 200
        code, out, err = _run(tmp_path / "r", "report", "weekly", "--format", "csv", "--endpoint", server.url,
                              token=server.tokens["reviewer"])
        assert code == 0, err
        rows = {r[0]: r for r in csv.reader(io.StringIO(out))}
        assert rows["单位代码"][6:9] == ["撤回", "待审", "待领导审批"]
        # sent, approved, published, rejected, withdrawn, with the office, awaiting approval, rate, met, score
        assert rows["632521"][2:] == ["4", "2", "1", "0", "0", "1", "1", "25.0%", "否", "1"]
        local = _run(tmp_path / "o", "report", "weekly", "--format", "csv", "--data", server.data_dir, "--policy", policy)
        assert local[0] == 0 and local[1] == out
    finally:
        server.stop()
