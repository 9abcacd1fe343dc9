"""Expiry and source (issue 15 §4): the SUB rules on submission.toml (SUB018 source and date of a news item,
SUB019 a reprint's original, SUB020 the expiry date), the manifest `push` posts, and the exchange listing
published items past their date to the unit (`status`) and to the office (`report expired`)."""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from factories_submission import VALID_TOML, submission_folder
from hnsubmit.submission.load import load_submission
from hnsubmit.submission.manifest import build_manifest, digest_files
from hnsubmit.submission.model import CHINA

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=CHINA)


def _findings(tmp_path, toml: str, now=NOW) -> list[tuple[str, str, dict]]:
    folder = submission_folder(tmp_path / "s", toml)
    _sub, findings = load_submission(folder, now=now)
    return [(f.code, f.location.field_path, dict(f.args)) for f in findings]


def _with(extra: str, toml: str = VALID_TOML) -> str:
    return toml.replace('channels = ["portal"]\n', 'channels = ["portal"]\n' + extra, 1)


def test_a_news_item_names_its_source_and_date_a_guide_need_not(tmp_path):
    bare = VALID_TOML.replace('source = "共和县林业和草原局"\n', "\n").replace("written = 2026-11-19\n", "")
    assert _findings(tmp_path / "a", bare) == [
        ("SUB018", "source", {"field": {"zh": "来源", "en": "source"}, "key": "source"}),
        ("SUB018", "written", {"field": {"zh": "成稿日期", "en": "date written"}, "key": "written"}),
    ]
    assert _findings(tmp_path / "b", VALID_TOML) == []
    blank = VALID_TOML.replace('source = "共和县林业和草原局"', 'source = "  "')
    assert [c for c, *_ in _findings(tmp_path / "c", blank)] == ["SUB018"]


def test_a_reprint_names_its_original_and_its_address(tmp_path):
    assert [(c, p) for c, p, _ in _findings(tmp_path / "a", _with("reprint = true\n"))] == [("SUB019", "reprint")]
    no_source = _with('reprint = true\nsource_url = "https://www.qhrb.com.cn/1.html"\n').replace(
        'source = "共和县林业和草原局"\n', "\n")
    found = _findings(tmp_path / "b", no_source)
    assert [(c, p) for c, p, _ in found] == [("SUB018", "source"), ("SUB019", "reprint")]
    assert found[1][2]["reason"]["zh"] == "未写原发单位(source)"
    bad = _findings(tmp_path / "c", _with('reprint = true\nsource_url = "www.qhrb.com.cn/1.html"\n'))
    assert [(c, p) for c, p, _ in bad] == [("SUB019", "source_url")]
    assert "http://" in bad[0][2]["reason"]["zh"]
    assert _findings(tmp_path / "d", _with('reprint = true\nsource_url = "https://www.qhrb.com.cn/1.html"\n')) == []
    assert _findings(tmp_path / "e", _with("reprint = false\n")) == []  # not a reprint: no address needed


def test_an_expiry_date_is_after_today_and_after_the_date_written(tmp_path):
    assert _findings(tmp_path / "a", _with("expires = 2026-12-31\n")) == []
    past = _findings(tmp_path / "b", _with("expires = 2026-11-21\n"))
    assert [(c, p, a["value"]) for c, p, a in past] == [("SUB020", "expires", "2026-11-21")]
    assert _findings(tmp_path / "c", _with("expires = 2026-11-22\n")) == []  # today is still valid
    early = _findings(tmp_path / "d", _with("expires = 2026-11-19\n"), now=dt.datetime(2026, 11, 19, 18, 0, tzinfo=CHINA))
    assert [(c, a["reason"]["en"]) for c, _p, a in early] == [("SUB020", "it is not after the date written, 2026-11-19")]
    wrong = _findings(tmp_path / "e", _with('expires = "下月底"\n'))
    assert [c for c, *_ in wrong] == ["SUB013"]  # a date that is not one is a field error, said once


def test_the_manifest_carries_expiry_and_the_reprint(tmp_path):
    folder = submission_folder(tmp_path / "s", _with(
        'expires = 2026-12-31\nreprint = true\nsource_url = "https://www.qhrb.com.cn/1.html"\n'))
    sub, _ = load_submission(folder, now=NOW)
    manifest = build_manifest(sub, digest_files(folder, sub))
    assert (manifest["expires"], manifest["reprint"], manifest["source_url"], manifest["source"], manifest["written"]) == (
        "2026-12-31", True, "https://www.qhrb.com.cn/1.html", "共和县林业和草原局", "2026-11-19")


# -- the real server: published items past their date, to the unit and to the office ------------------
def _today() -> dt.date:
    return dt.datetime.now(CHINA).date()


@pytest.fixture(scope="module")
def expiring(exchange_server):
    """A fresh unit pushes three items through the API: one that expired three days ago, one that expires
    in a month, one without a date; the office publishes all three."""
    s = exchange_server
    code = "632500-e" + uuid.uuid4().hex[:6]
    with s.client("admin") as c:
        assert c.post("/api/v1/units", json={"code": code, "name": "海南州过期测试局", "kind": "department",
                                             "columns": ["notices"]}).status_code == 201
        s.tokens["ex"] = c.post("/api/v1/tokens", json={"role": "unit", "unit": code}).json()["token"]
    s.units["ex"] = code
    ids = {}
    for name, expires in (("past", _today() - timedelta(days=3)), ("future", _today() + timedelta(days=30)), ("none", None)):
        m = s.manifest("ex", f"expiry {name} ".encode() + os.urandom(8), title=f"关于{name}的通知", column="notices")
        m.update(source="海南州过期测试局", written="2026-11-01")
        if expires:
            m["expires"] = expires.isoformat()
        r = s.submit("ex", m, str(uuid.uuid4()))
        assert r.status_code == 201, r.text
        ids[name] = r.json()["submission_id"]
    with s.client("reviewer") as c:
        for sid in ids.values():
            assert c.post(f"/api/v1/submissions/{sid}/review", json={"action": "accept"}).status_code == 200
    return s, code, ids


@pytest.mark.integration
def test_the_server_lists_expired_items_to_the_unit_and_the_office(expiring):
    s, code, ids = expiring
    with s.client("ex") as c:
        mine = c.get("/api/v1/reports/expired").json()
        assert c.get(f"/api/v1/submissions/{ids['past']}").json()["manifest"]["expires"] == (_today() - timedelta(days=3)).isoformat()
    assert mine["as_of"] == _today().isoformat()
    assert [(i["submission_id"], i["days_expired"], i["unit_name"]) for i in mine["items"]] == [(ids["past"], 3, "海南州过期测试局")]
    with s.client("unit") as c:  # another unit sees none of them
        assert ids["past"] not in {i["submission_id"] for i in c.get("/api/v1/reports/expired").json()["items"]}
    with s.client("reviewer") as c:
        office = {i["submission_id"] for i in c.get("/api/v1/reports/expired").json()["items"]}
    assert ids["past"] in office and ids["future"] not in office and ids["none"] not in office
    bad = dict(s.manifest("ex", os.urandom(16), column="notices"), expires="下月底")
    assert s.submit("ex", bad, str(uuid.uuid4())).status_code == 422  # not a date
    bad = dict(s.manifest("ex", os.urandom(16), column="notices"), reprint=True, source_url="qhrb.com.cn/1.html")
    assert s.submit("ex", bad, str(uuid.uuid4())).status_code == 422  # not a web address


@pytest.mark.integration
def test_status_says_expired_please_withdraw_and_report_expired_lists_it(expiring, cli):
    s, code, ids = expiring
    code_, out, err = cli("status", "--endpoint", s.url, env={"HNSUBMIT_TOKEN": s.tokens["ex"], "COLUMNS": "250"})
    assert code_ == 0, err
    flat = out.replace("\n", "")
    assert f"{ids['past']} 关于past的通知:失效日期 {(_today() - timedelta(days=3)).isoformat()},已过期,请撤回" in flat
    assert "关于future的通知:失效日期" not in flat
    code_, local, err = cli("report", "expired", "--data", s.data_dir, "--format", "csv")
    assert code_ == 0, err
    code_, remote, err = cli("report", "expired", "--endpoint", s.url, "--format", "csv", env={"HNSUBMIT_TOKEN": s.tokens["reviewer"]})
    assert code_ == 0, err
    assert local == remote
    row = next(r for r in local.splitlines() if ids["past"] in r)
    assert row.split(",")[1:3] == ["海南州过期测试局", "关于past的通知"] and row.split(",")[5] == "3"
    code_, out, err = cli("report", "expired", "--data", s.data_dir, env={"COLUMNS": "250"})
    assert code_ == 0 and ids["past"] in out and "应撤回" in out
    with s.client("ex") as c:  # withdrawn, it is off the list
        assert c.post(f"/api/v1/submissions/{ids['past']}/withdraw", json={"reason": "已失效"}).status_code == 200
        assert c.get("/api/v1/reports/expired").json()["items"] == []
