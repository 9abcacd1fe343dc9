"""The office's commands on a data directory: admin unit/token, review, and the seeded 海南州 units."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

import pytest


@pytest.fixture
def data(tmp_path):
    """A data folder as `hnsubmit serve` leaves it: the office's commands never create one (issue 12.5)."""
    from hnsubmit.exchange.context import open_exchange

    open_exchange(tmp_path / "exchange").close()
    return tmp_path / "exchange"


def _submit(data, title: str = "兴海县开展防汛演练") -> str:
    """A submission made through the library, as the server would, on the data directory."""
    from hnsubmit.exchange.auth import Principal
    from hnsubmit.exchange.context import open_exchange, utcnow
    from hnsubmit.exchange.submissions import submit

    ex = open_exchange(data)
    try:
        unit = ex.storage.get_unit("632524")
        content = title.encode()[:10].ljust(10, b".")
        digest = "sha256:" + hashlib.sha256(content).hexdigest()
        ex.storage.add_blob_ref(unit.code, digest, 10, utcnow())
        # the blob file itself too: the server re-checks it is there with its size (issue 11)
        (data / "blobs" / "sha256" / digest[7:9]).mkdir(parents=True, exist_ok=True)
        (data / "blobs" / "sha256" / digest[7:9] / digest[7:]).write_bytes(content)
        manifest = {"title": title, "unit": unit.code, "column": "county-news", "category": "development",
                    "liaison": {"name": "赵六", "phone": "0974-8512655"},
                    "approval": {"approver": "钱七", "approved_at": "2026-11-17T09:30:00+08:00"},
                    "files": [{"path": "演练.jpg", "role": "image", "digest": digest, "size": 10, "caption": "演练现场"}]}
        status, receipt, _ = submit(ex, Principal("unit", "t_x", unit), "k-" + str(abs(hash(title))), json.dumps(manifest).encode(), utcnow())
        assert status == 201
        return receipt["submission_id"]
    finally:
        ex.close()


def test_admin_token_issue_prints_only_the_token_and_stores_its_hash(cli, data):
    code, out, err = cli("admin", "token", "issue", "--role", "unit", "--unit", "632521", "--label", "李四", "--data", data)
    assert code == 0, err
    token = out.strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    assert token not in err
    code, out, err = cli("admin", "token", "list", "--data", data)
    assert code == 0 and token not in out and "632521" in out
    assert token.encode() not in b"".join(p.read_bytes() for p in data.glob("exchange.sqlite3*"))
    from hnsubmit.exchange.auth import authenticate
    from hnsubmit.exchange.context import open_exchange, utcnow

    ex = open_exchange(data)
    try:
        who = authenticate(ex.storage, f"Bearer {token}", utcnow())
        assert (who.role, who.unit.code) == ("unit", "632521")
        token_id = who.token_id
    finally:
        ex.close()
    assert cli("admin", "token", "revoke", token_id, "--data", data)[0] == 0
    ex = open_exchange(data)
    try:
        from hnsubmit.exchange.problems import ExchangeError

        with pytest.raises(ExchangeError) as info:
            authenticate(ex.storage, f"Bearer {token}", utcnow())
        assert info.value.status == 401
    finally:
        ex.close()
    code, out, err = cli("admin", "token", "issue", "--role", "unit", "--unit", "nowhere", "--data", data)
    assert code == 2 and "nowhere" in err
    code, out, err = cli("admin", "token", "revoke", "t_000000000000", "--data", data)
    assert code == 2


def test_admin_units(cli, data):
    code, out, err = cli("admin", "unit", "list", "--data", data, "--format", "json")
    assert code == 0
    units = {u["code"]: u for u in json.loads(out)}
    assert [units[c]["name"] for c in ("632521", "632522", "632523", "632524", "632525")] == [
        "共和县人民政府", "同德县人民政府", "贵德县人民政府", "兴海县人民政府", "贵南县人民政府"]
    assert all(u["kind"] == "county" for c, u in units.items() if c.startswith("63252"))
    assert "guides" in units["632500-zwj"]["columns"]
    code, out, err = cli("admin", "unit", "add", "632500-nyj", "海南州农业农村局", "--kind", "department",
                         "--column", "department-news", "--column", "notices", "--data", data)
    assert code == 0, err
    assert cli("admin", "unit", "add", "632500-nyj", "again", "--data", data)[0] == 2
    assert cli("admin", "unit", "add", "632500-zz", "x", "--column", "nope", "--data", data)[0] == 2
    assert cli("admin", "unit", "disable", "632500-nyj", "--data", data)[0] == 0
    units = {u["code"]: u for u in json.loads(cli("admin", "unit", "list", "--data", data, "--format", "json")[1])}
    assert units["632500-nyj"] == {"code": "632500-nyj", "name": "海南州农业农村局", "kind": "department", "active": False,
                                   "columns": ["department-news", "notices"]}
    assert cli("admin", "unit", "enable", "632500-nyj", "--data", data)[0] == 0
    assert cli("admin", "unit", "disable", "no-such", "--data", data)[0] == 2


def test_review_commands(cli, data):
    sid = _submit(data)
    code, out, err = cli("review", "list", "--data", data, env={"COLUMNS": "200"})
    assert code == 0 and sid in out and "兴海县开展防汛演练" in out
    code, out, err = cli("review", "show", sid, "--data", data, env={"COLUMNS": "200"})
    assert code == 0 and "演练.jpg" in out and "钱七" in out and "演练现场" in out
    assert cli("review", "start", sid, "--data", data)[0] == 0
    assert cli("review", "reject", sid, "--data", data)[0] == 2  # --reason is required
    code, out, err = cli("review", "reject", sid, "--reason", "图片分辨率过低", "--data", data, env={"COLUMNS": "200"})
    assert code == 0 and "图片分辨率过低" in out
    code, out, err = cli("review", "accept", sid, "--data", data)
    assert code == 2 and "rejected" in err  # a rejected item cannot be published
    assert cli("review", "show", "HN-20000101-ZZZZZZ", "--data", data)[0] == 2
    from hnsubmit.exchange.context import open_exchange

    ex = open_exchange(data)
    try:
        assert [(t.from_state, t.to_state, t.by) for t in ex.storage.history(sid)] == [
            (None, "received", "unit:632524"), ("received", "in_review", "admin:local"), ("in_review", "rejected", "admin:local")]
    finally:
        ex.close()
    other = _submit(data, "贵德县旅游推介")
    assert cli("review", "accept", other, "--note", "已发布", "--data", data)[0] == 0
    code, out, err = cli("review", "list", "--state", "published", "--data", data, env={"COLUMNS": "200"})
    assert other in out and sid not in out


def test_seed_only_fills_an_empty_store_and_stale_uploads_go(data):
    from hnsubmit.exchange.context import drop_stale_uploads, open_exchange, utcnow
    from hnsubmit.exchange.seed import apply_seed, load_seed
    from hnsubmit.exchange.store.storage import Upload

    ex = open_exchange(data)
    try:
        seed = load_seed()
        assert len(ex.storage.list_units()) == len(seed.units)
        ex.storage.set_unit_columns("632521", ("county-news",))
        assert apply_seed(ex.storage, seed) is False  # the office's edits survive a restart
        assert ex.storage.get_unit("632521").columns == ("county-news",)
        old = utcnow() - timedelta(days=8)
        ex.blobs.start("u_" + "1" * 32)
        ex.storage.add_upload(Upload("u_" + "1" * 32, "632521", "sha256:" + "0" * 64, 10, 0, old, old))
        assert drop_stale_uploads(ex) == 1
        assert ex.storage.get_upload("u_" + "1" * 32) is None
        assert not (data / "uploads" / f"u_{'1' * 32}.part").exists()
    finally:
        ex.close()


def test_a_broken_seed_file_is_a_config_error(tmp_path):
    from hnsubmit.errors import ConfigError
    from hnsubmit.exchange.seed import load_seed

    bad = tmp_path / "seed.toml"
    bad.write_text('[[columns]]\nid = "a"\nzh = "甲"\nen = "A"\n[[units]]\ncode = "1"\nname = "x"\nkind = "county"\ncolumns = ["b"]\n',
                   encoding="utf-8")
    with pytest.raises(ConfigError):
        load_seed(bad)
    bad.write_text("not toml [", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_seed(bad)


def test_serve_refuses_a_taken_port_and_an_unusable_data_dir(cli, tmp_path):
    import socket

    taken = socket.create_server(("127.0.0.1", 0))
    try:
        code, out, err = cli("serve", "--data", tmp_path / "d", "--port", taken.getsockname()[1])
        assert code == 2
        assert f"127.0.0.1:{taken.getsockname()[1]}" in err and "Traceback" not in err
    finally:
        taken.close()
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    code, out, err = cli("serve", "--data", blocker / "sub")
    assert code == 3 and str(blocker / "sub") in err
    code, out, err = cli("admin", "unit", "list", "--data", blocker / "sub")
    assert code == 3
