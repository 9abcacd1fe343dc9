"""PRF over a received submission, for the office's reviewer (`review show`).

A unit may push without running `check`, or with other lists; the reviewer should still see the
wrong words, outdated names and leaders' titles.  The submission's title, summary and captions and
its Word files (read from the blob store under their manifest names) are proofread with the lists
of the policy the reviewer gives, so the office's own lists apply.  Files above MAX_BYTES (videos)
are not opened: they carry no text worth a reviewer's wait.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

from hnsubmit.checks.proofing.engine import for_policy
from hnsubmit.checks.proofing.scanner import proofread_text
from hnsubmit.policy.model import Policy
from hnsubmit.rules.findings import Finding, Location

MAX_BYTES = 50_000_000
_FIELDS = ("title", "summary")


def proofread_submission(ex: Any, detail: Mapping[str, Any], policy: Policy) -> list[Finding]:
    """PRF findings of one submission (`submissions.detail`'s shape), texts first, then files."""
    from hnsubmit.checks.run import CheckOptions, check_entry, selection_from
    from hnsubmit.checks.walk import Entry

    manifest = detail.get("manifest", {})
    reader = for_policy(policy)
    out: list[Finding] = []
    for key in _FIELDS:
        if isinstance(manifest.get(key), str):
            out.extend(proofread_text(reader, manifest[key], Location(field_path=key), "submission"))
    files = [f for f in manifest.get("files", []) if isinstance(f, Mapping)]
    for i, f in enumerate(files):
        if isinstance(f.get("caption"), str):
            out.extend(proofread_text(reader, f["caption"], Location(field_path=f"files[{i}].caption"), "submission"))
    options = CheckOptions(policy, selection_from(policy, ["PRF"]))
    with tempfile.TemporaryDirectory(prefix="hnsubmit-review-") as tmp:
        for i, f in enumerate(files):
            digest, name = f.get("digest"), PurePosixPath(str(f.get("path", ""))).name
            if not isinstance(digest, str) or not name or not ex.blobs.has(digest) or (ex.blobs.size(digest) or 0) > MAX_BYTES:
                continue
            local = Path(tmp) / f"{i}-{name}"
            with ex.blobs.open(digest) as src, local.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            out.extend(x for x in check_entry(Entry(local, str(f["path"])), options).findings if x.code.startswith("PRF"))
    return out
