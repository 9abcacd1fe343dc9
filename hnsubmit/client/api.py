"""The exchange protocol v1 (docs/protocol.md) over httpx: auth, policy, blobs, submissions, review, reports.

`ExchangeClient` is one keep-alive connection pool with the unit's bearer token.  Each call maps to
one protocol endpoint, is retried on connection errors, 5xx and 429 (transport.py), and returns plain
JSON dicts (an answer that is not a JSON object is a `BadAnswer`, exit 5); resumable blob uploads
live in uploads.py.  The library never prints: progress reaches the command layer through callbacks.

A token goes over plain http:// only to a loopback address, unless the caller allows it
(`allow_http`: the user's `--allow-http` or profile `allow_http = true`); `plain_http` tells the
command layer to warn every time.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

import httpx
import stamina

from hnsubmit.client import deadline, shapes
from hnsubmit.client.credentials import Secret, normalize_endpoint
from hnsubmit.client.transport import (
    API,
    RETRYABLE_TRANSPORT,
    USER_AGENT,
    BadAnswer,
    Bounds,
    Retryable,
    RetryPolicy,
    ServerCredentials,
    ServerRefused,
    backoff_for,
    check_answer,
    network_error,
    send,
    ssl_context,
    to_retryable,
)
from hnsubmit.errors import UsageError
from hnsubmit.i18n import N_

__all__ = ["ExchangeClient", "RetryPolicy", "Bounds", "BadAnswer", "ServerRefused", "ServerCredentials", "API",
           "plain_http", "refuse_plain_http"]

MISSING_BATCH = 1000  # protocol §7: digests per blobs/missing request


def plain_http(endpoint: str) -> bool:
    """True when a token would cross the network unencrypted: http:// to a host that is not loopback."""
    url = httpx.URL(endpoint)
    if url.scheme != "http":
        return False
    host = (url.host or "").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return False
    import ipaddress

    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def refuse_plain_http(endpoint: str, allow_http: bool) -> bool:
    """UsageError when a token would go over plain http:// to another machine and the user did not opt
    in; else whether it goes over plain http (for the warning)."""
    if not plain_http(endpoint):
        return False
    if not allow_http:
        raise UsageError(
            "Refusing to send the token over plain http:// to {endpoint}: anyone on the way could read it.",
            hint=N_("Use the https:// address of the exchange; only if there is truly no other way, pass "
                    "--allow-http (or set `allow_http = true` in the profile)."),
            endpoint=normalize_endpoint(endpoint),
        )
    return True


class ExchangeClient:
    """One endpoint, one token, one connection pool.  Use as a context manager."""

    def __init__(
        self,
        endpoint: str,
        token: Secret | None,
        *,
        ca_bundle: str | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | None = None,
        pool: int = 8,
        bounds: Bounds | None = None,
        allow_http: bool = False,
    ) -> None:
        self.endpoint = normalize_endpoint(endpoint)
        self.retry = retry or RetryPolicy()
        self.bounds = bounds or Bounds()
        self.plain_http = token is not None and refuse_plain_http(self.endpoint, allow_http)
        # identity: answers are small JSON, and an uncompressed answer cannot be a decompression bomb
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json", "Accept-Encoding": "identity"}
        if token:
            headers["Authorization"] = "Bearer " + token.reveal()
        verify: Any = ssl_context(ca_bundle) if self.endpoint.startswith("https:") else True
        limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool)
        transport = httpx.HTTPTransport(verify=verify, limits=limits, trust_env=False)
        deadline.install(transport)
        self.http = httpx.Client(
            base_url=self.endpoint,
            headers=headers,
            transport=transport,
            timeout=httpx.Timeout(timeout or self.bounds.read_timeout, connect=self.bounds.connect_timeout),
            follow_redirects=False,  # a redirect could carry the Authorization header elsewhere
            trust_env=False,  # no proxy or netrc from the environment: the 政务外网 endpoint is direct
        )

    def __enter__(self) -> "ExchangeClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    # -- the one retrying request -------------------------------------------------------------------

    def call(self, method: str, path: str, *, ok: Iterable[int] = (), **kwargs: Any) -> httpx.Response:
        """One request, retried per the policy; the body is read.  `ok` lists extra accepted statuses."""
        accepted = set(ok)
        try:
            for attempt in stamina.retry_context(
                on=backoff_for(self.retry),
                attempts=self.retry.attempts,
                timeout=self.retry.timeout,
                wait_initial=self.retry.wait_initial,
                wait_max=self.retry.wait_max,
                wait_jitter=self.retry.wait_jitter,
            ):
                with attempt:
                    try:
                        response = send(self.http, method, path, self.bounds, self.endpoint, **kwargs)
                    except RETRYABLE_TRANSPORT as exc:
                        raise to_retryable(exc) from None
                    if response.status_code in accepted:
                        return response
                    return check_answer(response, self.endpoint)
        except Retryable as exc:
            raise network_error(self.endpoint, exc) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """The answer as a JSON object (a 204 or an empty body: None)."""
        response = self.call(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        return self.answer_object(response)

    def answer_object(self, response: httpx.Response) -> dict[str, Any]:
        """The body as a JSON object; anything else (HTML, a list, null, broken JSON) is a BadAnswer."""
        try:
            data = response.json()
        except (ValueError, RecursionError):
            raise BadAnswer(self.endpoint, N_("it is not JSON"), f"HTTP {response.status_code}, {_content_type(response)}") from None
        if not isinstance(data, dict):
            raise BadAnswer(self.endpoint, N_("it is JSON but not an object"), f"HTTP {response.status_code}")
        return data

    def shaped(self, answer: Any, spec: dict[str, Any]) -> dict[str, Any]:
        """The answer when its fields have the types the protocol gives them (shapes.py), else a BadAnswer."""
        wrong = shapes.mismatch(answer, spec)
        if wrong:
            raise BadAnswer(self.endpoint, N_("one of its fields is missing or of the wrong type"), wrong[:80])
        return answer

    def field(self, answer: Any, key: str, kind: type | tuple[type, ...]) -> Any:
        """answer[key] when the answer is an object holding that key with a value of `kind`, else a BadAnswer."""
        if not isinstance(answer, dict) or not isinstance(answer.get(key), kind):
            raise BadAnswer(self.endpoint, N_("one of its fields is missing or of the wrong type"), key)
        return answer[key]

    # -- service ------------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return self.json("GET", "/healthz")

    def whoami(self) -> dict[str, Any]:
        return self.shaped(self.json("GET", f"{API}/whoami"), shapes.WHOAMI)

    def policy(self, etag: str | None = None) -> tuple[dict[str, Any] | None, str | None]:
        """(policy dict, ETag); (None, etag) when the server says our copy is current (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self.call("GET", f"{API}/policy", headers=headers, ok=(304,))
        new_etag = response.headers.get("etag") or etag
        if response.status_code == 304:
            return None, new_etag
        return self.answer_object(response), new_etag

    def columns(self) -> list[dict[str, Any]]:
        return self.field(self.json("GET", f"{API}/columns"), "columns", list)

    # -- blobs --------------------------------------------------------------------------------------

    def missing(self, digests: list[str]) -> list[str]:
        """The digests this unit has not uploaded yet, in the order asked (batched by 1000)."""
        out: list[str] = []
        unique = list(dict.fromkeys(digests))
        for start in range(0, len(unique), MISSING_BATCH):
            body = {"digests": unique[start:start + MISSING_BATCH]}
            missing = self.field(self.json("POST", f"{API}/blobs/missing", json=body), "missing", list)
            if not all(isinstance(d, str) for d in missing):
                raise BadAnswer(self.endpoint, N_("one of its fields is missing or of the wrong type"), "missing")
            out.extend(missing)
        return out

    def upload_blob(self, digest: str, size: int, opener: Callable[[int], Any], **kwargs: Any) -> int:
        """Upload one blob resumably; returns the bytes sent.  See uploads.upload_blob."""
        from hnsubmit.client.uploads import upload_blob

        return upload_blob(self, digest, size, opener, **kwargs)

    # -- submissions --------------------------------------------------------------------------------

    def submit(self, manifest_body: bytes, key: str) -> tuple[dict[str, Any], bool]:
        """POST the manifest bytes with the idempotency key; (receipt, replayed)."""
        response = self.call(
            "POST", f"{API}/submissions", content=manifest_body,
            headers={"Idempotency-Key": key, "Content-Type": "application/json"},
        )
        return self.answer_object(response), response.headers.get("idempotent-replayed", "").lower() == "true"

    def submission(self, submission_id: str) -> dict[str, Any]:
        return self.shaped(self.json("GET", f"{API}/submissions/{_segment(submission_id)}"), shapes.DETAIL)

    def submissions(self, *, week: str | None = None, state: str | None = None, unit: str | None = None,
                    limit: int = 200, offset: int = 0) -> dict[str, Any]:
        params = {k: v for k, v in {"week": week, "state": state, "unit": unit}.items() if v}
        params.update(limit=limit, offset=offset)
        return self.shaped(self.json("GET", f"{API}/submissions", params=params), shapes.LISTING)

    def column_report(self) -> dict[str, Any]:
        """The freshness of the token's unit's columns (issue 15 §3); an older server without it: {}."""
        return self._optional(f"{API}/reports/columns", shapes.COLUMN_REPORT)

    def expired(self) -> dict[str, Any]:
        """The unit's published items past their expiry date (issue 15 §4); an older server without it: {}."""
        return self._optional(f"{API}/reports/expired", shapes.EXPIRED)

    def _optional(self, path: str, spec: dict[str, Any]) -> dict[str, Any]:
        response = self.call("GET", path, ok=(404,))
        if response.status_code == 404:
            return {}
        return self.shaped(self.answer_object(response), spec)

    def withdraw(self, submission_id: str, reason: str) -> dict[str, Any]:
        answer = self.json("POST", f"{API}/submissions/{_segment(submission_id)}/withdraw", json={"reason": reason})
        return self.shaped(answer, shapes.DETAIL)

    def review(self, submission_id: str, action: str, reason: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"action": action}
        if reason:
            body["reason"] = reason
        return self.shaped(self.json("POST", f"{API}/submissions/{_segment(submission_id)}/review", json=body), shapes.DETAIL)

    def approve(self, submission_id: str, action: str, reason: str | None = None) -> dict[str, Any]:
        """The unit's approver: "accept" (to the office's queue) or "return" (to the liaison, with a reason)."""
        body: dict[str, Any] = {"action": action}
        if reason:
            body["reason"] = reason
        answer = self.json("POST", f"{API}/submissions/{_segment(submission_id)}/approval", json=body)
        return self.shaped(answer, shapes.DETAIL)

    def approvers(self) -> dict[str, Any]:
        """The approval mode and the approvers this token may know (its own unit's; the office: all)."""
        approver = {"token_id": shapes.TEXT, "unit": shapes.TEXT, "name": str}
        answer = self.json("GET", f"{API}/approvers")
        self.field(answer, "approvers", list)
        return self.shaped(answer, {"mode": str, "approvers": (list, approver)})

    def weekly_report(self, week: str | None = None) -> dict[str, Any]:
        return self.shaped(self.json("GET", f"{API}/reports/weekly", params={"week": week} if week else {}), shapes.REPORT)

    # -- office administration (the demo plays the office) --------------------------------------------

    def create_unit(self, code: str, name: str, kind: str, columns: list[str]) -> dict[str, Any]:
        return self.json("POST", f"{API}/units", json={"code": code, "name": name, "kind": kind, "columns": columns})

    def issue_token(self, role: str, unit: str | None = None, label: str = "",
                    name: str | None = None) -> tuple[Secret, dict[str, Any]]:
        body: dict[str, Any] = {"role": role, "label": label}
        if unit:
            body["unit"] = unit
        if name:  # an approver's registered name (issue 15 §2)
            body["name"] = name
        answer = self.json("POST", f"{API}/tokens", json=body)
        return Secret(self.field(answer, "token", str)), self.field(answer, "info", dict)


def _content_type(response: httpx.Response) -> str:
    from hnsubmit.client.safe_text import printable

    return printable(response.headers.get("content-type", "").split(";")[0].strip() or "no type", 60)


def _segment(value: str) -> str:
    """A submission id as one path segment: no slash or dot-segment can walk to another endpoint."""
    import re

    from hnsubmit.errors import UsageError

    text = str(value).strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", text):
        raise UsageError("{id} is not a submission id (like HN-20261118-7KQ2XM).", id=text[:80])
    return text

