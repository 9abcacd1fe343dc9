"""The console's queue over a real exchange store, in-process (issue 16): paging, counts per state, the
filters by unit, column, state and week, and an approver held to its own unit."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from hnsubmit.exchange.auth import Principal
from hnsubmit.exchange.console import views
from hnsubmit.exchange.context import open_exchange
from hnsubmit.exchange.store.storage import Submission, Transition
from hnsubmit.exchange.weeks import week_of


@pytest.fixture
def ex(tmp_path):
    ex = open_exchange(tmp_path / "ex")
    start = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)  # a Monday, Beijing 10:00
    plan = [("632521", "county-news", "received")] * 5 + [("632521", "photos", "received")] * 2 + \
           [("632521", "county-news", "published")] * 3 + [("632522", "county-news", "received")] * 4
    for n, (unit, column, state) in enumerate(plan):
        at = start + timedelta(days=7 * (n % 2), hours=n)  # two weeks
        sid = f"HN-T-{n:04d}"
        manifest = json.dumps({"title": f"信息 {n}", "files": []}, ensure_ascii=False)
        ex.storage.add_submission(Submission(sid, unit, f"k{n}", "sha256:" + f"{n:064d}", manifest, f"信息 {n}", column,
                                             "meetings", "received", None, at, at), Transition(None, "received", at, f"unit:{unit}"))
        if state != "received":
            assert ex.storage.transition(sid, ("received",), Transition("received", state, at, "reviewer:t_r"))
    yield ex, start
    ex.close()


REVIEWER = Principal("reviewer", "t_r", None)


def test_paging_and_counts(ex):
    ex, _start = ex
    first = views.queue(ex, REVIEWER, state="received", per_page=4)
    assert (first["total"], first["pages"], len(first["items"])) == (11, 3, 4)
    last = views.queue(ex, REVIEWER, state="received", per_page=4, page=3)
    assert len(last["items"]) == 3
    seen = {i["submission_id"] for p in (1, 2, 3) for i in views.queue(ex, REVIEWER, state="received", per_page=4, page=p)["items"]}
    assert len(seen) == 11  # every item once, none twice across the pages
    assert first["counts"]["received"] == 11 and first["counts"]["published"] == 3 and first["counts"]["rejected"] == 0
    everything = views.queue(ex, REVIEWER, state=None)
    assert everything["total"] == 14


def test_filters_by_unit_column_and_week(ex):
    ex, start = ex
    assert views.queue(ex, REVIEWER, unit="632522", state="received")["total"] == 4
    photos = views.queue(ex, REVIEWER, column="photos", state=None)
    assert photos["total"] == 2 and {i["column"] for i in photos["items"]} == {"photos"}
    assert photos["counts"]["received"] == 2 and photos["counts"]["published"] == 0
    news = views.queue(ex, REVIEWER, column="county-news", state="received", per_page=3, page=2)
    assert news["total"] == 9 and len(news["items"]) == 3
    week = week_of(start)
    in_week = views.queue(ex, REVIEWER, week=week, state=None)
    assert in_week["total"] == 7 and all(week_of(i["received_at"]) == week for i in in_week["items"])


def test_an_approver_sees_only_its_unit(ex):
    ex, _start = ex
    unit = ex.storage.get_unit("632522")
    approver = Principal("approver", "t_a", unit, "王五")
    q = views.queue(ex, approver, unit="632521", state=None)  # asking for another unit changes nothing
    assert q["unit"] == "632522" and q["total"] == 4
    assert views.default_state(approver) == "awaiting_approval" and views.default_state(REVIEWER) == "received"



@pytest.mark.engines
def test_previews_from_the_s3_blob_store(tmp_path, s3_server, monkeypatch):
    """An S3 object is a stream that cannot seek (exchange/store/s3.py); Pillow and the .docx's zip reader
    move around in their input, so the previews spool it first (issue 17's province storage)."""
    import hashlib
    from dataclasses import replace

    from console_items import BODY_SENTENCE, docx_bytes, jpeg_bytes
    from hnsubmit.exchange.console import previews
    from hnsubmit.exchange.store.s3 import S3BlobStore

    for k, v in s3_server.env().items():
        monkeypatch.setenv(k, v)
    store = S3BlobStore(s3_server.new_bucket(), "exchange", s3_server.endpoint, "us-east-1")
    digests = []
    for n, data in enumerate((jpeg_bytes(800, 600), docx_bytes(2))):
        uid = f"u_{n:032x}"
        store.start(uid)
        appender = store.appender(uid, 0)
        appender.write(data)
        appender.commit()
        digests.append(store.finish(uid, "sha256:" + hashlib.sha256(data).hexdigest())[0])
    with store.open(digests[1]) as f:
        assert not (hasattr(f, "seekable") and f.seekable())  # what the spooling is for
    ex = open_exchange(tmp_path / "ex")
    try:
        on_s3 = replace(ex, blobs=store)
        thumb = previews.thumbnail(on_s3, digests[0])
        body = previews.word_body(on_s3, digests[1])
    finally:
        ex.close()
    from PIL import Image

    assert thumb is not None and Image.open(thumb).size == (360, 270)
    assert body is not None and BODY_SENTENCE in body
