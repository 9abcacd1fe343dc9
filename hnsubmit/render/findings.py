"""What the server's own check found, and a file's channel renditions, as `review show` prints them.

Fed the protocol's JSON shapes (GET /api/v1/submissions/{id}/findings and the manifest's
`renditions`, docs/protocol.md), so the data folder and the HTTP API print the same.
"""

from __future__ import annotations

from typing import Any

from hnsubmit.i18n import N_, _
from hnsubmit.render.terminal import plain


def proofing_status_lines(state: dict[str, Any] | None) -> list[str]:
    """The lines under the PRF heading that say where the findings come from, and what was left out."""
    from hnsubmit.render.words import local_time

    if not isinstance(state, dict):
        return []
    out: list[str] = []
    status = state.get("state")
    if status == "pending":
        out.append(_("the server is still checking this item; show it again in a moment"))
    elif status == "failed":
        out.append(_("the server's check of this item failed: {error}").format(error=plain(str(state.get("error") or ""))))
    elif state.get("origin") == "opened":
        out.append(_("checked when first opened, {time}: this item arrived before the server checked items on arrival")
                   .format(time=local_time(state.get("checked_at"))))
    elif state.get("checked_at"):
        out.append(_("checked by the server on arrival, {time}").format(time=local_time(state.get("checked_at"))))
    omitted = state.get("omitted") if isinstance(state.get("omitted"), dict) else {}
    for path, n in omitted.items():
        out.append(_("{path}: {n} more finding(s) not kept").format(path=plain(str(path)), n=n))
    for skipped in state.get("skipped") or []:
        if isinstance(skipped, dict):
            reason = {"too_large": _("too large to open"), "missing": _("its file is missing on the server")}.get(
                str(skipped.get("reason")), str(skipped.get("reason")))
            out.append(_("{path}: not checked ({reason})").format(path=plain(str(skipped.get("path", ""))), reason=reason))
    return out


KIND_NAMES = {
    "cover-2.35": N_("cover 2.35:1"),
    "cover-1:1": N_("cover 1:1"),
    "image": N_("smaller image"),
    "video-mp4": N_("video MP4"),
}
CHANNEL_NAMES = {"wechat": N_("WeChat")}


def rendition_lines(manifest: dict[str, Any], source: str) -> list[str]:
    """The channel renditions of one original, to print under its line in the file list."""
    out = []
    for r in manifest.get("renditions") or []:
        if not isinstance(r, dict) or r.get("source") != source:
            continue
        kind = KIND_NAMES.get(str(r.get("kind")))
        channel = CHANNEL_NAMES.get(str(r.get("channel")))
        out.append(plain("      ↳ {channel} {kind}: {path}  {size} B  {digest}…".format(
            channel=_(channel) if channel else r.get("channel"), kind=_(kind) if kind else r.get("kind"),
            path=r.get("path", ""), size=r.get("size", ""), digest=str(r.get("digest", ""))[:19])))
    return out
