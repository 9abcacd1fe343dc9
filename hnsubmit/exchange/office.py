"""The office's work on the server's own data folder: `LocalOffice`, one of the two office sources.

`hnsubmit.client.office.OfficeSource` (read its docstring) is the interface the commands `review`,
`report` and `admin unit|token` call; `RemoteOffice` there speaks HTTP, this one calls the exchange's
services directly (`--data`: the operator's bootstrap on the server itself, recorded as admin:local).
Every answer is the JSON shape the HTTP API gives (`jsonable`), so one renderer serves both.

`review_view` is also what GET /api/v1/submissions/{id}/review answers (exchange/api/submissions.py).
"""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python

from hnsubmit.exchange import admin, reports, submissions
from hnsubmit.exchange.auth import Principal, issue_token, revoke_token, token_info, token_infos
from hnsubmit.exchange.context import Exchange, utcnow
from hnsubmit.exchange.problems import ExchangeError

# working on the data directory is the server operator's own access
LOCAL_ADMIN = Principal("admin", "local", None)


def jsonable(value: Any) -> Any:
    """The value as the HTTP API would send it (datetimes as ISO text), so both sources give equal dicts."""
    return to_jsonable_python(value)


def unit_out(unit) -> dict:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind, "active": unit.active, "columns": list(unit.columns)}


def column_out(column) -> dict:
    return {"id": column.id, "name": {"zh": column.name_zh, "en": column.name_en}, "description": column.description}


def reviewer_label(ex: Exchange, history: list[dict]) -> str:
    """The office's reviewer (审核人) who acted last: the label of their token ('' when none acted or it has
    no label; the renderer then says the office)."""
    acted = [str(h.get("by", "")) for h in history if str(h.get("by", "")).split(":")[0] in ("reviewer", "admin")]
    if not acted:
        return ""
    token = ex.storage.get_token(acted[-1].partition(":")[2])
    return token.label if token is not None and token.label else ""


def finding_out(f) -> dict:
    return {"code": f.code, "severity": f.severity.value, "path": f.path, "args": jsonable(dict(f.args))}


def review_view(ex: Exchange, who: Principal, submission_id: str, policy=None, proofing: bool = True,
                worker=None) -> dict:
    """What a reviewer sees of one submission: the submission (protocol §4), who reviewed it last, and
    the PRF findings the server stored when it arrived (exchange/findings.py, issue 14) with where they
    come from (`proofing_state`). An item stored before the server checked on arrival is checked now
    with `policy`'s lists (else the exchange's), or queued to the running server's `worker`."""
    d = submissions.detail(ex, submissions.visible(ex, who, submission_id))
    found = state = None
    if proofing:
        from hnsubmit.exchange.findings import findings_for

        record = findings_for(ex, who, submission_id, worker=worker, policy=policy)
        found = record["findings"]
        state = {k: record[k] for k in ("state", "origin", "checked_at", "error", "omitted", "skipped")}
    return {"submission": jsonable(d), "reviewer": reviewer_label(ex, d["history"]), "proofing": jsonable(found),
            "proofing_state": jsonable(state)}


class LocalOffice:
    """The office's work on an open Exchange (the caller opens and closes it: cli/context.local_exchange)."""

    remote = False

    def __init__(self, ex: Exchange, policy=None) -> None:
        """`policy`: the office's policy for proofreading (`review show`) and points (`report`), where the
        server would use its own; None: the exchange's."""
        self.ex = ex
        self.policy = policy

    # -- what the renderers need to name things
    def units(self) -> list[dict]:
        return [unit_out(u) for u in self.ex.storage.list_units()]

    def columns(self) -> list[dict]:
        return [column_out(c) for c in self.ex.storage.list_columns()]

    # -- review
    def submissions(self, *, week: str | None = None, state: str | None = None, unit: str | None = None,
                    limit: int = 200, offset: int = 0) -> dict:
        return jsonable(submissions.listing(self.ex, LOCAL_ADMIN, week, state, unit, limit, offset))

    def review_view(self, submission_id: str, proofing: bool = True) -> dict:
        return review_view(self.ex, LOCAL_ADMIN, submission_id, self.policy, proofing)

    def review(self, submission_id: str, action: str, reason: str | None = None) -> dict:
        return jsonable(submissions.review(self.ex, LOCAL_ADMIN, submission_id, action, reason, utcnow()))

    # -- reports (ValueError for a malformed week or quarter, as the services raise it)
    def weekly_report(self, week: str | None = None) -> dict:
        return jsonable(reports.weekly(self.ex, week, policy=self.policy))

    def quarter_report(self, quarter: str | None = None) -> dict:
        return jsonable(reports.quarter(self.ex, quarter, policy=self.policy))

    # -- units and tokens
    def add_unit(self, code: str, name: str, kind: str, columns: list[str]) -> dict:
        return unit_out(admin.add_unit(self.ex, code, name, kind, tuple(columns)))

    def set_unit_active(self, code: str, active: bool) -> dict:
        return unit_out(admin.set_active(self.ex, code, active))

    def set_unit_columns(self, code: str, columns: list[str]) -> dict:
        return unit_out(admin.set_columns(self.ex, code, tuple(columns)))

    def tokens(self) -> list[dict]:
        return [jsonable(t) for t in token_infos(self.ex.storage, self.ex.storage.list_tokens())]

    def issue_token(self, role: str, unit: str | None = None, label: str = "", name: str | None = None) -> tuple[str, dict]:
        secret, token = issue_token(self.ex.storage, role, unit, label, utcnow(), name=name)
        approver = self.ex.storage.get_approver(token.token_id) if role == "approver" else None
        return secret, jsonable(token_info(token, approver.name if approver else None))

    def revoke_token(self, token_id: str) -> None:
        revoke_token(self.ex.storage, token_id, utcnow())

    # -- column freshness and expiry (issue 15 §3, §4)
    def column_report(self, quarter: str | None = None) -> dict:
        from hnsubmit.exchange.columns import column_report

        return column_report(self.ex.storage, quarter, utcnow())

    def expired_report(self) -> dict:
        from hnsubmit.exchange.columns import expired_report

        return expired_report(self.ex.storage, utcnow())

    def set_column(self, column_id: str, kind: str | None, max_days: int | None) -> dict:
        from hnsubmit.exchange.columns import set_column

        return set_column(self.ex.storage, column_id, kind, max_days)

    def close(self) -> None:  # the exchange is the caller's to close
        pass


__all__ = ["LocalOffice", "LOCAL_ADMIN", "ExchangeError", "review_view", "reviewer_label", "jsonable"]
