"""PRF over a received submission: what the server checks on arrival (issue 14).

A unit may push without running `check`, or with other lists; the office should still see the
wrong words, outdated names and leaders' titles.  The submission's title, summary and captions and
its files (read from the blob store under their manifest names) are proofread with the lists of the
given policy (the server's: the office's own lists).  The cost is bounded: files above MAX_BYTES
(videos) are not opened, at most MAX_PER_FILE findings are kept per file (the rest are counted),
and a file that makes a checker fail becomes an FMT006 finding for that file instead of an error.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

from hnsubmit.checks.proofing.engine import for_policy
from hnsubmit.checks.proofing.scanner import proofread_text
from hnsubmit.policy.model import Policy
from hnsubmit.rules.findings import Finding, Location, finding

MAX_BYTES = 50_000_000
MAX_PER_FILE = 100  # a file with thousands of hits (a list pasted as a table) must not fill the store
_FIELDS = ("title", "summary")
# the runner's own safety net (a validator that raised) is kept beside the PRF findings
_KEEP = ("PRF", "FMT006")


@dataclass
class ProofingResult:
    findings: list[Finding] = field(default_factory=list)
    omitted: dict[str, int] = field(default_factory=dict)  # path → findings past MAX_PER_FILE
    skipped: list[dict[str, str]] = field(default_factory=list)  # {"path", "reason": "too_large" | "missing"}

    def add(self, found: list[Finding]) -> None:
        kept: dict[str, int] = {}
        for f in self.findings:
            kept[f.path] = kept.get(f.path, 0) + 1
        for f in found:
            if kept.get(f.path, 0) >= MAX_PER_FILE:
                self.omitted[f.path] = self.omitted.get(f.path, 0) + 1
                continue
            kept[f.path] = kept.get(f.path, 0) + 1
            self.findings.append(f)


def proofread_submission(ex: Any, detail: Mapping[str, Any], policy: Policy) -> list[Finding]:
    """PRF findings of one submission (`submissions.detail`'s shape), texts first, then files."""
    return proofread(ex, detail, policy).findings


def proofread(ex: Any, detail: Mapping[str, Any], policy: Policy) -> ProofingResult:
    """PRF (and FMT006) findings of one submission, capped per file, with what was not opened."""
    manifest = detail.get("manifest", {})
    result = ProofingResult()
    if not policy.proofing.check:  # the office turned proofreading off ([proofing] check = false)
        return result
    reader = for_policy(policy)
    texts: list[Finding] = []
    for key in _FIELDS:
        if isinstance(manifest.get(key), str):
            texts.extend(proofread_text(reader, manifest[key], Location(field_path=key), "submission"))
    files = [f for f in manifest.get("files", []) if isinstance(f, Mapping)]
    for i, f in enumerate(files):
        if isinstance(f.get("caption"), str):
            texts.extend(proofread_text(reader, f["caption"], Location(field_path=f"files[{i}].caption"), "submission"))
    result.add(texts)
    with tempfile.TemporaryDirectory(prefix="hnsubmit-review-") as tmp:
        for i, f in enumerate(files):
            result.add(_file(ex, Path(tmp), i, f, policy, result))
    return result


def _file(ex: Any, tmp: Path, i: int, f: Mapping[str, Any], policy: Policy, result: ProofingResult) -> list[Finding]:
    from hnsubmit.checks.run import CheckOptions, check_entry, selection_from
    from hnsubmit.checks.walk import Entry

    digest, display = f.get("digest"), str(f.get("path", ""))
    name = PurePosixPath(display).name
    if not isinstance(digest, str) or not name:
        return []
    if not ex.blobs.has(digest):
        result.skipped.append({"path": display, "reason": "missing"})
        return []
    if (ex.blobs.size(digest) or 0) > MAX_BYTES:
        result.skipped.append({"path": display, "reason": "too_large"})
        return []
    try:
        # under its own name: the extension is part of what is checked (FMT002)
        local = tmp / f"{i}-{name}"
        with ex.blobs.open(digest) as src, local.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        options = CheckOptions(policy, selection_from(policy, list(_KEEP)))
        found = [x for x in check_entry(Entry(local, display), options).findings if x.code.startswith(_KEEP)]
        local.unlink(missing_ok=True)
        return found
    except Exception as exc:  # a file must never stop the others' check, nor the server: FMT006 for it
        kind = PurePosixPath(name).suffix.lstrip(".").lower()[:10] or "?"
        return [finding("FMT006", display, kind=kind, error=type(exc).__name__)]
