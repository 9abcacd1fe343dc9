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
