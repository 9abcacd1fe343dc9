"""PRF over a received submission: what the server checks on arrival (issue 14).

A unit may push without running `check`, or with other lists; the office should still see the
wrong words, outdated names and leaders' titles.  The submission's title, summary and captions and
its files (read from the blob store under their manifest names) are proofread with the lists of the
given policy (the server's: the office's own lists).  The cost is bounded: files above MAX_BYTES
(videos) are not opened, at most MAX_PER_FILE findings are kept per file (the rest are counted), each
file is checked in a forked child process stopped after FILE_SECONDS (so a file that hangs or kills a
checker cannot take the server with it, and the check does not hold the server's GIL), and a file that
makes a checker fail, time out or die becomes an FMT006 finding for that file instead of an error.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Mapping

from hnsubmit.checks.proofing.engine import for_policy
from hnsubmit.checks.proofing.scanner import proofread_text
from hnsubmit.policy.model import Policy
from hnsubmit.rules.findings import Finding, Location, finding

MAX_BYTES = 50_000_000
MAX_PER_FILE = 100  # a file with thousands of hits (a list pasted as a table) must not fill the store
FILE_SECONDS = 60.0  # a 100-page Word body takes about 0.3 s here
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


def proofread(ex: Any, detail: Mapping[str, Any], policy: Policy, seconds: float = FILE_SECONDS) -> ProofingResult:
    """PRF (and FMT006) findings of one submission, capped per file, with what was not opened;
    `seconds`: the time each file's check may take."""
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
            result.add(_file(ex, Path(tmp), i, f, policy, result, seconds))
    return result


def _file(ex: Any, tmp: Path, i: int, f: Mapping[str, Any], policy: Policy, result: ProofingResult,
          seconds: float) -> list[Finding]:
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
        _warm(policy)
        found = _isolated(_check_copy, (local, display, policy), seconds)
        local.unlink(missing_ok=True)
        return found
    except Exception as exc:  # a file must never stop the others' check, nor the server: FMT006 for it
        kind = PurePosixPath(name).suffix.lstrip(".").lower()[:10] or "?"
        error = str(exc) if isinstance(exc, CheckerStopped) else type(exc).__name__
        return [finding("FMT006", display, kind=kind, error=error)]


def _check_copy(local: Path, display: str, policy: Policy) -> list[Finding]:
    from hnsubmit.checks.run import CheckOptions, check_entry, selection_from
    from hnsubmit.checks.walk import Entry

    options = CheckOptions(policy, selection_from(policy, list(_KEEP)))
    return [x for x in check_entry(Entry(local, display), options).findings if x.code.startswith(_KEEP)]


class CheckerStopped(Exception):
    """The child checking a file ran out of time or died; the text says which (FMT006's {error})."""


def _isolated(fn: Callable[..., Any], args: tuple, seconds: float) -> Any:
    """fn(*args) in a forked child, stopped after `seconds`; in this process where fork is missing.

    Forked, not spawned: the child starts with the checkers already imported (and the lists' automaton
    already built), so a file costs a fork, not an interpreter start."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return fn(*args)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, fn, args), name="hnsubmit-check")
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise CheckerStopped(f"TimeoutError: more than {seconds:g} s")
        try:
            ok, value = receive.recv()
        except EOFError:  # it died without answering (a signal, the memory limit)
            child.join(5)
            raise CheckerStopped(f"the checker process ended ({child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if not ok:
        raise CheckerStopped(value)
    return value


_WARM: list[bool] = []


_WARM_DOCX = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.'
    'xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    "word/document.xml": '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>各单位再接再厉。</w:t></w:r></w:p></w:body></w:document>',
}


def _warm(policy: Policy) -> None:
    """Import every validator and text scanner here, and check a tiny Word file of our own once, so each
    forked child starts with what a check builds on first use (else every child builds it again: about
    1 s a 100-page file instead of 0.4 s)."""
    if _WARM:
        return
    import zipfile

    from hnsubmit.checks.validators.registry import VALIDATORS, text_scanners, validators_for

    for kind in VALIDATORS:
        validators_for(kind)
    text_scanners()
    with tempfile.TemporaryDirectory(prefix="hnsubmit-warm-") as tmp:
        sample = Path(tmp) / "warm.docx"
        with zipfile.ZipFile(sample, "w") as zf:
            for name, text in _WARM_DOCX.items():
                zf.writestr(name, text)
        _check_copy(sample, "warm.docx", policy)
    _WARM.append(True)


def _child(send: Any, fn: Callable[..., Any], args: tuple) -> None:
    try:
        value = (True, fn(*args))
    except BaseException as exc:  # the parent reports it as the file's FMT006
        value = (False, type(exc).__name__)
    try:
        send.send(value)
        send.close()
    except OSError:  # the server was stopped meanwhile: nobody is waiting (and no traceback in its log)
        pass
