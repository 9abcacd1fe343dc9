"""`pack`: a BagIt bag in a deterministic zip; refused when the check fails; valid on arrival."""

from __future__ import annotations

import os
import shutil
import stat
import zipfile

import bagit
import pytest
from factories import make_png
from factories_submission import NEWS, VALID_TOML, news_copy, submission_folder

from hnsubmit.checks.pack import build_package
from hnsubmit.errors import UsageError
from hnsubmit.policy.model import default_policy
from hnsubmit.submission.bag.build import PackageRefused


def pack(folder, out):
    return build_package(folder, out, default_policy())


def test_same_input_same_bytes_whatever_the_mtimes_and_cwd(tmp_path, monkeypatch):
    first = news_copy(tmp_path / "a")
    second = news_copy(tmp_path / "b")
    for i, path in enumerate(sorted(second.iterdir())):
        os.utime(path, (1_600_000_000 + i * 3600, 1_600_000_000 + i * 3600))
        os.chmod(path, 0o600)
    monkeypatch.chdir(tmp_path / "a")
    one = pack(first, tmp_path / "one.zip")
    monkeypatch.chdir(tmp_path)
    two = pack(second, tmp_path / "out" / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "out" / "two.zip").read_bytes()
    assert one.sha256 == two.sha256 and one.size == (tmp_path / "one.zip").stat().st_size


def test_entries_are_sorted_stamped_flagged_and_plain(tmp_path):
    info = pack(NEWS, tmp_path / "news.zip")
    with zipfile.ZipFile(info.path) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names, key=lambda n: n.encode("utf-8"))
    assert names == [
        "bag-info.txt", "bagit.txt", "data/submission.toml", "data/会场照片1.jpg", "data/会场照片2.jpg",
        "data/正文.docx", "manifest-sha256.txt", "tagmanifest-sha256.txt",
    ]
    for i in infos:
        assert i.date_time == (2026, 11, 20, 17, 30, 0)  # the approval time, China time
        assert i.external_attr >> 16 == stat.S_IFREG | 0o644 and i.create_system == 3
        assert i.extra == b""
        if not i.filename.isascii():
            assert i.flag_bits & 0x800, i.filename
    kinds = {i.filename: i.compress_type for i in infos}
    assert kinds["data/正文.docx"] == zipfile.ZIP_STORED and kinds["data/submission.toml"] == zipfile.ZIP_DEFLATED


def test_the_receiving_side_validates_the_bag(tmp_path):
    info = pack(NEWS, tmp_path / "news.zip")
    out = tmp_path / "extracted"
    with zipfile.ZipFile(info.path) as zf:
        zf.extractall(out)
    bag = bagit.Bag(str(out))
    assert bag.validate(processes=1) is True
    assert bag.algorithms == ["sha256"]
    assert {k: bag.info[k] for k in ("Hnsubmit-Unit", "Contact-Name", "Hnsubmit-Approver", "Hnsubmit-Category", "Hnsubmit-Column")} == {
        "Hnsubmit-Unit": "632521", "Contact-Name": "李海英", "Hnsubmit-Approver": "马国栋",
        "Hnsubmit-Category": "meetings", "Hnsubmit-Column": "county-news",
    }
    assert bag.info["Bagging-Date"] == "2026-11-20" and bag.info["Payload-Oxum"] == f"{sum(f.size for f in info.files) + (NEWS / 'submission.toml').stat().st_size}.4"
    assert [f.path for f in info.files] == ["正文.docx", "会场照片1.jpg", "会场照片2.jpg"]
    for f in info.files:
        assert f.digest == "sha256:" + bag.entries["data/" + f.path]["sha256"]


def test_ignored_files_stay_out_of_the_package(tmp_path):
    toml = VALID_TOML.replace('channels = ["portal"]\n', 'channels = ["portal"]\nignore = ["备注.txt", "原图/"]\n')
    folder = submission_folder(tmp_path / "s", toml, files={"正文.docx": "docx", "照片.jpg": "jpeg", "备注.txt": "text", "原图/大.png": "png"})
    info = pack(folder, tmp_path / "s.zip")
    with zipfile.ZipFile(info.path) as zf:
        assert [n for n in zf.namelist() if n.startswith("data/")] == ["data/submission.toml", "data/正文.docx", "data/照片.jpg"]


def test_refused_when_check_finds_errors_and_nothing_is_written(tmp_path):
    folder = news_copy(tmp_path)
    make_png(folder / "会场照片2.jpg", (640, 360))  # a PNG where a JPEG is listed
    (folder / "submission.toml").write_text(
        (folder / "submission.toml").read_text(encoding="utf-8").replace('approver = "马国栋"', 'approver = ""'), encoding="utf-8"
    )
    with pytest.raises(PackageRefused) as err:
        pack(folder, tmp_path / "out.zip")
    found = sorted((f.code, os.path.basename(f.path)) for f in err.value.report.findings)
    # the PNG is also the example's WeChat cover, too small for a 900×383 crop (WCH005, a warning)
    assert found == [("FMT001", "会场照片2.jpg"), ("FMT002", "会场照片2.jpg"), ("SUB003", "submission.toml"), ("WCH005", "submission.toml")]
    assert err.value.exit_code == 1
    assert not (tmp_path / "out.zip").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".hnsubmit-pack-")]


def test_warnings_refuse_only_under_strict(tmp_path):
    toml = VALID_TOML.replace('channels = ["portal"]\n', 'channels = ["portal"]\nauther = "张三"\n')
    folder = submission_folder(tmp_path / "s", toml)
    info = pack(folder, tmp_path / "s.zip")
    assert [f.code for f in info.report.findings] == ["SUB014"]
    with pytest.raises(PackageRefused):
        build_package(folder, tmp_path / "t.zip", default_policy(), strict=True)


def test_usage_errors(tmp_path):
    with pytest.raises(UsageError):
        pack(tmp_path, tmp_path.parent / "none.zip")  # no submission.toml
    folder = news_copy(tmp_path)
    with pytest.raises(UsageError):
        pack(folder, folder / "inside.zip")


def test_pack_reads_but_never_changes_the_source(tmp_path):
    folder = news_copy(tmp_path)
    before = {p.name: (p.read_bytes(), p.stat().st_mode, p.stat().st_mtime_ns) for p in folder.iterdir()}
    pack(folder, tmp_path / "x.zip")
    after = {p.name: (p.read_bytes(), p.stat().st_mode, p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert before == after


def test_cli_pack_text_json_and_refusal(cli, tmp_path):
    folder = news_copy(tmp_path)
    code, out, err = cli("pack", folder, "-o", tmp_path / "p.zip", "--format", "json")
    assert code == 0, err
    import json

    data = json.loads(out)
    assert data["path"] == str(tmp_path / "p.zip") and data["sha256"].startswith("sha256:") and len(data["files"]) == 3
    code, out, err = cli("pack", folder)  # default output: beside the folder
    assert code == 0 and (tmp_path / (folder.name + ".zip")).read_bytes() == (tmp_path / "p.zip").read_bytes()
    shutil.copyfile(folder / "正文.docx", folder / "正文副本.docx")  # an unlisted file
    code, out, err = cli("pack", folder, "-o", tmp_path / "q.zip")
    assert code == 1 and "SUB010" in out and not (tmp_path / "q.zip").exists()
    assert cli("pack", tmp_path / "nope")[0] == 2
