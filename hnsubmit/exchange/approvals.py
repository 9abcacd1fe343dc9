"""The approver step (issue 15 §2; 南政办〔2015〕86号 五(二): 报送…的信息需经本单位责任领导审批).

The office's policy chooses, in `[approval] mode`:

- ``"declared"`` (the default): the liaison names the approving leader in submission.toml and a pushed
  item goes straight to the office's queue (state ``received``);
- ``"approver"``: the leader approves with their own token.  A pushed item waits in
  ``awaiting_approval``; one of the unit's approvers (role ``approver``, issued by the office with the
  leader's registered name) accepts it, which moves it to ``received`` and records the approver's token,
  name and time (`Storage.get_approval`), or returns it (``returned``, with a reason the liaison sees).
  The push is refused (422 ``approver_not_registered``, rule SUB017) unless the manifest's
  ``approval.approver`` is the registered name of one of the unit's live approver tokens.

The states and actions (submissions.py carries them out, the console of issue 16 calls the same):

    push ──► awaiting_approval ──accept (approver)──► received ──► in_review ──► published / rejected
                    │
                    ├──return (approver, reason)──► returned   (the liaison fixes it and pushes again)
                    └──withdraw (unit)──► withdrawn

This module holds what the policy and the approvers' registry say; it imports no other service.
"""

from __future__ import annotations

from datetime import datetime

from hnsubmit.exchange.auth import UNIT_ROLES, Principal, live
from hnsubmit.exchange.context import Exchange
from hnsubmit.exchange.problems import ExchangeError
from hnsubmit.exchange.store.storage import Approver

DECLARED, APPROVER = "declared", "approver"
AWAITING, RETURNED = "awaiting_approval", "returned"
RULE = "SUB017"  # hnsubmit/rules/catalog/SUB.toml: approver-not-registered


def mode(ex: Exchange) -> str:
    """The policy's approval mode: "declared" or "approver"."""
    return ex.policy.approval.mode


def first_state(ex: Exchange) -> str:
    """The state a newly pushed item starts in: awaiting its approver, or straight in the office's queue."""
    return AWAITING if mode(ex) == APPROVER else "received"


def normal_name(name: str | None) -> str:
    """A name as compared: inner runs of white space as one space, none at the ends (王五 == " 王五 ")."""
    return " ".join(str(name or "").split())


def live_approvers(ex: Exchange, unit: str, now: datetime) -> list[Approver]:
    """The unit's approvers whose tokens are neither revoked nor expired, by name."""
    out = []
    for approver in ex.storage.approvers(unit):
        token = ex.storage.get_token(approver.token_id)
        if token is not None and token.role == "approver" and token.unit == unit and live(token, now):
            out.append(approver)
    return out


def registered_names(ex: Exchange, unit: str, now: datetime) -> list[str]:
    """The distinct registered names of the unit's live approvers (a leader may hold two tokens)."""
    return list(dict.fromkeys(a.name for a in live_approvers(ex, unit, now)))


def check_declared(ex: Exchange, unit: str, declared: str | None, now: datetime) -> None:
    """In approver mode, the manifest's approval.approver must be a registered approver of the unit (SUB017).

    The refusal's details name the rule, the field, the name given and the unit's registered names, so
    the client shows it as the finding `check` would give (the names are the unit's own leaders)."""
    if mode(ex) != APPROVER:
        return
    names = registered_names(ex, unit, now)
    given = normal_name(declared)
    if given in names:
        return
    zh_names = "、".join(names) or "(州政府办公室尚未为本单位登记审批人)"
    en_names = ", ".join(names) or "(the office has registered no approver for this unit yet)"
    raise ExchangeError(
        422, "approver_not_registered",
        f"审核领导“{given}”不是本单位登记的审批人。本单位的审批人:{zh_names}。",
        f"The approving leader '{given}' is not a registered approver of this unit. Its approvers: {en_names}.",
        details={"rule": RULE, "field": "approval.approver", "approver": given, "registered": names,
                 # the rule's message arguments (SUB.toml), so the client says it as the finding `check` gives
                 "args": {"value": given, "names": "、".join(names) or "-"}},
    )


def approvers_for(ex: Exchange, who: Principal, now: datetime) -> dict:
    """GET /approvers: the mode and the live approvers a caller may know: a unit's or approver's own
    unit's, the office's all of them (so a client can check the name before it uploads anything)."""
    if who.role in UNIT_ROLES:
        found = live_approvers(ex, who.unit.code, now)
    else:
        found = [a for u in ex.storage.list_units() for a in live_approvers(ex, u.code, now)]
    return {"mode": mode(ex), "approvers": [{"token_id": a.token_id, "unit": a.unit, "name": a.name} for a in found]}


def approval_out(ex: Exchange, submission_id: str) -> dict | None:
    """The recorded approval of an item (token, registered name, time), or None."""
    a = ex.storage.get_approval(submission_id)
    return {"token_id": a.token_id, "name": a.name, "at": a.at} if a else None
