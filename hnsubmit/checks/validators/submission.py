"""SUB rules for a submission.toml met by `check` (kind "submission"); its texts go to the TXT scan."""

from __future__ import annotations

from typing import Iterable

from hnsubmit.rules.findings import Finding, Location
from hnsubmit.submission.lines import key_lines, line_of
from hnsubmit.checks.context import FileContext


def check(ctx: FileContext) -> Iterable[Finding]:
    from hnsubmit.submission.load import load_submission

    submission, findings = load_submission(ctx.path.parent, display=ctx.display, policy=ctx.policy)
    if submission is not None:
        # Titles, summaries and captions are published as they are: scan them like document text.
        try:
            lines = key_lines(ctx.path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            lines = {}
        for key in ("title", "summary"):
            ctx.add_text(getattr(submission, key) or "", Location(field_path=key, line=line_of(lines, key)))
        for entry in submission.files:
            key = f"{entry.key}.caption"
            ctx.add_text(entry.caption or "", Location(field_path=key, line=line_of(lines, key)))
        # The WeChat channel's own rules (WCH), for items whose channels include "wechat"
        from hnsubmit.checks.wechat.rules import check_submission
        from hnsubmit.submission.locate import Locator

        ctx.add_text(submission.digest or "", Location(field_path="digest", line=line_of(lines, "digest")))
        ctx.add_text(submission.wechat_title or "", Location(field_path="wechat_title", line=line_of(lines, "wechat_title")))
        findings = findings + check_submission(submission, ctx.path.parent, Locator(ctx.display, lines), ctx.policy)
        # SUB017: in approver mode, the named leader must be a registered approver of the unit (issue 15 §2)
        from hnsubmit.submission.approver import check_approver

        findings = findings + check_approver(submission, Locator(ctx.display, lines), ctx.policy)
    return findings
