"""HTTP plumbing for the exchange client: TLS, the retry policy, and server answers mapped to our errors.

Retries (stamina: exponential backoff with jitter) happen on connection errors, timeouts, 5xx and
429 only — never on another 4xx, which the same request would only get again (the one exception is
409 upload_busy, which the protocol says to retry).  A Retry-After header from the server replaces
the computed backoff, capped (`RetryPolicy.max_retry_after`).  The bearer token lives in the httpx
client's headers and nowhere else; no error built here contains a header or a request body.

What a server can make the client do is bounded (`Bounds`): every answer is read as a stream and cut
off past `max_answer` bytes, and must be complete `deadline` seconds after the request went out
(deadline.py), whatever the read timeout.  Redirects are never followed; an answer that is not the
exchange's (a redirect, HTML, JSON that is not an object) is a `BadAnswer`, never an internal error.
Text taken from the server is made printable (safe_text.py) before it goes into an error.
"""

from __future__ import annotations

import math
import ssl
import zlib
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from hnsubmit.client.deadline import DeadlineExceeded, answer_deadline
from hnsubmit.client.safe_text import printable
from hnsubmit.errors import CredentialsError, NetworkError, RefusedError, UsageError
from hnsubmit.i18n import N_, current_lang, fill

USER_AGENT = "hnsubmit"
API = "/api/v1"  # the protocol's path prefix (docs/protocol.md)
MAX_RETRY_AFTER = 300.0  # seconds; a server asking for longer gets the next attempt after this anyway
MAX_ANSWER = 4 << 20  # bytes: every answer of the protocol is a small JSON document (the largest: a 1 MiB manifest read back)
ANSWER_DEADLINE = 120.0  # seconds from the last byte sent to the last byte of the answer


@dataclass(frozen=True)
class Bounds:
    """What a server can make the client do: how much it reads, how long it waits."""

    max_answer: int = MAX_ANSWER
    deadline: float = ANSWER_DEADLINE
    read_timeout: float = 60.0  # silence between two reads
    connect_timeout: float = 15.0


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try before an item stays in the outbox and the command exits 5."""

    attempts: int = 6
    timeout: float = 300.0  # total seconds for one request and its retries
    wait_initial: float = 0.5
    wait_max: float = 30.0
    wait_jitter: float = 1.0
    max_retry_after: float = MAX_RETRY_AFTER  # the longest Retry-After honoured


REASONS = {
    429: N_("the exchange is busy (too many requests)"),
    503: N_("the exchange is temporarily unavailable"),
    507: N_("the exchange's storage is full"),
}


# what a transport failure was, said in words (a msgid) rather than by the name of an exception class
TRANSPORT_PROBLEMS = {
    "ConnectError": N_("the connection was refused or the host could not be reached"),
    "ConnectionRefusedError": N_("the connection was refused or the host could not be reached"),
    "ConnectTimeout": N_("the connection timed out"),
    "ReadTimeout": N_("no answer came in time"),
    "WriteTimeout": N_("the data could not be sent in time"),
    "PoolTimeout": N_("no connection was free in time"),
    "TimeoutException": N_("no answer came in time"),
    "ReadError": N_("the connection broke off"),
    "WriteError": N_("the connection broke off"),
    "RemoteProtocolError": N_("the connection broke off in the middle of an answer"),
    "LocalProtocolError": N_("the connection broke off in the middle of an answer"),
    "NetworkError": N_("the connection failed"),
    "TransportError": N_("the connection failed"),
}


class Retryable(Exception):
    """A failure worth another attempt: the connection, a timeout, a 5xx or a 429."""

    def __init__(self, what: str, retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.retry_after = retry_after  # seconds the server asked for (capped later, by the policy's max_retry_after)
        self.status = status

    @property
    def reason(self) -> str:
        """A msgid saying what is being waited for."""
        if self.status in REASONS:
            return REASONS[self.status]
        if self.status is not None and self.status >= 500:
            return N_("the exchange answered with a server error")
        if self.status is not None:
            return N_("the exchange asked to try again")
        return TRANSPORT_PROBLEMS.get(self.what, N_("the connection failed"))

    def __str__(self) -> str:
        return self.what


class BadAnswer(NetworkError):
    """An answer that is not the exchange's: a redirect, an HTML page, too large, too slow, not a JSON object.
    Network class (exit 5): something between the client and the exchange is in the way; items stay queued.
    `problem` is a msgid without fields (the outbox stores it and translates it later); `detail` is
    what was seen (a status, a type, a field name), shown as it is."""

    def __init__(self, endpoint: str, problem: str, detail: Any = "") -> None:
        super().__init__(
            N_("The answer from {endpoint} is not an exchange answer: {problem} ({detail})") if detail != "" else
            N_("The answer from {endpoint} is not an exchange answer: {problem}"),
            hint=N_("Check the endpoint (a proxy, gateway or login page may be in the way); the items stay in the outbox."),
            endpoint=endpoint, problem=problem, detail=printable(detail, 120),
        )
        self.problem = problem

    def render(self, translate=lambda s: s) -> str:
        return fill(translate(self.template), {**self.args_map, "problem": translate(self.problem)})


class ServerRefused(RefusedError):
    """A 4xx answer the server gave for a reason (code, message, details from its error body)."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any]) -> None:
        super().__init__(
            N_("The exchange refused the request ({status} {code}): {message}"), status=status, code=code, message=message
        )
        self.status = status
        self.code = code
        self.details = details

    def _rule(self):
        """The catalog rule the refusal names (details.rule, with details.args: e.g. SUB017), if this client knows it."""
        from hnsubmit.rules.registry import find_rule

        code, args = self.details.get("rule"), self.details.get("args")
        if not isinstance(code, str) or not isinstance(args, dict) or not all(isinstance(v, str) for v in args.values()):
            return None, {}
        rule = find_rule(code)
        return (rule, args) if rule is not None and rule.code == code.upper() else (None, {})

    def render(self, translate=lambda s: s) -> str:
        # a refusal that is a rule's finding reads like the finding `check` would give, in the reader's language
        from hnsubmit.i18n import current_lang

        rule, args = self._rule()
        if rule is None:
            return super().render(translate)
        return f"{rule.code} " + printable(rule.render("message", current_lang(), args), 500)

    def render_hint(self, translate=lambda s: s) -> str:
        from hnsubmit.i18n import current_lang

        rule, args = self._rule()
        return printable(rule.render("hint", current_lang(), args), 500) if rule is not None else super().render_hint(translate)


class ServerCredentials(CredentialsError):
    """401/403: the token is unknown, revoked, of the wrong role, or its unit is disabled."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(
            N_("The exchange did not accept the token ({status} {code}): {message}"),
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


def retry_after_seconds(response: httpx.Response, cap: float = MAX_RETRY_AFTER) -> float | None:
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
    if math.isnan(seconds):
        return None
    return max(0.0, min(seconds, cap))


def backoff_hook(exc: Exception, cap: float = MAX_RETRY_AFTER) -> bool | float:
    """stamina's `on`: retry Retryable only; a Retry-After (capped) replaces the computed wait."""
    if isinstance(exc, Retryable):
        return min(exc.retry_after, cap) if exc.retry_after is not None else True
    return False


def backoff_for(policy: RetryPolicy):
    """The backoff hook with the policy's Retry-After cap."""
    return lambda exc: backoff_hook(exc, policy.max_retry_after)


def send(http: httpx.Client, method: str, url: str, bounds: Bounds, endpoint: str, **kwargs: Any) -> httpx.Response:
    """One request whose answer is read whole, but never more than `bounds.max_answer` bytes (after
    decompression: a gzip bomb is cut off too) and never later than `bounds.deadline` seconds after the
    request went out.  Transport failures raise httpx errors."""
    with answer_deadline(bounds.deadline):
        request = http.build_request(method, url, **kwargs)
        response = http.send(request, stream=True)
        try:
            declared = response.headers.get("content-length", "")
            encoding = response.headers.get("content-encoding", "identity").strip().lower()
            if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
                raise BadAnswer(endpoint, N_("its compressed body cannot be decoded"), encoding)
            if declared.strip().isdigit() and int(declared) > bounds.max_answer and encoding == "identity" \
                    and method.upper() != "HEAD":  # a HEAD may declare the length of a body it never sends
                raise _too_large(endpoint, bounds)
            # zlib with auto-detected gzip/zlib header; max_length keeps each step within the limit
            inflate = zlib.decompressobj(47) if encoding != "identity" else None
            body = bytearray()
            for piece in response.iter_raw():
                if inflate is None:
                    body += piece
                else:
                    while piece and len(body) <= bounds.max_answer:
                        try:
                            body += inflate.decompress(piece, bounds.max_answer + 1 - len(body))
                        except zlib.error:
                            raise BadAnswer(endpoint, N_("its compressed body cannot be decoded"), encoding) from None
                        piece = inflate.unconsumed_tail
                if len(body) > bounds.max_answer:
                    raise _too_large(endpoint, bounds)
        finally:
            response.close()
    # the body as read (decoded): drop the headers that would make httpx decode or measure it again
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in ("content-encoding", "content-length",
                                                                                        "transfer-encoding")]
    return httpx.Response(response.status_code, headers=headers, content=bytes(body), request=request)


def _too_large(endpoint: str, bounds: Bounds) -> BadAnswer:
    return BadAnswer(endpoint, N_("it is larger than the limit for an answer, in bytes"), f"{bounds.max_answer:,}")


def _error_body(response: httpx.Response) -> tuple[str, str, dict[str, Any]]:
    """(code, message, details) of a protocol error body, made printable; an HTML page gives none."""
    try:
        body = response.json()
        err = body["error"]
        message = err.get("message", "")
        if isinstance(message, dict):
            message = message.get(current_lang()) or message.get("en") or message.get("zh") or ""
        details = err.get("details") or {}
        return printable(err.get("code", ""), 64), printable(message, 300), dict(details) if isinstance(details, dict) else {}
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return "", printable(response.reason_phrase or "", 100), {}


def check_answer(response: httpx.Response, endpoint: str = "") -> httpx.Response:
    """Pass a 1xx/2xx answer through; raise Retryable, ServerCredentials, ServerRefused or BadAnswer otherwise."""
    status = response.status_code
    if status < 300:
        return response
    if status < 400:
        # never followed: the Authorization header would go along to wherever it points
        location = httpx.URL(response.headers.get("location", "")) if response.headers.get("location") else None
        where = f"{location.scheme}://{location.host}" if location is not None and location.host else "?"
        raise BadAnswer(endpoint or str(response.request.url.copy_with(path="/", query=None)),
                        N_("it is a redirect, which hnsubmit does not follow, so the token never goes elsewhere"),
                        f"HTTP {status} → {where}")
    if status == 507:
        # protocol §1: the exchange's disk is full; retrying within seconds will not help
        if not response.is_stream_consumed:
            response.read()
        raise NetworkError(
            "The exchange's storage is full (HTTP 507): nothing was stored.",
            hint=N_("The items stay in the outbox; tell the portal office, then send them later with `hnsubmit outbox retry`."),
        )
    if status == 429 or status >= 500:
        if not response.is_stream_consumed:
            response.read()
        code, message, _ = _error_body(response)
        raise Retryable(f"HTTP {status} {code}".strip(), retry_after_seconds(response, math.inf), status)
    if not response.is_stream_consumed:
        response.read()
    code, message, details = _error_body(response)
    if status == 408:
        # the server gave up waiting for our bytes (a stalled link) and kept what arrived: ask, go on
        raise Retryable("HTTP 408 request_timeout", retry_after_seconds(response, math.inf), status)
    if status == 409 and code == "upload_busy":
        # protocol §1: another append on the session is still running (the server has not yet seen
        # a dead connection, e.g. of a killed client): wait, ask the offset, try again
        raise Retryable("HTTP 409 upload_busy", retry_after_seconds(response, math.inf), status)
    if status == 401 or (status == 403 and code != "unit_disabled"):
        raise ServerCredentials(status, code or "unauthorized", message)
    raise ServerRefused(status, code or "http_error", message, details)


class Unreachable(NetworkError):
    """The retries ran out. `problem` is a msgid (a transport failure in words) or a status line such as
    "HTTP 502 bad_gateway", which gettext leaves as it is; it is translated when rendered."""

    def render(self, translate=lambda s: s) -> str:
        return fill(translate(self.template), {**self.args_map, "problem": translate(str(self.args_map.get("problem", "")))})


def network_error(endpoint: str, exc: Retryable | httpx.HTTPError | Exception) -> NetworkError:
    """What the user sees after the retries ran out (no URL query, no header, never the token)."""
    what = exc.what if isinstance(exc, Retryable) else type(exc).__name__
    what = TRANSPORT_PROBLEMS.get(what, what)
    if isinstance(exc, Retryable) and exc.status == 503:
        return NetworkError(
            "The exchange is temporarily unavailable (HTTP 503) and kept being so.",
            hint=N_("The items stay in the outbox; send them later with `hnsubmit outbox retry`."),
        )
    return Unreachable(
        N_("The exchange at {endpoint} could not be reached or kept failing ({problem})."),
        hint=N_("The items stay in the outbox; send them later with `hnsubmit outbox retry`."),
        endpoint=endpoint, problem=what,
    )


def to_retryable(exc: httpx.HTTPError) -> Retryable:
    """Transport failures (refused, reset, timed out, broken mid-body) are worth another try; an
    untrusted certificate is not — the next try gets the same certificate."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DeadlineExceeded):
            # not retried: a server that drips its answer would drip the next one too
            raise NetworkError(
                "The exchange did not finish its answer within {seconds} s; the connection was closed.",
                hint=N_("The items stay in the outbox; send them later with `hnsubmit outbox retry`."),
                seconds=f"{cause.seconds:g}",
            ) from None
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
