"""The `office-guide` validator: YAML/JSON guides and Excel guide batches, judged by the GDE rules.

The guide's profile comes from the policy (`[guide] profile`); every text value is handed to the
sensitive-content scan with its YAML path and line, or its sheet, row and column.
"""

from __future__ import annotations

from typing import Iterable

from hnsubmit.checks.context import FileContext
from hnsubmit.rules.findings import Finding


def check(ctx: FileContext) -> Iterable[Finding]:
    from hnsubmit.guide.api import analyse

    check_file = ctx.check_file if ctx.check_nested is not None else None
    analysis = analyse(ctx.path, ctx.display, ctx.policy.guide.profile, ctx.policy, check_file=check_file)
    for segment in analysis.texts:
        ctx.add_text(segment.text, segment.location)
    return analysis.all_findings()
