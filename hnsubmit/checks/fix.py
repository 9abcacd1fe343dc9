"""The fix runner: repaired copies by default, the original only with in_place; each result re-checked.

Every output is written to a temporary file first and moved into place only when complete, so an
interrupted or failed fix leaves no half-written file and never damages the original.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from hnsubmit.checks.run import CheckOptions, check_entry, missing_paths
from hnsubmit.errors import HnsubmitError, UsageError
from hnsubmit.i18n import _
from hnsubmit.rules.findings import FileResult, Severity
from hnsubmit.checks.fixers.registry import fixers_for
from hnsubmit.checks.fixers.base import Change, FixContext
from hnsubmit.checks.formats.identify import expected_extensions, identify_path
from hnsubmit.rules.registry import get_rule
from hnsubmit.checks.walk import Entry, iter_entries

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class FixOptions:
    check: CheckOptions
    outdir: Path = Path("hnsubmit-fixed")
    in_place: bool = False


@dataclass(frozen=True)
class FixAction:
    source: str
    output: str | None  # None: nothing written
    changes: tuple[Change, ...] = ()
    before: FileResult | None = None
    after: FileResult | None = None
    error: str = ""  # why a fix failed (the original is untouched)
    left: tuple[str, ...] = field(default_factory=tuple)  # codes still found after the fix

    @property
    def fixed(self) -> bool:
        return self.output is not None and not self.error


def _target(entry: Entry, root: Path, options: FixOptions, kind: str, fits: tuple[str, ...] = ()) -> Path:
    if options.in_place:
        base = entry.path
    else:
        rel = entry.path.relative_to(root) if root.is_dir() else Path(entry.path.name)
        base = options.outdir / rel
    fits = fits or expected_extensions(kind)
    if fits and base.suffix.lower() not in fits:
        base = base.with_suffix(fits[0])
    return base


def fix_entry(entry: Entry, root: Path, options: FixOptions, fixer_progress=None) -> FixAction:
    before = check_entry(entry, options.check)
    fixable = [f for f in before.findings if get_rule(f.code).fixable]
    if not fixable or entry.is_symlink or before.kind in ("empty", "unreadable"):
        return FixAction(entry.display, None, before=before, left=tuple(f.code for f in before.findings))
    info = identify_path(entry.path)
    ctx = FixContext(info, tuple(before.findings), options.check.policy, fixer_progress)
    workdir = Path(tempfile.mkdtemp(prefix="hnsubmit-fix-"))
    try:
        current = entry.path
        changes: list[Change] = []
        for i, fixer in enumerate(fixers_for(info.kind)):
            dst = workdir / f"step{i}{entry.path.suffix}"
            try:
                done = fixer(current, dst, ctx)
            except HnsubmitError as exc:  # a known failure (ffmpeg…) in the user's language
                return FixAction(entry.display, None, before=before, error=exc.render(_))
            except Exception as exc:  # a failed fix leaves the original untouched and says why
                return FixAction(entry.display, None, before=before, error=f"{type(exc).__name__}: {exc}")
            if done:
                changes.extend(done)
                current = dst
        out_info = identify_path(current)
        target = _target(entry, root, options, out_info.kind, out_info.fits)
        renamed = target.suffix.lower() != entry.path.suffix.lower()
        if current == entry.path and not renamed:  # no fixer could do anything, and the name is right
            return FixAction(entry.display, None, before=before, left=tuple(f.code for f in before.findings))
        if renamed:
            changes.append(Change(f"扩展名改为 {target.suffix}", f"extension changed to {target.suffix}"))
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(f".{target.name}.hnsubmit-tmp")
        shutil.copyfile(current, staged)
        with open(staged, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(staged, target)
        if options.in_place and target != entry.path:
            entry.path.unlink()
        after = check_entry(Entry(target, str(target)), options.check)
        return FixAction(
            entry.display, str(target), tuple(changes), before, after, left=tuple(f.code for f in after.findings)
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run_fix(paths: list[Path], options: FixOptions, progress: Progress | None = None, fixer_progress=None) -> list[FixAction]:
    missing = missing_paths(paths)
    if missing:
        raise UsageError("No such file or folder: {path}", path=str(missing[0]))
    actions: list[FixAction] = []
    work = [(e, root) for root in paths for e in iter_entries([root]) if not _inside(e.path, options)]
    for i, (entry, root) in enumerate(work):
        if progress:
            progress(i, len(work), entry.display)
        actions.append(fix_entry(entry, root, options, fixer_progress))
    if progress:
        progress(len(work), len(work), "")
    return actions


def _inside(path: Path, options: FixOptions) -> bool:
    """Skip files already in the output folder when it lies below a folder being fixed."""
    if options.in_place:
        return False
    try:
        path.resolve().relative_to(options.outdir.resolve())
        return True
    except ValueError:
        return False


def still_failing(actions: list[FixAction]) -> bool:
    for a in actions:
        result = a.after if a.fixed else a.before
        if a.error or (result and any(f.severity is Severity.ERROR for f in result.findings)):
            return True
    return False
