"""PKG rules for a zip that is a submission package (has bagit.txt), then the normal check over
every payload file, reported as `package.zip!data/...`.  A plain zip is left to FMT001."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Iterable

from hnsubmit.checks.context import FileContext
from hnsubmit.rules.findings import Finding, finding

# A package inside a package is not opened again: recursion is bounded at one level.
_DEPTH: ContextVar[int] = ContextVar("hnsubmit_package_depth", default=0)


def check(ctx: FileContext) -> Iterable[Finding]:
    from hnsubmit.submission.bag.read import is_bag_zip, open_package

    if not is_bag_zip(ctx.path):
        return []
    if _DEPTH.get() > 0:
        from hnsubmit.policy.kinds import allowed_description

        detail = {"zh": "报送包中的另一个报送包(ZIP)", "en": "a package (ZIP) inside a package"}
        return [finding("FMT001", ctx.display, detail=detail, allowed=allowed_description(ctx.policy))]
    token = _DEPTH.set(_DEPTH.get() + 1)
    try:
        contents, findings = open_package(ctx.path, ctx.policy, display=ctx.display)
        if contents is None:
            return findings
        with contents:
            return findings + _payload(contents, ctx)
    finally:
        _DEPTH.reset(token)


def _payload(contents, ctx: FileContext) -> list[Finding]:
    """Every payload file through the same checks as a loose file, named inside the package."""
    from hnsubmit.checks.walk import Entry, iter_entries

    out: list[Finding] = []
    for entry in iter_entries([contents.payload]):
        rel = entry.path.relative_to(contents.dir).as_posix()
        named = Entry(entry.path, f"{ctx.display}!{contents.entry_prefix}{rel}", entry.is_symlink, entry.not_regular)
        out.extend(ctx.check_nested(named).findings)
    return out
