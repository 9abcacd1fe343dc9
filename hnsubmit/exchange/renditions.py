"""A submission's channel renditions beside its originals (issue 18), for `review show` and the console.

The manifest lists them under `renditions` (docs/protocol.md §4), each naming its original (`source`);
intake has checked that every one is a blob of the unit with its declared size and digest, that its
original is one of the files and that its channel is one of the item's channels.
"""

from __future__ import annotations

from typing import Any, Mapping

from hnsubmit.exchange import submissions
from hnsubmit.exchange.auth import Principal
from hnsubmit.exchange.context import Exchange

_FIELDS = ("channel", "kind", "path", "digest", "size")


def renditions_by_file(manifest: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each file of the manifest, in its order, with the renditions made of it (possibly none):
    [{"path", "role", "digest", "size", "renditions": [{"channel", "kind", "path", "digest", "size"}]}].
    kind: "cover-2.35", "cover-1:1" (the article's cover crops of the chosen photo), "image" (an image
    re-encoded under WeChat's byte limit), "video-mp4" (the H.264/AAC copy of a WMV)."""
    made: dict[str, list[dict[str, Any]]] = {}
    for r in manifest.get("renditions") or []:
        if isinstance(r, Mapping) and isinstance(r.get("source"), str):
            made.setdefault(r["source"], []).append({k: r.get(k) for k in _FIELDS})
    out = []
    for f in manifest.get("files") or []:
        if isinstance(f, Mapping):
            out.append({"path": f.get("path"), "role": f.get("role"), "digest": f.get("digest"), "size": f.get("size"),
                        "renditions": made.get(str(f.get("path")), [])})
    return out


def renditions_for(ex: Exchange, who: Principal, submission_id: str) -> dict[str, Any]:
    """The service the review console calls: {"submission_id", "channels", "files": renditions_by_file(...)}.

    Whoever may read the submission may read this (the office, the owning unit; another unit's id is
    404 like a missing one). Each rendition's bytes are GET /api/v1/blobs/{digest}."""
    s = submissions.visible(ex, who, submission_id)
    manifest = submissions.detail(ex, s)["manifest"]
    return {"submission_id": s.submission_id, "channels": list(manifest.get("channels") or []),
            "files": renditions_by_file(manifest)}
