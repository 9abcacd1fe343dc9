"""The office's work from wherever it is done: one interface (`OfficeSource`), two sources.

The commands `review`, `report` and `admin unit|token` (and every office command added later:
`approve`, `report columns`, `report expired` …) call an `OfficeSource` and render what it returns.
Both sources return the SAME plain JSON-shaped values — the protocol's answers (docs/protocol.md),
times as ISO text — so one renderer serves both and the output is identical:

- `RemoteOffice` (here): HTTP through `ExchangeClient` with a reviewer or admin token found as
  `push` finds a unit's (HNSUBMIT_TOKEN, the file store, the keyring; `hnsubmit login` without
  --unit stores an office token under the key OFFICE_KEY) — the office at a distance;
- `LocalOffice` (hnsubmit/exchange/office.py): the exchange's services on the server's data folder
  (`--data`: the operator's bootstrap on the server itself), acting as admin:local.

`hnsubmit.cli.office.open_office(data, endpoint, …)` chooses: `--data` given → local, else remote.

To add an office operation: a method here on `OfficeSource` and `RemoteOffice` (the endpoint's call),
the service call in `LocalOffice`, the endpoint in exchange/api/ (docs/protocol.md, the OpenAPI links),
and a test that both sources give the same value (tests/test_office_remote.py).

Errors: a 401 is the token's (exit 4); a 403 names what the token may not do (`OfficeForbidden`,
exit 4); 404/409/422 are the server's refusal in its own words, a usage error as on the data folder
(exit 2); an unreachable exchange is exit 5 after a few quick attempts (OFFICE_RETRY).
"""

from __future__ import annotations

from typing import Any, Protocol

from hnsubmit.client import shapes
from hnsubmit.client.api import API, ExchangeClient, _segment
from hnsubmit.client.transport import RetryPolicy, ServerCredentials, ServerRefused
from hnsubmit.errors import CredentialsError, NetworkError, UsageError
from hnsubmit.i18n import N_

# the credential-store key of an office (reviewer, admin) token: it belongs to no unit
OFFICE_KEY = "office"
# the roles that do the office's review and reports (admin work: admin only, the server decides)
OFFICE_ROLES = ("reviewer", "admin")

# what a 403 says, by the kind of work refused (the arguments of an error are not translated: one msgid each)
_FORBIDDEN = {
    "review": N_("This token may not review submissions: it is not a reviewer or admin token of the portal office."),
    "report": N_("This token may not read the office's reports: it is not a reviewer or admin token of the portal office."),
    "admin": N_("This token may not manage units and tokens: that needs an admin token of the portal office."),
}
_FORBIDDEN_HINT = N_("Ask the portal office for a token of that role, then run `hnsubmit login --endpoint URL` "
                     "(without --unit) and paste it, or set HNSUBMIT_TOKEN.")


def _code_segment(code: str) -> str:
    """A unit code as one path segment (the exchange's own rule: exchange/admin.py), else a usage error."""
    import re

    from hnsubmit.errors import UsageError

    text = str(code).strip()
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z._-]{0,39}", text):
        raise UsageError("Not a valid unit code: {code}", code=text[:80])
    return text


_NETWORK_HINT = N_("Nothing was changed; check the endpoint and the network, then run the same command again.")
# an office command is interactive: a few quick attempts, then say so (a push's retries last minutes)
OFFICE_RETRY = RetryPolicy(attempts=4, timeout=60.0, wait_max=4.0)


class OfficeForbidden(CredentialsError):
    """403: the token is valid but its role may not do this office work."""


class OfficeSource(Protocol):
    """The office's operations; LocalOffice and RemoteOffice implement it with equal answers."""

    remote: bool

    def units(self) -> list[dict]: ...  # [{"code","name","kind","active","columns"}]
    def columns(self) -> list[dict]: ...  # [{"id","name":{"zh","en"},"description"}]
    def submissions(self, *, week: str | None = None, state: str | None = None, unit: str | None = None,
                    limit: int = 200, offset: int = 0) -> dict: ...  # {"items": [summary], "total"}
    # {"submission": detail, "reviewer": label or "", "proofing": [{"code","severity","path","args"}] or None}
    def review_view(self, submission_id: str, proofing: bool = True) -> dict: ...
    def review(self, submission_id: str, action: str, reason: str | None = None) -> dict: ...  # detail
    def weekly_report(self, week: str | None = None) -> dict: ...  # protocol §6
    def quarter_report(self, quarter: str | None = None) -> dict: ...
    def add_unit(self, code: str, name: str, kind: str, columns: list[str]) -> dict: ...
    def set_unit_active(self, code: str, active: bool) -> dict: ...
    def set_unit_columns(self, code: str, columns: list[str]) -> dict: ...  # its row of the 分工表, replaced
    def tokens(self) -> list[dict]: ...  # token infos, never secrets
    # (secret, info); `name`: an approver's registered name (issue 15 §2)
    def issue_token(self, role: str, unit: str | None = None, label: str = "", name: str | None = None) -> tuple[str, dict]: ...
    def revoke_token(self, token_id: str) -> None: ...
    # column freshness and expiry (issue 15 §3, §4): exchange/columns.py's shapes
    def column_report(self, quarter: str | None = None) -> dict: ...  # ValueError for a malformed quarter (local)
    def expired_report(self) -> dict: ...
    def set_column(self, column_id: str, kind: str | None, max_days: int | None) -> dict: ...
    def close(self) -> None: ...


class RemoteOffice:
    """The office's operations over HTTP with an office token."""

    remote = True

    def __init__(self, client: ExchangeClient) -> None:
        self.client = client
        self._role: str | None = None

    def role(self) -> str:
        """The token's role (asked once): a unit's token may read its own rows, but it is no office's."""
        if self._role is None:
            self._role = str((self._request("review", "GET", f"{API}/whoami") or {}).get("role") or "")
        return self._role

    def _call(self, kind: str, method: str, path: str, **kwargs: Any) -> Any:
        if kind in ("review", "report") and self.role() not in OFFICE_ROLES:
            raise OfficeForbidden(_FORBIDDEN[kind], hint=_FORBIDDEN_HINT)
        return self._request(kind, method, path, **kwargs)

    def _request(self, kind: str, method: str, path: str, **kwargs: Any) -> Any:
        """One call; its refusals said as on the data folder (LocalOffice), so both modes answer alike."""
        try:
            return self.client.json(method, path, **kwargs)
        except ServerCredentials as exc:
            if exc.status == 403:
                raise OfficeForbidden(_FORBIDDEN[kind], hint=_FORBIDDEN_HINT) from None
            raise
        except ServerRefused as exc:
            # 404/409/422: the exchange's own words, as `--data` says them (exit 2, not a push's 6)
            raise UsageError("{message}", message=exc.args_map.get("message") or exc.code) from None
        except NetworkError as exc:
            exc.hint = _NETWORK_HINT  # no outbox here: nothing was queued, the command is simply run again
            raise

    def _field(self, answer: Any, key: str) -> list:
        return self.client.field(answer, key, list)

    def units(self) -> list[dict]:
        return self._field(self._call("review", "GET", f"{API}/units"), "units")

    def columns(self) -> list[dict]:
        return self._field(self._call("review", "GET", f"{API}/columns"), "columns")

    def submissions(self, *, week: str | None = None, state: str | None = None, unit: str | None = None,
                    limit: int = 200, offset: int = 0) -> dict:
        params: dict[str, Any] = {k: v for k, v in {"week": week, "state": state, "unit": unit}.items() if v}
        params.update(limit=limit, offset=offset)
        return self.client.shaped(self._call("review", "GET", f"{API}/submissions", params=params), shapes.LISTING)

    def review_view(self, submission_id: str, proofing: bool = True) -> dict:
        answer = self._call("review", "GET", f"{API}/submissions/{_segment(submission_id)}/review",
                            params={"proofing": "true" if proofing else "false"})
        return self.client.shaped(answer, shapes.REVIEW_VIEW)

    def review(self, submission_id: str, action: str, reason: str | None = None) -> dict:
        body: dict[str, Any] = {"action": action}
        if reason:
            body["reason"] = reason
        answer = self._call("review", "POST", f"{API}/submissions/{_segment(submission_id)}/review", json=body)
        return self.client.shaped(answer, shapes.DETAIL)

    def weekly_report(self, week: str | None = None) -> dict:
        answer = self._call("report", "GET", f"{API}/reports/weekly", params={"week": week} if week else {})
        return self.client.shaped(answer, shapes.REPORT)

    def quarter_report(self, quarter: str | None = None) -> dict:
        answer = self._call("report", "GET", f"{API}/reports/quarter", params={"quarter": quarter} if quarter else {})
        return self.client.shaped(answer, shapes.REPORT)

    def add_unit(self, code: str, name: str, kind: str, columns: list[str]) -> dict:
        body = {"code": code, "name": name, "kind": kind, "columns": list(columns)}
        return self.client.shaped(self._call("admin", "POST", f"{API}/units", json=body), shapes.UNIT)

    def set_unit_active(self, code: str, active: bool) -> dict:
        path = f"{API}/units/{_code_segment(code)}/{'enable' if active else 'disable'}"
        return self.client.shaped(self._call("admin", "POST", path), shapes.UNIT)

    def set_unit_columns(self, code: str, columns: list[str]) -> dict:
        answer = self._call("admin", "PUT", f"{API}/units/{_code_segment(code)}/columns", json={"columns": list(columns)})
        return self.client.shaped(answer, shapes.UNIT)

    def tokens(self) -> list[dict]:
        return self._field(self._call("admin", "GET", f"{API}/tokens"), "tokens")

    def issue_token(self, role: str, unit: str | None = None, label: str = "", name: str | None = None) -> tuple[str, dict]:
        body: dict[str, Any] = {"role": role, "label": label}
        if unit:
            body["unit"] = unit
        if name:
            body["name"] = name
        answer = self._call("admin", "POST", f"{API}/tokens", json=body)
        return self.client.field(answer, "token", str), self.client.field(answer, "info", dict)

    def revoke_token(self, token_id: str) -> None:
        self._call("admin", "DELETE", f"{API}/tokens/{_segment(token_id)}")

    def column_report(self, quarter: str | None = None) -> dict:
        answer = self._call("report", "GET", f"{API}/reports/columns", params={"quarter": quarter} if quarter else {})
        return self.client.shaped(answer, shapes.COLUMN_REPORT)

    def expired_report(self) -> dict:
        return self.client.shaped(self._call("report", "GET", f"{API}/reports/expired"), shapes.EXPIRED)

    def set_column(self, column_id: str, kind: str | None, max_days: int | None) -> dict:
        body = {k: v for k, v in {"kind": kind, "max_days": max_days}.items() if v is not None}
        answer = self._call("admin", "PATCH", f"{API}/columns/{_segment(column_id)}", json=body)
        return self.client.shaped(answer, shapes.COLUMN)

    def close(self) -> None:
        self.client.close()
