"""The check runner: walk the paths, identify each file by content, apply the FMT rules and the deep
validators, then the policy's selection and severities.  Returns a Report; never prints."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from hnsubmit.checks.context import FileContext
from hnsubmit.checks.formats.identify import FormatInfo, expected_extensions, identify_path, info
from hnsubmit.checks.validators.registry import text_scanners, validators_for
from hnsubmit.checks.walk import Entry, iter_entries
from hnsubmit.errors import UsageError
from hnsubmit.policy.kinds import allowed_description, allowed_kinds
from hnsubmit.policy.model import Policy
from hnsubmit.rules.findings import FileResult, Finding, Location, Report, finding
from hnsubmit.rules.selection import Selection

# Kinds that are inputs of hnsubmit itself rather than publication formats: judged by their own rules.
STRUCTURED = frozenset({"office-guide", "submission"})
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class CheckOptions:
    policy: Policy
    selection: Selection = field(default_factory=Selection)
    strict: bool = False
    deep: bool = False


def selection_from(policy: Policy, select=None, ignore=None, severity=None) -> Selection:
    """CLI values replace the policy's select and extend its ignore and severities."""
    sev = dict(policy.rules.severity)
    sev.update(severity or {})
    return Selection(
        select=tuple(p.upper() for p in select) if select else tuple(policy.rules.select),
        ignore=tuple(policy.rules.ignore) + tuple(p.upper() for p in (ignore or ())),
        severity={k.upper(): v for k, v in sev.items()},
    )


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


def _fmt_findings(entry: Entry, fi: FormatInfo, size: int, policy: Policy) -> list[Finding]:
    out: list[Finding] = []
    path = entry.display
    if fi.damaged:
        out.append(finding("FMT008", path, reason={"zh": fi.damaged_zh, "en": fi.damaged}))
    kind = fi.kind
    if kind in STRUCTURED:
        return out
    if kind == "zip":  # a submission package (BagIt) is judged by the PKG rules, not refused as a zip
        from hnsubmit.submission.bag.read import is_bag_zip

        if is_bag_zip(entry.path):
            return out
    described = {"zh": fi.detail_zh, "en": fi.detail}
    if kind not in allowed_kinds(policy):
        if kind in policy.formats.attachments:
            out.append(finding("FMT009", path, detail=described))
        else:
            out.append(finding("FMT001", path, detail=described, allowed=allowed_description(policy)))
    expected = fi.fits or expected_extensions(kind)
    ext = os.path.splitext(entry.path.name)[1].lower()
    if expected and ext not in expected:
        out.append(
            finding("FMT002", path, extension=ext or "(none)", detail=described, expected="/".join(expected))
        )
    limit = policy.limits.max_bytes_for(kind)
    if limit is not None and size > limit:
        out.append(finding("FMT005", path, size=human_size(size), limit=human_size(limit), kind=kind))
    return out


def check_entry(entry: Entry, options: CheckOptions) -> FileResult:
    path = entry.display
    if entry.is_symlink:
        try:
            target = os.readlink(entry.path)
        except OSError:
            target = "?"
        return FileResult(path, "symlink", 0, (finding("FMT007", path, target=target),))
    if entry.not_regular:
        return FileResult(path, "unreadable", 0, (finding("FMT004", path, reason=entry.not_regular),))
    try:
        size = entry.path.stat().st_size
        fi = identify_path(entry.path) if size else info("empty")
    except OSError as exc:
        return FileResult(path, "unreadable", 0, (finding("FMT004", path, reason=exc.strerror or str(exc)),))
    if size == 0:
        return FileResult(path, "empty", 0, (finding("FMT003", path),), fi.detail, fi.detail_zh)
    findings = _fmt_findings(entry, fi, size, options.policy)
    if not fi.damaged:
        findings.extend(_deep(entry, fi, options))
    kept = options.selection.apply(findings)
    kept.sort(key=Finding.sort_key)
    return FileResult(path, fi.kind, size, tuple(kept), fi.detail, fi.detail_zh)


def file_checker(options: CheckOptions) -> Callable[[Path, str], FileResult]:
    """`check_entry` as a plain (path, display) -> FileResult function, for callers below the runner."""
    return lambda path, display: check_entry(Entry(path, display), options)


def _nested(options: CheckOptions) -> Callable[[Entry], FileResult]:
    """How a validator checks what a file holds (a package's payload, a guide's forms): like a loose
    file, with the policy's own selection, without importing this runner."""
    nested = CheckOptions(options.policy, selection_from(options.policy), deep=options.deep)
    return lambda entry: check_entry(entry, nested)


def _deep(entry: Entry, fi: FormatInfo, options: CheckOptions) -> Iterable[Finding]:
    ctx = FileContext(entry.path, entry.display, fi, options.policy, deep=options.deep, check_nested=_nested(options))
    out: list[Finding] = []
    try:
        for validator in validators_for(fi.kind):
            out.extend(validator(ctx))
        if ctx.texts and options.policy.text.scan:
            for scanner in text_scanners():
                out.extend(scanner(ctx))
    except Exception as exc:  # the safety net: no file may crash the run (see FMT006)
        out.append(finding("FMT006", entry.display, kind=fi.kind, error=type(exc).__name__))
    return out


def missing_paths(paths: list[Path]) -> list[Path]:
    return [p for p in paths if not p.exists() and not p.is_symlink()]


MAX_JOBS = 4


def default_jobs() -> int:
    """The number of cores this process may use, at most MAX_JOBS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on every platform
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


def _pool_context():
    """fork where the platform has it (the workers start with everything imported); elsewhere None and
    the check stays in one process: spawning would re-run the command line, a frozen bundle included."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def _worker_init() -> None:
    # Ctrl-C is the parent's to report (one line) and the parent stops the workers: no traceback from them
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _check_chunk(entries: list[Entry], options: CheckOptions) -> list[FileResult]:
    return [check_entry(entry, options) for entry in entries]


def _results_in_pool(entries: list[Entry], options: CheckOptions, jobs: int, ctx, progress: Progress | None,
                     done: int = 0, total: int | None = None):
    """`check_entry` over `entries` in `jobs` processes; results in the order of `entries`. Progress
    counts from `done` of `total` (the files checked before and around these)."""
    total = len(entries) if total is None else total
    from concurrent.futures import ProcessPoolExecutor

    # small chunks keep the cores busy to the end (a video next to many small files) and the bar moving
    size = max(1, min(16, len(entries) // (jobs * 8)))
    chunks = [entries[i : i + size] for i in range(0, len(entries), size)]
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init)
    try:
        futures = [pool.submit(_check_chunk, chunk, options) for chunk in chunks]
        for chunk, future in zip(chunks, futures):
            if progress:
                progress(done, total, chunk[0].display)
            yield from future.result()
            done += len(chunk)
    except BaseException:
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.terminate()  # an interrupted check does not wait for the files in flight
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def run_check(paths: list[Path], options: CheckOptions, progress: Progress | None = None, jobs: int = 1) -> Report:
    """Check every file below `paths`.  A missing path is a usage error (exit 2).

    With jobs > 1 (and a platform that forks) the files are checked by that many processes; the
    report is the same, in the same order, as with one."""
    missing = missing_paths(paths)
    if missing:
        raise UsageError("No such file or folder: {path}", path=str(missing[0]))
    entries = list(iter_entries(paths))
    ctx = _pool_context() if jobs > 1 and len(entries) > 1 else None
    if ctx is not None:
        # the first file of each kind of name is checked here first: what the validators build on first use
        # (the text scanners, the Word reader) is then inherited by every forked worker, not built in each
        first = {}
        for i, entry in enumerate(entries):
            first.setdefault(entry.path.suffix.lower(), i)
        warm = {}
        for i in sorted(first.values())[:8]:
            if progress:
                progress(len(warm), len(entries), entries[i].display)
            warm[i] = check_entry(entries[i], options)
        rest = [e for i, e in enumerate(entries) if i not in warm]
        pooled = iter(list(_results_in_pool(rest, options, min(jobs, len(rest)), ctx, progress, len(warm),
                                            len(entries))) if rest else [])
        results = [warm[i] if i in warm else next(pooled) for i in range(len(entries))]
    else:
        results = []
        for i, entry in enumerate(entries):
            if progress:
                progress(i, len(entries), entry.display)
            results.append(check_entry(entry, options))
    if progress:
        progress(len(entries), len(entries), "")
    return Report(tuple(results), strict=options.strict)


def location(**kw) -> Location:
    return Location(**kw)
