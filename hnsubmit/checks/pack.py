"""What `pack` and `push` do with a folder: check submission.toml and the files it lists, then write the package."""

from __future__ import annotations

from pathlib import Path

from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.policy.model import Policy
from hnsubmit.rules.findings import Report
from hnsubmit.rules.selection import Selection
from hnsubmit.submission.bag.build import PackageInfo, PackageRefused, check_target, paths_to_check, write_package
from hnsubmit.submission.load import load_submission
from hnsubmit.submission.model import Submission


def check_folder(directory: Path, policy: Policy, selection: Selection | None = None, strict: bool = False) -> tuple[Submission | None, Report]:
    """What `pack` checks: submission.toml and every file it lists (ignored files stay out)."""
    sub, _ = load_submission(directory, policy=policy)
    options = CheckOptions(policy, selection or selection_from(policy), strict=strict)
    return sub, run_check(paths_to_check(directory, sub), options)


def build_package(directory: str | Path, out_zip: str | Path, policy: Policy, *, selection: Selection | None = None, strict: bool = False) -> PackageInfo:
    """Check `directory`, then write its package to `out_zip` (atomically).  Raises PackageRefused
    when the check fails, UsageError for a folder without submission.toml."""
    directory = Path(directory)
    out = Path(out_zip)
    check_target(directory, out)
    sub, report = check_folder(directory, policy, selection, strict)
    if report.failed or sub is None:
        raise PackageRefused(report, str(directory))
    return write_package(directory, out, sub, report)
