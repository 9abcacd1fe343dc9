"""Renditions in the package: under data/renditions/wechat/ with their own SHA-256 lines in the BagIt
manifest, and checked like originals both in the folder and in the zip (issue 18)."""

from __future__ import annotations

import hashlib
import zipfile

import pytest

from factories import make_png, make_video
from factories_wechat import VIDEO, wechat_folder
from hnsubmit.checks.pack import build_package
from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.checks.wechat.make import make_renditions
from hnsubmit.policy.model import default_policy
from hnsubmit.submission.bag.build import PackageRefused


def options() -> CheckOptions:
    pol = default_policy()
    return CheckOptions(pol, selection_from(pol))


def test_the_package_carries_the_renditions_with_their_checksums(tmp_path):
    folder = wechat_folder(tmp_path / "item", photo_size=(1200, 900), video=VIDEO).parent
    make_video(folder / "宣传片.wmv", seconds=1, size="320x240", rate=10)
    make_renditions(folder, options())
    info = build_package(folder, tmp_path / "item.zip", default_policy())
    wanted = ["renditions/wechat/cover-2.35x1.jpg", "renditions/wechat/cover-1x1.jpg", "renditions/wechat/宣传片.mp4"]
    assert [f.path for f in info.files] == ["照片.jpg", "宣传片.wmv"]  # the manifest push posts is unchanged
    assert [f.path for f in info.renditions] == wanted
    with zipfile.ZipFile(info.path) as zf:
        names = zf.namelist()
        manifest = dict(line.split("  ", 1)[::-1] for line in zf.read("manifest-sha256.txt").decode().splitlines())
        for rel in wanted:
            assert "data/" + rel in names
            assert manifest["data/" + rel] == hashlib.sha256((folder / rel).read_bytes()).hexdigest()
    # the package as a whole passes check: JPEG renditions by the JPEG rules, the MP4 by WCH008
    assert [(f.code, f.path) for f in run_check([info.path], options()).findings] == []


def test_a_rendition_is_checked_like_an_original(tmp_path):
    folder = wechat_folder(tmp_path / "item", photo_size=(1200, 900)).parent
    make_renditions(folder, options())
    make_png(folder / "renditions/wechat/cover-1x1.jpg", (200, 200))  # a PNG under a .jpg name
    with pytest.raises(PackageRefused) as err:
        build_package(folder, tmp_path / "item.zip", default_policy())
    assert sorted((f.code, f.path.split("item/")[-1]) for f in err.value.report.findings) == [
        ("FMT001", "renditions/wechat/cover-1x1.jpg"), ("FMT002", "renditions/wechat/cover-1x1.jpg")]


def test_a_portal_only_item_packs_no_renditions(tmp_path):
    folder = wechat_folder(tmp_path / "item", channels='["portal"]', extra="").parent
    (folder / "renditions/wechat").mkdir(parents=True)
    (folder / "renditions/wechat/old.jpg").write_bytes(b"left over")
    info = build_package(folder, tmp_path / "item.zip", default_policy())
    with zipfile.ZipFile(info.path) as zf:
        assert not [n for n in zf.namelist() if "renditions" in n]
    assert info.renditions == []
