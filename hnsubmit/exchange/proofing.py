"""PRF over a received submission: what the server checks on arrival (issue 14).

A unit may push without running `check`, or with other lists; the office should still see the
wrong words, outdated names and leaders' titles.  The submission's title, summary and captions and
its files (read from the blob store under their manifest names) are proofread with the lists of the
given policy (the server's: the office's own lists).  The cost is bounded: files above MAX_BYTES
(videos) are not opened, at most MAX_PER_FILE findings are kept per file (the rest are counted), each
file is checked in a forked child process stopped after FILE_SECONDS (so a file that hangs or kills a
checker cannot take the server with it, and the check does not hold the server's GIL), and a file that
makes a checker fail, time out or die becomes an FMT006 finding for that file instead of an error.

Close to the machine (issue 19, P6): the running server's checks go to one long-lived check process
(`CheckProcess`, forked from the warmed server and fed one file at a time, with the same time limit: one
that runs out of time, fails or dies is replaced by a fresh one, and a process is replaced after
RECYCLE_AFTER files anyway), so a file costs its check, not a fork of the server, and each kind's checker
is built once per process instead of once per file (a guide's YAML: ~180 ms of imports and tables in a
fresh child, ~20 ms to check). Every check child runs at a lower CPU priority (NICE): on a machine with few
cores the receipts go first and the checks take the time left over. A file already checked (the same blob
under the same name, with the same lists: the forms of office guides come item after item as the same
blobs) reuses the findings its first check gave (`KnownFiles`).
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections import OrderedDict
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
NICE = 10  # added to the check child's niceness: receipts first when the cores are short
KNOWN_FILES = 4096  # files whose findings a KnownFiles keeps (each at most MAX_PER_FILE findings)
RECYCLE_AFTER = 500  # files one long-lived check process takes before a fresh one replaces it
CHILD_NAME = "hnsubmit-check"
CHECKED = [0]  # files checked in a child process so far (not reused from a KnownFiles): what tests count
FORKS = [0]  # check processes started (one per file by _isolated, one per RECYCLE_AFTER files by CheckProcess)
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


class KnownFiles:
    """Findings of files already checked, by (lists, blob digest, path as listed), oldest forgotten first.

    A blob is named by its content, and a file's findings depend only on its bytes, its name (the
    extension is checked, the path is in each finding) and the policy's lists: the running server's
    policy does not change, so one KnownFiles serves one policy (the arrival worker's). Only whole
    checks are kept: a file whose checker failed, ran out of time or died is checked again next time."""

    def __init__(self, limit: int = KNOWN_FILES) -> None:
        self.limit = limit
        self._found: OrderedDict[tuple[str, str, str], tuple[tuple[Finding, ...], int]] = OrderedDict()
        self._lock = threading.Lock()
        self.reused = 0

    def get(self, key: tuple[str, str, str]) -> list[Finding] | None:
        with self._lock:
            hit = self._found.get(key)
            if hit is None:
                return None
            self._found.move_to_end(key)
            self.reused += 1
        kept, dropped = hit
        # past the per-file cap only the count matters (ProofingResult.add counts what it does not keep)
        return list(kept) + [kept[-1]] * dropped if dropped else list(kept)

    def put(self, key: tuple[str, str, str], found: list[Finding]) -> None:
        kept = tuple(found[:MAX_PER_FILE])
        with self._lock:
            self._found[key] = (kept, len(found) - len(kept))
            self._found.move_to_end(key)
            while len(self._found) > self.limit:
                self._found.popitem(last=False)


def proofread_submission(ex: Any, detail: Mapping[str, Any], policy: Policy) -> list[Finding]:
    """PRF findings of one submission (`submissions.detail`'s shape), texts first, then files."""
    return proofread(ex, detail, policy).findings


def proofread(ex: Any, detail: Mapping[str, Any], policy: Policy, seconds: float = FILE_SECONDS,
              known: KnownFiles | None = None, lists: str = "", process: CheckProcess | None = None) -> ProofingResult:
    """PRF (and FMT006) findings of one submission, capped per file, with what was not opened;
    `seconds`: the time each file's check may take; `known`: findings of files checked before with
    `policy`, whose lists' digest is `lists` (reused, and this check's added); `process`: the long-lived
    check process to use if it was made for `policy` (else each file gets a child of its own)."""
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
            result.add(_file(ex, Path(tmp), i, f, policy, result, seconds, known, lists, process))
    return result


def _file(ex: Any, tmp: Path, i: int, f: Mapping[str, Any], policy: Policy, result: ProofingResult,
          seconds: float, known: KnownFiles | None = None, lists: str = "",
          process: CheckProcess | None = None) -> list[Finding]:
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
    key = (lists, digest, display)
    if known is not None and (found := known.get(key)) is not None:
        return found
    try:
        # under its own name: the extension is part of what is checked (FMT002)
        local = tmp / f"{i}-{name}"
        with ex.blobs.open(digest) as src, local.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        _warm(policy)
        CHECKED[0] += 1
        if process is not None and process.policy is policy:
            found = process.run(_check_here, (local, display), seconds)
        else:
            found = _isolated(_check_copy, (local, display, policy), seconds)
        local.unlink(missing_ok=True)
        if known is not None:
            known.put(key, found)
        return found
    except Exception as exc:  # a file must never stop the others' check, nor the server: FMT006 for it
        kind = PurePosixPath(name).suffix.lstrip(".").lower()[:10] or "?"
        error = exc.reason if isinstance(exc, CheckerStopped) else type(exc).__name__
        return [finding("FMT006", display, kind=kind, error=error)]


def _check_copy(local: Path, display: str, policy: Policy) -> list[Finding]:
    from hnsubmit.checks.run import CheckOptions, check_entry, selection_from
    from hnsubmit.checks.walk import Entry

    options = CheckOptions(policy, selection_from(policy, list(_KEEP)))
    return [x for x in check_entry(Entry(local, display), options).findings if x.code.startswith(_KEEP)]


def _check_here(local: Path, display: str) -> list[Finding]:
    """_check_copy in a CheckProcess, with the policy it was made for (inherited, never pickled)."""
    return _check_copy(local, display, _HERE[0])


_HERE: list[Any] = [None]  # in a CheckProcess: its policy


class CheckerStopped(Exception):
    """The child checking a file ran out of time, died or failed; `reason` says which in both languages
    (FMT006's {error}, filled in the reader's language where it is shown)."""

    def __init__(self, reason: str | dict[str, str]) -> None:
        super().__init__(reason if isinstance(reason, str) else reason["en"])
        self.reason = reason

    @classmethod
    def timed_out(cls, seconds: float) -> "CheckerStopped":
        return cls({"zh": f"超过 {seconds:g} 秒未查完,已停止", "en": f"TimeoutError: more than {seconds:g} s"})

    @classmethod
    def ended(cls, exitcode: int | None) -> "CheckerStopped":
        return cls({"zh": f"检查进程意外退出(退出码 {exitcode})", "en": f"the checker process ended ({exitcode})"})


def _isolated(fn: Callable[..., Any], args: tuple, seconds: float) -> Any:
    """fn(*args) in a forked child, stopped after `seconds`; in this process where fork is missing.

    Forked, not spawned: the child starts with the checkers already imported (and the lists' automaton
    already built), so a file costs a fork, not an interpreter start."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return fn(*args)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, fn, args), name=CHILD_NAME)
    child.start()
    FORKS[0] += 1
    send.close()
    try:
        if not receive.poll(seconds):
            raise CheckerStopped.timed_out(seconds)
        try:
            ok, value = receive.recv()
        except EOFError:  # it died without answering (a signal, the memory limit)
            child.join(5)
            raise CheckerStopped.ended(child.exitcode) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if not ok:
        raise CheckerStopped(value)
    return value


class CheckProcess:
    """One long-lived check process for one policy, forked when first needed and fed one file at a time.

    A call gets the same guarantees as a child of its own (`_isolated`): it is stopped after `seconds`
    (the process is killed), a failure or a death of the process is CheckerStopped (FMT006 for that
    file), and the next call starts a fresh process; so does the call after RECYCLE_AFTER files. While
    another thread is using it (a reviewer's request beside the arrival worker) a call gets a child of
    its own instead of waiting. The process runs niced and ends by itself when the server is gone."""

    def __init__(self, policy: Policy, recycle_after: int = RECYCLE_AFTER) -> None:
        self.policy = policy
        self.recycle_after = recycle_after
        self.files = 0  # calls the current process has answered
        self._lock = threading.Lock()
        self._proc: Any = None
        self._tasks: Any = None
        self._results: Any = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def run(self, fn: Callable[..., Any], args: tuple, seconds: float) -> Any:
        """fn(*args) in the check process (`fn` importable by name: it is sent by reference)."""
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods():
            return fn(*args)
        if not self._lock.acquire(blocking=False):
            return _isolated(fn, args, seconds)
        try:
            return self._call(fn, args, seconds)
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _call(self, fn: Callable[..., Any], args: tuple, seconds: float) -> Any:
        if self._proc is None or not self._proc.is_alive():  # never started, recycled, or died while idle
            self._stop()
            self._start()
        try:
            self._tasks.send((fn, args))
            if not self._results.poll(seconds):
                raise CheckerStopped.timed_out(seconds)
            try:
                ok, value = self._results.recv()
            except EOFError:  # it died without answering (a signal, the memory limit)
                self._proc.join(5)
                raise CheckerStopped.ended(self._proc.exitcode) from None
        except BaseException:
            self._stop()
            raise
        self.files += 1
        if not ok or self.files >= self.recycle_after:  # a checker that failed may have left a mess behind
            self._stop()
        if not ok:
            raise CheckerStopped(value)
        return value

    def _start(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        tasks, to_child = ctx.Pipe(duplex=False)
        from_child, results = ctx.Pipe(duplex=False)
        # daemonic: if the server ends without closing it, multiprocessing's exit handler stops it
        proc = ctx.Process(target=_serve, args=(tasks, results, (to_child, from_child), self.policy, os.getpid()),
                           name=CHILD_NAME, daemon=True)
        proc.start()
        FORKS[0] += 1
        tasks.close()
        results.close()
        self._proc, self._tasks, self._results, self.files = proc, to_child, from_child, 0

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        for end in (self._tasks, self._results):
            if end is not None:
                end.close()
        self._tasks = self._results = None
        if proc is not None:
            if proc.is_alive():  # idle or stuck: nothing of it needs keeping
                proc.kill()
            proc.join()


def _serve(tasks: Any, results: Any, parent_ends: tuple, policy: Policy, parent: int) -> None:
    """A CheckProcess: run what the server sends, one call at a time, until it closes the pipe or is gone."""
    for end in parent_ends:
        end.close()
    _HERE[0] = policy
    _lower()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C at the server's terminal: the server stops it
    while True:
        try:
            while not tasks.poll(1.0):
                if os.getppid() != parent:  # the server was killed: nobody will ask again
                    return
            fn, args = tasks.recv()
        except (EOFError, OSError):
            return
        if not _answer(results, fn, args):
            return


def _lower() -> None:
    """A check child yields to the server: lower CPU priority, and a name of its own in `ps`."""
    try:
        os.nice(NICE)  # the receipts first: the server's own threads keep their priority
    except OSError:  # not allowed here (a platform without it): the check runs all the same
        pass
    try:  # what `ps`/`top` show (Linux), and how benchmarks/concurrent_push.py tells it from a server worker
        Path("/proc/self/comm").write_text(CHILD_NAME)
    except OSError:
        pass


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


def _answer(conn: Any, fn: Callable[..., Any], args: tuple) -> bool:
    """In a check child: fn(*args) sent back as (True, value), or (False, the exception's name) for the
    parent to report as the file's FMT006. False when nobody is listening any more (the server stopped)."""
    try:
        value = (True, fn(*args))
    except BaseException as exc:
        value = (False, type(exc).__name__)
    try:
        conn.send(value)
    except OSError:  # the server was stopped meanwhile: nobody is waiting (and no traceback in its log)
        return False
    return True


def _child(send: Any, fn: Callable[..., Any], args: tuple) -> None:
    _lower()
    if _answer(send, fn, args):
        send.close()
