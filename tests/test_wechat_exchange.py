"""The exchange knows the WeChat renditions (issue 18): push lists them in the manifest per original,
uploads them like files, the server checks them against the blobs on intake, and `review show` prints
them beside the portal files — against the real server with real photos and a real video."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from factories import make_video
from factories_wechat import VIDEO, wechat_folder


def _push(cli, server, folder, monkeypatch) -> str:
    monkeypatch.setenv("HNSUBMIT_TOKEN", server.tokens["unit"])
    code, out, err = cli("--lang", "en", "push", folder, "--endpoint", server.url, "--quiet")
    assert code == 0, out + err
    title = next(line.split('"')[1] for line in (folder / "submission.toml").read_text(encoding="utf-8").splitlines()
                 if line.startswith("title"))
    with server.client("reviewer") as c:
        items = c.get("/api/v1/submissions", params={"limit": 1000}).json()["items"]
    return next(i["submission_id"] for i in items if i["title"] == title)


def _sha(path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_wechat_item_shows_its_renditions_beside_the_originals(cli, exchange_server, tmp_path, monkeypatch):
    s = exchange_server
    folder = wechat_folder(tmp_path / "item", title="共和县开展冬季森林草原防火宣传" + uuid.uuid4().hex[:6], video=VIDEO).parent
    make_video(folder / "宣传片.wmv", seconds=1, size="320x240", rate=10)
    code, out, err = cli("fix", "--channel", "wechat", folder)
    assert code == 0, out + err
    sid = _push(cli, s, folder, monkeypatch)
    with s.client("reviewer") as c:
        manifest = c.get(f"/api/v1/submissions/{sid}").json()["manifest"]
    wanted = {("cover-2.35", "照片.jpg", "renditions/wechat/cover-2.35x1.jpg"),
              ("cover-1:1", "照片.jpg", "renditions/wechat/cover-1x1.jpg"),
              ("video-mp4", "宣传片.wmv", "renditions/wechat/宣传片.mp4")}
    assert {(r["kind"], r["source"], r["path"]) for r in manifest["renditions"]} == wanted
    for r in manifest["renditions"]:  # uploaded, and the server holds what the folder has
        assert r["channel"] == "wechat" and r["digest"] == _sha(folder / r["path"]) and r["size"] == (folder / r["path"]).stat().st_size
        with s.client("reviewer") as c:
            assert c.get(f"/api/v1/blobs/{r['digest']}").content == (folder / r["path"]).read_bytes()

    code, out, err = cli("--lang", "en", "review", "show", sid, "--data", s.data_dir, env={"COLUMNS": "250"})
    assert code == 0, err
    lines = [line.strip() for line in out.splitlines()]
    photo, video = lines.index(next(x for x in lines if x.startswith("[image] 照片.jpg"))), \
        lines.index(next(x for x in lines if x.startswith("[video] 宣传片.wmv")))
    assert lines[photo + 1].startswith("↳ WeChat cover 2.35:1: renditions/wechat/cover-2.35x1.jpg")
    assert lines[photo + 2].startswith("↳ WeChat cover 1:1: renditions/wechat/cover-1x1.jpg")
    assert lines[video + 1].startswith("↳ WeChat video MP4: renditions/wechat/宣传片.mp4")

    from hnsubmit.exchange.auth import Principal
    from hnsubmit.exchange.context import open_exchange
    from hnsubmit.exchange.renditions import renditions_for

    ex = open_exchange(s.data_dir, create=False)
    try:  # the console's call
        files = renditions_for(ex, Principal("reviewer", "t", None), sid)["files"]
    finally:
        ex.close()
    assert [(f["path"], [r["kind"] for r in f["renditions"]]) for f in files] == [
        ("照片.jpg", ["cover-2.35", "cover-1:1"]), ("宣传片.wmv", ["video-mp4"])]


def test_a_portal_only_item_shows_no_renditions(cli, exchange_server, tmp_path, monkeypatch):
    s = exchange_server
    folder = wechat_folder(tmp_path / "portal", title="共和县召开冬春生产会议" + uuid.uuid4().hex[:6],
                           channels='["portal"]', extra="").parent
    sid = _push(cli, s, folder, monkeypatch)
    with s.client("reviewer") as c:
        assert "renditions" not in c.get(f"/api/v1/submissions/{sid}").json()["manifest"]
    code, out, err = cli("--lang", "en", "review", "show", sid, "--data", s.data_dir, env={"COLUMNS": "250"})
    assert code == 0, err
    assert "[image] 照片.jpg" in out and "↳" not in out and "WeChat" not in out


def _manifest(s, renditions: list[dict], channels=("portal", "wechat")) -> dict:
    m = s.manifest("unit", b"photo " + uuid.uuid4().bytes)
    m["files"][0]["path"], m["files"][0]["role"] = "照片.jpg", "image"
    m["channels"] = list(channels)
    m["renditions"] = renditions
    return m


@pytest.mark.parametrize("case", ["not uploaded", "wrong size", "unknown original", "outside renditions/wechat",
                                  "channel not chosen"])
def test_intake_checks_each_rendition_against_the_blobs_and_the_files(exchange_server, case):
    s = exchange_server
    data = b"rendition " + uuid.uuid4().bytes
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    if case != "not uploaded":
        s.upload("unit", data)
    r = {"channel": "wechat", "source": "照片.jpg", "path": "renditions/wechat/cover-1x1.jpg", "kind": "cover-1:1",
         "digest": digest, "size": len(data)}
    channels = ("portal", "wechat")
    if case == "wrong size":
        r["size"] += 1
    elif case == "unknown original":
        r["source"] = "别的.jpg"
    elif case == "outside renditions/wechat":
        r["path"] = "cover.jpg"
    elif case == "channel not chosen":
        channels = ("portal",)
    answer = s.submit("unit", _manifest(s, [r], channels), str(uuid.uuid4()))
    want = {"not uploaded": "blob_missing", "wrong size": "size_mismatch"}.get(case, "invalid_request")
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, want), answer.text
    if case == "not uploaded":
        assert answer.json()["error"]["details"]["missing"] == [digest]
    s.upload("unit", data)
    good = dict(r, size=len(data), source="照片.jpg", path="renditions/wechat/cover-1x1.jpg")
    assert s.submit("unit", _manifest(s, [good]), str(uuid.uuid4())).status_code == 201
