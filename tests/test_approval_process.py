"""Issue 15 §2: approval by the approver, not a typed name — the whole process against a real server.

The office's policy says `[approval] mode = "approver"`.  Every person runs `hnsubmit` as their own
process with their own HOME (no keyring: `login` keeps the token in the file store), against the exchange
on 127.0.0.1: the admin registers the unit's approvers with their names; the liaison pushes; the item waits
(待审批) and the office does not see it; the approver, on their own machine, lists, shows and accepts it,
and the office's reviewer then sees it; another item is returned with a reason, which the liaison's
`status` shows in Chinese; a push naming a leader who is not a registered approver is refused with SUB017;
an approver of another unit can do nothing for this one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO
from exchange.harness import start_server

pytestmark = pytest.mark.integration

ITEM = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"  # approver 马国栋, unit 632521
LEADER = "马国栋"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A server of its own in approver mode, with 马国栋 registered as 共和县's approver and 赵六 as 同德县's."""
    from hnsubmit.policy.model import default_policy_text

    root = tmp_path_factory.mktemp("approval")
    policy = root / "office-policy.toml"
    text = default_policy_text()
    assert 'mode = "declared"' in text
    policy.write_text(text.replace('mode = "declared"', 'mode = "approver"', 1), encoding="utf-8")
    server = start_server(root / "data", policy_file=policy)
    with server.client("admin") as c:
        for key, unit, name in (("approver", "632521", LEADER), ("approver_b", "632522", "赵六")):
            r = c.post("/api/v1/tokens", json={"role": "approver", "unit": unit, "name": name, "label": "分管领导"})
            assert r.status_code == 201, r.text
            server.tokens[key] = r.json()["token"]
            server.tokens[key + "_id"] = r.json()["info"]["token_id"]
    yield server
    server.stop()
    assert "Traceback" not in server.log()


def _env(home: Path, token: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HNSUBMIT_") and k != "CI"}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_STATE_HOME=str(home / ".local/state"),
               PYTHONPATH=str(REPO), HNSUBMIT_LANG="zh", COLUMNS="200",
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")  # no keyring: login uses the file store
    if token:
        env["HNSUBMIT_TOKEN"] = token
    return env


def _run(home: Path, *args, token: str | None = None, input: str | None = None) -> tuple[int, str, str]:
    home.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([sys.executable, "-m", "hnsubmit", *map(str, args)], env=_env(home, token), cwd=str(home),
                          input=input, capture_output=True, text=True, timeout=240)
    return proc.returncode, proc.stdout, proc.stderr


def _login(home: Path, office, token: str, unit: str | None) -> None:
    args = ["login", "--endpoint", office.url, "--token-stdin"] + (["--unit", unit] if unit else [])
    code, out, err = _run(home, *args, input=token + "\n")
    assert code == 0, err


def _item(tmp_path: Path, title: str, approver: str = LEADER) -> Path:
    """The example item under another title (so another package) naming `approver`."""
    folder = tmp_path / title
    shutil.copytree(ITEM, folder)
    toml = folder / "submission.toml"
    text = toml.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^title = ".*"$', f'title = "{title}"', text, count=1)
    text = re.sub(r'(?m)^approver = "[^"]*"', f'approver = "{approver}"', text, count=1)
    toml.write_text(text, encoding="utf-8")
    return folder


def _push(home: Path, folder: Path, *extra) -> tuple[int, str, str, str | None]:
    code, out, err = _run(home, "push", folder, "-q", *extra)
    sid = re.search(r"HN-\d{8}-[0-9A-HJKMNP-TV-Z]{6}", out)
    return code, out, err, sid.group(0) if sid else None


def test_the_admin_registers_approvers_locally_and_over_http(office, tmp_path):
    admin = tmp_path / "admin"
    _login(admin, office, office.tokens["admin"], None)
    code, out, err = _run(admin, "admin", "token", "issue", "--role", "approver", "--unit", "632521", "--name", "李副县长",
                          "--label", "分管副县长")
    assert code == 0, err
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}\n", out)  # the secret alone on stdout
    code, out, err = _run(admin, "admin", "token", "list")
    assert code == 0, err
    assert "李副县长 / 分管副县长" in out and "approver" in out
    # on the server's own data folder, as the operator bootstraps it
    code, out, err = _run(tmp_path / "operator", "admin", "token", "issue", "--role", "approver", "--unit", "632522",
                          "--name", "孙副县长", "--data", office.data_dir)
    assert code == 0, err
    with office.client("admin") as c:
        names = {(a["unit"], a["name"]) for a in c.get("/api/v1/approvers").json()["approvers"]}
    assert {("632521", "李副县长"), ("632522", "孙副县长"), ("632521", LEADER)} <= names
    # an approver without a name cannot be issued: said in Chinese (a usage error, as with --data), no secret printed
    code, out, err = _run(admin, "admin", "token", "issue", "--role", "approver", "--unit", "632521")
    assert code == 2 and out == "" and "审批人凭据须登记审批人姓名" in err


def test_push_awaits_the_approver_who_accepts_it_with_their_own_token(office, tmp_path):
    liaison, approver, reviewer = tmp_path / "liaison", tmp_path / "approver", tmp_path / "reviewer"
    _login(liaison, office, office.tokens["unit"], "632521")
    code, out, err, sid = _push(liaison, _item(tmp_path, "共和县审批人模式测试一"))
    assert code == 0 and sid, out + err

    code, out, err = _run(liaison, "status", sid)  # the liaison: waiting for the leader
    assert code == 0, err
    assert "状态: 待审批" in out
    code, out, err = _run(liaison, "status")
    assert code == 0, err
    assert "待审批,审批通过后才计入" in out

    _login(reviewer, office, office.tokens["reviewer"], None)
    code, out, err = _run(reviewer, "review", "list")  # not in the office's queue yet
    assert code == 0, err
    assert sid not in out

    _login(approver, office, office.tokens["approver"], "632521")  # the leader's own machine and token
    code, out, err = _run(approver, "whoami")
    assert code == 0, err
    assert "角色: 审批人" in out and f"登记姓名: {LEADER}" in out
    code, out, err = _run(approver, "approve", "list")
    assert code == 0, err
    assert sid in out and "待审批" in out and "共和县人民政府" in out
    code, out, err = _run(approver, "approve", "show", sid)
    assert code == 0, err
    assert "共和县审批人模式测试一" in out and f"审核领导: {LEADER}" in out and "状态: 待审批" in out
    code, out, err = _run(approver, "approve", "accept", sid)
    assert code == 0, err
    assert "状态: 已接收" in out and f"审批记录: {LEADER}(审批人令牌 {office.tokens['approver_id']})" in out
    assert "待审批 → 已接收(审批人)" in out
    code, out, err = _run(approver, "approve", "accept", sid)  # once only
    assert code == 6 and "invalid_transition" in err and "报送当前状态为“已接收”(received),不能审批通过" in err

    code, out, err = _run(reviewer, "review", "list")  # now the office sees it
    assert code == 0, err
    assert sid in out
    code, out, err = _run(reviewer, "review", "show", sid)
    assert code == 0, err
    assert f"审批记录: {LEADER}" in out
    with office.client("reviewer") as c:
        detail = c.get(f"/api/v1/submissions/{sid}").json()
        row = next(r for r in c.get("/api/v1/reports/weekly").json()["rows"] if r["unit"] == "632521")
    assert detail["state"] == "received"
    assert detail["approval"]["token_id"] == office.tokens["approver_id"] and detail["approval"]["name"] == LEADER
    assert [h["to"] for h in detail["history"]] == ["awaiting_approval", "received"]
    assert detail["history"][1]["by"] == f"approver:{office.tokens['approver_id']}"
    assert row["approved"] >= 1  # counted for 五(四) once approved
    code, out, err = _run(liaison, "status", sid)  # the liaison sees who approved it and when
    assert code == 0, err
    assert "状态: 已接收" in out and f"审批记录: {LEADER}(审批人令牌 {office.tokens['approver_id']})" in out


def test_a_returned_item_goes_back_to_the_liaison_with_the_reason(office, tmp_path):
    liaison, approver = tmp_path / "liaison", tmp_path / "approver"
    _login(liaison, office, office.tokens["unit"], "632521")
    _login(approver, office, office.tokens["approver"], "632521")
    code, out, err, sid = _push(liaison, _item(tmp_path, "共和县审批人模式测试二"))
    assert code == 0 and sid, out + err
    with office.client("reviewer") as c:
        waiting = next(r for r in c.get("/api/v1/reports/weekly").json()["rows"] if r["unit"] == "632521")
    assert waiting["awaiting_approval"] >= 1  # shown apart from what counts
    code, out, err = _run(tmp_path / "reviewer", "report", "weekly", "--endpoint", office.url, token=office.tokens["reviewer"])
    assert code == 0, err
    header = next(line for line in out.splitlines() if "单位代码" in line)
    assert "待领导审批" in header  # a column of its own, apart from what counts
    code, out, err = _run(tmp_path / "reviewer", "review", "list", "--state", "awaiting_approval", "--endpoint", office.url,
                          token=office.tokens["reviewer"])
    assert code == 0 and sid in out, err  # the office may look, but not act: review needs received or in_review
    code, out, err = _run(tmp_path / "reviewer", "review", "accept", sid, "--endpoint", office.url, token=office.tokens["reviewer"])
    assert code == 2 and "报送当前状态为“待审批”(awaiting_approval),不能采用" in err

    code, out, err = _run(approver, "approve", "return", sid, "--reason", "   ")
    assert code == 2 and "退回理由" in err
    code, out, err = _run(approver, "approve", "return", sid, "--reason", "会议时间写错了,请核实后重报")
    assert code == 0, err
    assert "状态: 审批人已退回 — 会议时间写错了,请核实后重报" in out

    code, out, err = _run(liaison, "status")
    assert code == 0, err
    line = next(ln for ln in out.splitlines() if sid[:12] in ln)
    assert "审批人已退回" in line and "会议时间写错了" in line
    code, out, err = _run(liaison, "status", sid)
    assert code == 0, err
    assert "状态: 审批人已退回" in out and "理由: 会议时间写错了,请核实后重报" in out
    code, out, err = _run(approver, "approve", "accept", sid)  # a returned item is not approved afterwards
    assert code == 6 and "invalid_transition" in err
    with office.client("reviewer") as c:
        assert sid not in {i["submission_id"] for i in c.get("/api/v1/submissions", params={"state": "received"}).json()["items"]}


def test_a_leader_who_is_not_a_registered_approver_is_refused_with_sub017(office, tmp_path):
    liaison = tmp_path / "liaison"
    _login(liaison, office, office.tokens["unit"], "632521")
    folder = _item(tmp_path, "共和县审批人模式测试三", approver="王小明")
    # push asks the exchange for the unit's approvers and says it before anything is uploaded
    code, out, err, sid = _push(liaison, folder)
    assert code == 1 and sid is None
    assert "SUB017" in out and "审核领导“王小明”不是本单位登记的审批人" in out and LEADER in out
    # a client that does not ask (another policy given) is refused by the exchange, said as the same finding
    local = tmp_path / "declared.toml"
    local.write_text('name = "本机策略"\n', encoding="utf-8")
    code, out, err, sid = _push(liaison, folder, "--policy", local)
    assert code == 6 and sid is None
    assert "SUB017" in out and "王小明" in out and "hnsubmit admin token issue --role approver" in out
    with office.client("unit") as c:  # over the protocol: 422 naming the rule, the field and the unit's names
        r = office.submit("unit", {**office.manifest("unit", os.urandom(32)), "approval": {
            "approver": "王小明", "approved_at": "2026-11-17T09:30:00+08:00"}}, "approval-mismatch")
        assert r.status_code == 422
        error = r.json()["error"]
        assert error["code"] == "approver_not_registered" and error["details"]["rule"] == "SUB017"
        assert error["details"]["field"] == "approval.approver" and LEADER in error["details"]["registered"]
        assert "632522" not in json.dumps(error, ensure_ascii=False) and "赵六" not in error["message"]["zh"]
        items = c.get("/api/v1/submissions", params={"limit": 1000}).json()["items"]
    assert "共和县审批人模式测试三" not in {i["title"] for i in items}  # nothing was taken in


def test_an_approver_of_another_unit_can_do_nothing_for_this_one(office, tmp_path):
    liaison, other = tmp_path / "liaison", tmp_path / "other"
    _login(liaison, office, office.tokens["unit"], "632521")
    code, out, err, sid = _push(liaison, _item(tmp_path, "共和县审批人模式测试四"))
    assert code == 0 and sid, out + err
    _login(other, office, office.tokens["approver_b"], "632522")
    code, out, err = _run(other, "approve", "list")
    assert code == 0, err
    assert sid not in out
    for args in (("approve", "show", sid), ("approve", "accept", sid), ("approve", "return", sid, "--reason", "不行")):
        code, out, err = _run(other, *args)
        assert code == 6 and "未找到该报送" in err, args
    code, out, err = _run(other, "review", "accept", sid, "--endpoint", office.url)  # not the office
    assert code == 4, err
    code, out, err = _run(liaison, "approve", "accept", sid)  # nor is the liaison an approver
    assert code == 4 and "此令牌无权审批" in err and "--role approver" in err
    code, out, err, _sid = _push(other, _item(tmp_path, "同德县审批人冒充报送"))  # cannot push
    assert code != 0 and _sid is None
    # the unit's own approver cannot approve what the liaison withdrew
    code, out, err = _run(liaison, "withdraw", sid, "--reason", "重复报送")
    assert code == 0, err
    code, out, err = _run(tmp_path / "approver", "approve", "accept", sid, "--endpoint", office.url, "--unit", "632521",
                          token=office.tokens["approver"])
    assert code == 6 and "invalid_transition" in err
    with office.client("reviewer") as c:
        assert c.get(f"/api/v1/submissions/{sid}").json()["state"] == "withdrawn"
