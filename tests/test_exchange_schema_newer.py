"""A data folder last used by a newer hnsubmit is refused, not written into (SQLite, as PostgreSQL is).

An office that goes back to an older hnsubmit after an upgrade would otherwise have the old program
write rows the new columns and tables know nothing of; PostgreSQL storage already refuses (issue 17)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from hnsubmit.exchange.context import open_exchange
from hnsubmit.exchange.store.sqlite import SCHEMA_VERSION


def _folder_from_the_future(tmp_path):
    data = tmp_path / "exchange"
    open_exchange(data).close()
    db = data / "exchange.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    conn.close()
    return data, db


def _run(*args, lang="zh", home=None):
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "HNSUBMIT_LANG": lang, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "hnsubmit", *map(str, args)], capture_output=True, text=True, env=env)


def test_the_office_commands_refuse_a_newer_data_folder(tmp_path):
    data, db = _folder_from_the_future(tmp_path)
    before = db.read_bytes()
    out = _run("review", "list", "--data", data, home=tmp_path)
    assert out.returncode == 3, out.stdout + out.stderr
    assert f"结构版本为 {SCHEMA_VERSION + 3},比本程序所知的版本({SCHEMA_VERSION})更新" in out.stderr, out.stderr
    assert "较新版本的 hnsubmit 已使用过此数据目录" in out.stderr and "Traceback" not in out.stderr
    out = _run("review", "list", "--data", data, lang="en", home=tmp_path)
    assert out.returncode == 3 and "newer than this hnsubmit knows" in out.stderr, out.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 3
    conn.close()


def test_serve_refuses_it_too(tmp_path):
    data, _db = _folder_from_the_future(tmp_path)
    out = subprocess.run([sys.executable, "-m", "hnsubmit", "serve", "--data", str(data), "--port", "0"],
                         capture_output=True, text=True, timeout=60,
                         env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HNSUBMIT_LANG": "en"})
    assert out.returncode == 3 and "newer than this hnsubmit knows" in out.stderr, out.stdout + out.stderr
