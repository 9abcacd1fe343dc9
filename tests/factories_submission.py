"""Rule-example factories of the SUB and PKG families (collected by factories_rules.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import EXAMPLES

NEWS = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"


def good_package(workdir: Path, monkeypatch=None) -> Path:
    """The news example packed by `hnsubmit pack`'s builder: a valid package."""
    from hnsubmit.checks.pack import build_package
    from hnsubmit.policy.model import default_policy

    return build_package(NEWS, workdir / "共和县-冬春农牧业生产会议.zip", default_policy()).path


def news_copy(workdir: Path, monkeypatch=None) -> Path:
    """A private copy of the news example folder, to break in a test."""
    target = workdir / NEWS.name
    shutil.copytree(NEWS, target)
    return target


def too_many_files(workdir: Path, monkeypatch=None) -> Path:
    """A submission that lists 201 files (SUB016): one real photo copied, each copy listed."""
    from factories import make_jpeg

    folder = workdir / "too-many"
    folder.mkdir(parents=True, exist_ok=True)
    photo = make_jpeg(folder / "照片000.jpg", (160, 120), seed=3, quality=70)
    head = VALID_TOML.split("[[files]]")[0]
    entries = []
    for n in range(201):
        name = f"照片{n:03}.jpg"
        if n:
            shutil.copyfile(photo, folder / name)
        entries.append(f'[[files]]\npath = "{name}"\nrole = "image"\ncaption = "现场{n}"\n')
    (folder / "submission.toml").write_text(head + "\n".join(entries), encoding="utf-8")
    return folder / "submission.toml"


def _news_with(workdir: Path, lines: str) -> Path:
    folder = news_copy(workdir)
    toml = folder / "submission.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("ignore = []\n", "ignore = []\n" + lines, 1), encoding="utf-8")
    return toml


def reprint_attributed(workdir: Path, monkeypatch=None) -> Path:
    """The news example as a reprint naming its original and the original's address (passes SUB018)."""
    return _news_with(workdir, 'reprint = true\nsource_url = "https://www.qhrb.com.cn/2026/1120/1.html"\n')


def expiry_in_future(workdir: Path, monkeypatch=None) -> Path:
    """The news example with an expiry date years ahead, after the date written (passes SUB019)."""
    return _news_with(workdir, "expires = 2099-12-31\n")


FACTORIES = {
    "good-package": good_package,
    "too-many-files": too_many_files,
    "reprint-attributed": reprint_attributed,
    "expiry-in-future": expiry_in_future,
}


VALID_TOML = """\
kind = "news"
title = "共和县开展冬季森林草原防火宣传"
unit = "632521"
column = "county-news"
category = "implementation"
written = 2026-11-19
channels = ["portal"]
source = "共和县林业和草原局"
[liaison]
name = "李海英"
phone = "0974-8512655"

[approval]
approver = "马国栋"
approved_at = 2026-11-19T16:00:00+08:00

[[files]]
path = "正文.docx"
role = "body"

[[files]]
path = "照片.jpg"
role = "image"
caption = "防火宣传现场"
"""


def submission_folder(folder: Path, toml: str = VALID_TOML, files: dict[str, str] | None = None) -> Path:
    """A submission folder with real files: `files` maps a name to what to make (docx, jpeg, png, pdf, wmv, text)."""
    from factories import make_docx, make_jpeg, make_pdf, make_png

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "submission.toml").write_text(toml, encoding="utf-8")
    wanted = {"正文.docx": "docx", "照片.jpg": "jpeg"} if files is None else files
    for name, kind in wanted.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "docx":
            make_docx(path, ["共和县开展冬季森林草原防火宣传", "11月19日,共和县在各乡镇开展冬季森林草原防火宣传。"])
        elif kind == "jpeg":
            make_jpeg(path, (320, 240), seed=40, quality=70)
        elif kind == "png":
            make_png(path, (320, 240))
        elif kind == "pdf":
            make_pdf(path, "form")
        elif kind == "wmv":
            shutil.copyfile(EXAMPLES / "positive" / "video-2026-11-18" / "宣传片.wmv", path)
        else:
            path.write_text("说明\n", encoding="utf-8")
    return folder
