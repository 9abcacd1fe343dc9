"""SUB017: in approver mode the approving leader must be one of the unit's registered approvers (五(二)).

With the office's policy `[approval] mode = "approver"` (exchange/approvals.py), an item's
`[approval] approver` must be the registered name of one of the unit's approvers, whose own token then
accepts it.  The exchange refuses a push otherwise (422 approver_not_registered, naming this rule);
`check` and `push` say it first when they know the names: `push` fills in its unit's from the exchange
(GET /api/v1/approvers) and a policy file may list them (`[approval.approvers]`, unit code → names).
"""

from __future__ import annotations

from hnsubmit.policy.model import Policy
from hnsubmit.rules.findings import Finding
from hnsubmit.submission.locate import Locator
from hnsubmit.submission.model import Submission


def normal_name(name: str | None) -> str:
    """Compared as the exchange compares them: runs of white space as one space, none at the ends."""
    return " ".join(str(name or "").split())


def approver_finding(loc: Locator, given: str, names: list[str]) -> Finding:
    """The SUB017 finding for `given` against the unit's registered `names` (also for the server's refusal)."""
    return loc.at("SUB017", "approval.approver", value=given, names="、".join(names) or "-")


def check_approver(sub: Submission, loc: Locator, policy: Policy | None) -> list[Finding]:
    if policy is None or policy.approval.mode != "approver":
        return []
    unit = str(sub.unit or "").strip()
    given = normal_name(sub.approval.approver)
    if unit not in policy.approval.approvers or not given:  # unknown here: the exchange checks at push; no name is SUB003
        return []
    names = [normal_name(n) for n in policy.approval.approvers[unit]]
    return [] if given in names else [approver_finding(loc, given, names)]
