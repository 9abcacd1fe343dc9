"""Where a submission's WeChat renditions live: ``renditions/wechat/`` beside the originals.

One place for the names, so `fix --channel wechat` writes, the WCH rules look, and `pack` packs
the same paths.  Originals are never replaced: the portal keeps its JPEG and WMV, WeChat gets these.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from hnsubmit.submission.model import Submission

RENDITIONS = "renditions/wechat"
COVER_WIDE = f"{RENDITIONS}/cover-2.35x1.jpg"
COVER_SQUARE = f"{RENDITIONS}/cover-1x1.jpg"


# what the manifest calls each kind of rendition (docs/protocol.md §4: `renditions`)
WIRE_KIND = {"cover-wide": "cover-2.35", "cover-square": "cover-1:1", "image": "image", "video": "video-mp4"}


@dataclass(frozen=True)
class Rendition:
    path: str  # relative to the folder, with "/"
    source: str  # the listed file it is made from
    what: str  # "cover-wide", "cover-square", "image", "video"


def is_rendition(rel: str) -> bool:
    return rel.replace("\\", "/").startswith(RENDITIONS + "/")


def wants_wechat(sub: Submission | None) -> bool:
    """A WeChat article is made of a news item that names the channel (a guide is linked, not posted)."""
    return sub is not None and sub.kind == "news" and "wechat" in sub.channels


def image_rendition(path: str) -> str:
    return f"{RENDITIONS}/{PurePosixPath(path).with_suffix('.jpg')}"


def video_rendition(path: str) -> str:
    return f"{RENDITIONS}/{PurePosixPath(path).with_suffix('.mp4')}"


def planned(sub: Submission | None) -> list[Rendition]:
    """Every rendition the item may have; which exist depends on what `fix --channel wechat` needed."""
    if not wants_wechat(sub):
        return []
    out: list[Rendition] = []
    images = [e.path for e in sub.files if e.role == "image" and _inside(e.path)]
    if sub.cover and sub.cover in images:  # any other cover is SUB013's, and never read
        out += [Rendition(COVER_WIDE, sub.cover, "cover-wide"), Rendition(COVER_SQUARE, sub.cover, "cover-square")]
    for entry in sub.files:
        if not _inside(entry.path):
            continue  # SUB007: a rendition is never written outside renditions/wechat/
        if entry.role == "image":
            out.append(Rendition(image_rendition(entry.path), entry.path, "image"))
        elif entry.role == "video":
            out.append(Rendition(video_rendition(entry.path), entry.path, "video"))
    return out


def _inside(path: str) -> bool:
    parts = path.split("/")
    return not (path.startswith("/") or (len(path) > 1 and path[1] == ":") or any(p in ("", ".", "..") for p in parts))
