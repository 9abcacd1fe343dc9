"""`hnsubmit guide check`'s engine: every office guide below the paths, one result per guide.

It lives with the runner because it is one: it walks the paths, checks files that are not guides as
`hnsubmit check` would, and hands `analyse` the callback that checks a guide's linked forms.
"""

from __future__ import annotations

from pathlib import Path

from hnsubmit.checks.context import FileContext
from hnsubmit.checks.formats.identify import identify_path, info
from hnsubmit.checks.run import CheckOptions, Progress, check_entry, file_checker, missing_paths, selection_from
from hnsubmit.checks.validators.registry import text_scanners
from hnsubmit.checks.walk import iter_entries
from hnsubmit.errors import UsageError
from hnsubmit.guide.api import Analysis, GuideReport, GuideResult, analyse, source_kind, with_profile
from hnsubmit.guide.profiles import get_profile
from hnsubmit.policy.model import load_policy
from hnsubmit.rules.findings import FileResult, Finding, finding


def _guide_kind(path: Path, explicit: bool) -> str | None:
    try:
        kind = identify_path(path).kind
    except OSError:
        return "yaml" if explicit else None
    if kind == "office-guide":
        return source_kind(path)
    if kind == "docx":
        if explicit:
            return "docx"
        from hnsubmit.guide.docx_reader import looks_like_guide

        return "docx" if looks_like_guide(path) else None
    if explicit:
        return "xlsx" if kind == "xlsx" else "docx" if kind.startswith("docx") else "yaml"
    return None


def _scan(path: Path, display: str, analysis: Analysis, policy) -> list[Finding]:
    return _scan_texts(path, display, list(analysis.texts), policy)


def _scan_texts(path: Path, display: str, texts: list, policy, memo: dict | None = None,
                scanners: list | None = None) -> list[Finding]:
    if not texts or not policy.text.scan:
        return []
    ctx = FileContext(path, display, info("office-guide"), policy, memo=memo)
    ctx.texts.extend(texts)
    out: list[Finding] = []
    for scanner in scanners or text_scanners():
        out.extend(scanner(ctx))
    return out


def check_guides(
    paths: list[Path],
    profile: str | None = None,
    policy=None,
    selection=None,
    strict: bool = False,
    progress: Progress | None = None,
    keep_guides: bool = True,
) -> GuideReport:
    """Check the office guides in `paths` (files or folders): one result per guide, plus file-level results.

    In a folder, YAML/JSON guides, guide workbooks and filled Word templates are checked; other files
    (the forms themselves) are left to `hnsubmit check`.  A file named explicitly is always read as a guide.
    `keep_guides=False` (`guide check`) keeps each guide's findings, not its record: memory stays flat
    over a 5,000-row workbook (each guide's texts scanned as it is built, GuideResult.guide None).
    """
    missing = missing_paths(paths)
    if missing:
        raise UsageError("No such file or folder: {path}", path=str(missing[0]))
    policy = with_profile(policy or load_policy(), profile)
    prof = get_profile(policy.guide.profile).name
    selection = selection or selection_from(policy)
    check_file = file_checker(CheckOptions(policy))
    explicit = {str(p) for p in paths}
    entries = list(iter_entries(paths))
    # One memo of the scanners' hits for the run: a batch repeats its texts row after row (issue 19, P8)
    memo: dict = {}
    scanners = text_scanners()
    guides: list[GuideResult] = []
    files: list[FileResult] = []
    for n, entry in enumerate(entries):
        if progress:
            progress(n, len(entries), entry.display)
        is_explicit = entry.display in explicit
        if entry.is_symlink or entry.not_regular:
            if is_explicit:
                files.append(check_entry(entry, CheckOptions(policy, selection)))
            continue
        kind = _guide_kind(entry.path, is_explicit)
        if kind is None:
            continue
        try:
            size = entry.path.stat().st_size
        except OSError as exc:
            files.append(FileResult(entry.display, "unreadable", 0, (finding("FMT004", entry.display, reason=exc.strerror or str(exc)),)))
            continue
        if size == 0:
            files.append(FileResult(entry.display, "empty", 0, (finding("FMT003", entry.display),)))
            continue
        try:
            if keep_guides:
                analysis = analyse(entry.path, entry.display, prof, policy, kind, check_file=check_file)
                scanned = _scan(entry.path, entry.display, analysis, policy)
            else:
                analysis = analyse(entry.path, entry.display, prof, policy, kind, check_file=check_file,
                                   scan=lambda texts, e=entry: _scan_texts(e.path, e.display, texts, policy, memo, scanners))
                scanned = []
        except Exception as exc:  # the safety net, as in the check runner: no file may crash the run
            files.append(FileResult(entry.display, kind, size, (finding("FMT006", entry.display, kind="office-guide", error=type(exc).__name__),)))
            continue
        per_guide: list[list[Finding]] = [[] for _ in analysis.guides]
        file_level: list[Finding] = []
        if not keep_guides:  # each guide's findings are its own already; the reader's are placed by anchor
            for outcome, mine in zip(analysis.guides, per_guide):
                mine.extend(selection.apply(list(outcome.findings)))
        for f in selection.apply(list(analysis.findings) if not keep_guides else analysis.all_findings() + scanned):
            owner = analysis.owner(f.location)
            if owner is None and len(analysis.guides) == 1 and f.code[:3] != "GDE":
                owner = 0  # a single guide owns whatever the TXT scan found in it
            (per_guide[owner] if owner is not None else file_level).append(f)
        files.append(FileResult(entry.display, "office-guide", size, tuple(sorted(file_level, key=Finding.sort_key))))
        for outcome, found in zip(analysis.guides, per_guide):
            guides.append(GuideResult(
                entry.display, outcome.label, outcome.name, prof, tuple(sorted(found, key=Finding.sort_key)),
                outcome.guide, entry.path,
            ))
    if progress:
        progress(len(entries), len(entries), "")
    return GuideReport(tuple(guides), tuple(files), prof, strict)
