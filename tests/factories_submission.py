"""Rule-example factories of the SUB and PKG families (collected by factories_rules.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import EXAMPLES

NEWS = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"


def good_package(workdir: Path, monkeypatch=None) -> Path:
    """The news example packed by `hnsubmit pack`'s builder: a valid package."""
    from hnsubmit.package.build import build_package
    from hnsubmit.policy import default_policy

    return build_package(NEWS, workdir / "共和县-冬春农牧业生产会议.zip", default_policy()).path


def news_copy(workdir: Path, monkeypatch=None) -> Path:
    """A private copy of the news example folder, to break in a test."""
    target = workdir / NEWS.name
    shutil.copytree(NEWS, target)
    return target


FACTORIES = {
    "good-package": good_package,
}
