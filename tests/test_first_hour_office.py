"""Issue 12, item 5: admin, review and report never create a data folder; an empty one is named, with the way out."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("args", [
    ("admin", "token", "issue", "--role", "unit", "--unit", "632521"),
    ("admin", "unit", "list"),
    ("review", "list"),
    ("report", "weekly"),
])
def test_office_commands_refuse_a_folder_without_an_exchange(cli, args):
    from hnsubmit.config import data_dir

    code, out, err = cli(*args)
    assert code == 3, err
    assert "没有交换接口数据" in err and "--data" in err and "HNSUBMIT_EXCHANGE_DATA" in err
    assert "Traceback" not in err
    assert not (data_dir() / "exchange").exists()


def test_an_explicit_empty_folder_is_not_filled_either(cli, tmp_path):
    empty = tmp_path / "wrong"
    code, _out, err = cli("admin", "token", "issue", "--role", "admin", "--data", empty)
    assert code == 3 and str(empty) in err
    assert not empty.exists()


def test_the_servers_folder_still_works(cli, tmp_path, monkeypatch):
    from hnsubmit.exchange.context import open_exchange

    open_exchange(tmp_path / "ex").close()  # as `hnsubmit serve` leaves it
    monkeypatch.setenv("HNSUBMIT_EXCHANGE_DATA", str(tmp_path / "ex"))
    code, out, err = cli("admin", "unit", "list")
    assert code == 0, err
    assert "632521" in out
