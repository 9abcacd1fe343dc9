"""HTTP plumbing for the exchange client: TLS, the retry policy, and server answers mapped to our errors.

Retries (stamina: exponential backoff with jitter) happen on connection errors, timeouts, 5xx and
429 only — never on another 4xx, which the same request would only get again (the one exception is
409 upload_busy, which the protocol says to retry).  A Retry-After
header from the server replaces the computed backoff.  The bearer token lives in the httpx client's
headers and nowhere else; no error built here contains a header or a request body.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from hnsubmit.errors import CredentialsError, NetworkError, RefusedError, UsageError
from hnsubmit.i18n import N_, current_lang

USER_AGENT = "hnsubmit"
API = "/api/v1"  # the protocol's path prefix (docs/protocol.md)
MAX_RETRY_AFTER = 120.0  # seconds; a server asking for longer gets the next attempt after this anyway


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try before an item stays in the outbox and the command exits 5."""

    attempts: int = 6
    timeout: float = 300.0  # total seconds for one request and its retries
    wait_initial: float = 0.5
    wait_max: float = 30.0
    wait_jitter: float = 1.0


class Retryable(Exception):
    """A failure worth another attempt: the connection, a timeout, a 5xx or a 429."""

    def __init__(self, what: str, retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.retry_after = retry_after
        self.status = status


class ServerRefused(RefusedError):
    """A 4xx answer the server gave for a reason (code, message, details from its error body)."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any]) -> None:
        super().__init__(
            "The exchange refused the request ({status} {code}): {message}", status=status, code=code, message=message
        )
        self.status = status
        self.code = code
        self.details = details


class ServerCredentials(CredentialsError):
    """401/403: the token is unknown, revoked, of the wrong role, or its unit is disabled."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(
            "The exchange did not accept the token ({status} {code}): {message}",
            hint=N_("Check the unit and endpoint, then run `hnsubmit login` again with a valid token."),
            status=status, code=code, message=message,
        )
        self.status = status
        self.code = code


def ssl_context(ca_bundle: str | None = None) -> ssl.SSLContext:
    """The operating system's trust store (truststore), plus a government internal CA when given."""
    try:
        import truststore

        ctx: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except (ImportError, OSError):  # pragma: no cover - platforms truststore does not support
        ctx = ssl.create_default_context()
    if ca_bundle:
        try:
            ctx.load_verify_locations(cafile=str(ca_bundle))
        except (OSError, ssl.SSLError) as exc:
            raise UsageError(
                "The CA bundle {path} cannot be used: {problem}", path=str(ca_bundle), problem=str(exc)
            ) from None
    return ctx


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Retry-After as seconds (RFC 9110: a number of seconds or an HTTP date), capped."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            from datetime import datetime, timezone

            seconds = (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds()
        except (TypeError, ValueError):
            return None
    return max(0.0, min(seconds, MAX_RETRY_AFTER))


def backoff_hook(exc: Exception) -> bool | float:
    """stamina's `on`: retry Retryable only; a Retry-After replaces the computed wait."""
    if isinstance(exc, Retryable):
        return exc.retry_after if exc.retry_after is not None else True
    return False


def _error_body(response: httpx.Response) -> tuple[str, str, dict[str, Any]]:
    try:
        body = response.json()
        err = body["error"]
        message = err.get("message", "")
        if isinstance(message, dict):
            message = message.get(current_lang()) or message.get("en") or message.get("zh") or ""
        return str(err.get("code", "")), str(message), dict(err.get("details") or {})
    except (ValueError, KeyError, TypeError, AttributeError):
        return "", response.reason_phrase or "", {}


def check_answer(response: httpx.Response) -> httpx.Response:
    """Pass a 1xx-3xx answer through; raise Retryable, ServerCredentials or ServerRefused otherwise."""
    status = response.status_code
    if status < 400:
        return response
    if status == 429 or status >= 500:
        if not response.is_stream_consumed:
            response.read()
        code, message, _ = _error_body(response)
        raise Retryable(f"HTTP {status} {code}".strip(), retry_after_seconds(response), status)
    if not response.is_stream_consumed:
        response.read()
    code, message, details = _error_body(response)
    if status == 408:
        # the server gave up waiting for our bytes (a stalled link) and kept what arrived: ask, go on
        raise Retryable("HTTP 408 request_timeout", retry_after_seconds(response), status)
    if status == 409 and code == "upload_busy":
        # protocol §1: another append on the session is still running (the server has not yet seen
        # a dead connection, e.g. of a killed client): wait, ask the offset, try again
        raise Retryable("HTTP 409 upload_busy", retry_after_seconds(response), status)
    if status == 401 or (status == 403 and code != "unit_disabled"):
        raise ServerCredentials(status, code or "unauthorized", message)
    raise ServerRefused(status, code or "http_error", message, details)


def network_error(endpoint: str, exc: Retryable | httpx.HTTPError | Exception) -> NetworkError:
    """What the user sees after the retries ran out (no URL query, no header, never the token)."""
    what = exc.what if isinstance(exc, Retryable) else type(exc).__name__
    return NetworkError(
        "The exchange at {endpoint} could not be reached or kept failing ({problem}).",
        hint=N_("The items stay in the outbox; send them later with `hnsubmit outbox retry`."),
        endpoint=endpoint, problem=what,
    )


def to_retryable(exc: httpx.HTTPError) -> Retryable:
    """Transport failures (refused, reset, timed out, broken mid-body) are worth another try; an
    untrusted certificate is not — the next try gets the same certificate."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            raise NetworkError(
                "The exchange's TLS certificate is not trusted: {problem}",
                hint=N_("If the office uses its own certificate authority, pass its certificate with --ca-bundle FILE "
                        "(or set `ca_bundle` in the profile)."),
                problem=str(getattr(cause, "verify_message", "") or cause)[:200],
            ) from None
        cause = cause.__cause__ or cause.__context__
    return Retryable(type(exc).__name__)


RETRYABLE_TRANSPORT = (httpx.TransportError,)
