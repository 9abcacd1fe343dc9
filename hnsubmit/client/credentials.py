"""Per-unit tokens: HNSUBMIT_TOKEN first, else the OS keyring (service "hnsubmit:<endpoint>", user = unit).

The lookup order (twine's way, written down once):
  1. the environment variable HNSUBMIT_TOKEN (CI and scripts);
  2. under CI (the variable CI is set) nothing else: a build machine's keyring is never touched;
  3. the file store (client/token_file.py), where `hnsubmit login` put the token on a machine with
     no usable keyring, after saying so;
  4. the OS keyring entry for this endpoint and unit, stored by `hnsubmit login`.

Every keyring call runs in a daemon worker thread with a timeout: a locked or hung Secret Service
(D-Bus waiting on an unlock prompt nobody sees) must not hang the command line, and a daemon thread
does not keep the process alive at exit.  A token is wrapped in `Secret` so that a stray repr, log
line or error message shows <hidden>, never the value.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit, urlunsplit

from hnsubmit.config import is_ci
from hnsubmit.errors import CredentialsError, UsageError
from hnsubmit.i18n import N_

ENV_TOKEN = "HNSUBMIT_TOKEN"
SERVICE_PREFIX = "hnsubmit:"
KEYRING_TIMEOUT = 10.0  # seconds; a Secret Service unlock prompt nobody answers must not hang us
MAX_TOKEN_LENGTH = 4096  # an HTTP header line; anything longer is a paste accident

_NO_BACKEND_HINT = N_(
    "No usable keyring on this machine: run `hnsubmit login` (it keeps the token in a file readable only by you), "
    "or set the environment variable HNSUBMIT_TOKEN."
)


class NoKeyring(CredentialsError):
    """No system keyring is usable here (none installed, or it refuses): the file store is the fallback."""


class Secret:
    """A token that never shows itself: str/repr/format print <hidden>; `reveal()` is the one way out."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret(<hidden>)"

    def __str__(self) -> str:
        return "<hidden>"

    def __format__(self, spec: str) -> str:
        return "<hidden>"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self):  # no pickling into a file by accident
        raise TypeError("a Secret cannot be pickled")


@dataclass(frozen=True)
class Credential:
    endpoint: str
    unit: str
    token: Secret
    source: str  # "environment HNSUBMIT_TOKEN" or "keyring <backend>"


def normalize_endpoint(url: str) -> str:
    """One spelling per endpoint, so `http://Host:80/` and `http://host` share a keyring entry."""
    text = (url or "").strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UsageError("The endpoint {endpoint} is not an http(s) URL.", endpoint=text)
    if parts.username or parts.password:
        # a token in the URL would end up in logs and in the keyring's service name
        raise UsageError("Put no user name or password in the endpoint URL; use `hnsubmit login`.", endpoint="")
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, host, path, "", ""))


def service_name(endpoint: str) -> str:
    return SERVICE_PREFIX + normalize_endpoint(endpoint)


def validate_token(value: str) -> Secret:
    """Strip the newline a paste or `echo` adds; refuse what cannot be a bearer token (without echoing it)."""
    token = (value or "").strip()
    if not token:
        raise CredentialsError("The token is empty.")
    if len(token) > MAX_TOKEN_LENGTH:
        raise CredentialsError("The token is too long ({length} characters); copy only the token.", length=len(token))
    # RFC 6750 b64token characters: anything else (spaces, control characters, non-ASCII) is a copy mistake
    # and would make an invalid or injectable Authorization header.
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=")
    if any(ch not in allowed for ch in token):
        raise CredentialsError(
            "The token contains characters a token cannot have (spaces, line breaks or non-ASCII); copy only the token."
        )
    return Secret(token)


def _run_with_timeout(func: Callable[[], Any], timeout: float) -> Any:
    """Run one keyring call in a daemon thread; give up after `timeout` seconds."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = func()
        except BaseException as exc:  # handed back to the caller's thread
            result["error"] = exc

    worker = threading.Thread(target=target, name="hnsubmit-keyring", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise CredentialsError(
            "The keyring did not answer within {seconds} seconds (is it locked?).",
            hint=N_("Unlock the keyring, or set the environment variable HNSUBMIT_TOKEN instead."),
            seconds=int(timeout),
        )
    if "error" in result:
        raise result["error"]
    return result.get("value")


def _usable_backend():
    """The active keyring backend, or CredentialsError pointing at HNSUBMIT_TOKEN when there is none."""
    import keyring
    from keyring.backends import chainer, fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or (isinstance(backend, chainer.ChainerBackend) and not backend.backends):
        raise NoKeyring("No keyring backend is available.", hint=_NO_BACKEND_HINT)
    return backend


def _backend_name(backend: Any) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _keyring_call(action: str, endpoint: str, unit: str, value: str | None = None, timeout: float | None = None) -> Any:
    """Do one keyring operation (get, set, delete) behind the timeout, mapping every keyring error."""
    from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

    service = service_name(endpoint)

    def call() -> Any:
        backend = _usable_backend()
        if action == "get":
            return backend.get_password(service, unit), _backend_name(backend)
        if action == "set":
            backend.set_password(service, unit, value)
            return None, _backend_name(backend)
        try:
            backend.delete_password(service, unit)
        except PasswordDeleteError:
            return False, _backend_name(backend)
        return True, _backend_name(backend)

    try:
        return _run_with_timeout(call, KEYRING_TIMEOUT if timeout is None else timeout)
    except CredentialsError:
        raise
    except NoKeyringError:
        raise NoKeyring("No keyring backend is available.", hint=_NO_BACKEND_HINT) from None
    except (KeyringError, OSError, RuntimeError) as exc:
        # the backend's own message names the service and user at most, never the password
        raise NoKeyring(
            "The keyring refused the request: {problem}", hint=_NO_BACKEND_HINT, problem=type(exc).__name__
        ) from None


def _check_unit(unit: str) -> str:
    unit = (unit or "").strip()
    if not unit:
        raise UsageError("No unit given: pass --unit CODE or set `unit` in the profile.")
    return unit


def get_credential(endpoint: str, unit: str, environ: Mapping[str, str] | None = None) -> Credential:
    """The token to use for this endpoint and unit, following the lookup order above."""
    env = os.environ if environ is None else environ
    endpoint = normalize_endpoint(endpoint)
    if env.get(ENV_TOKEN, "").strip():
        return Credential(endpoint, (unit or "").strip(), validate_token(env[ENV_TOKEN]), f"environment {ENV_TOKEN}")
    unit = _check_unit(unit)
    if is_ci(env):
        raise CredentialsError(
            "No token: under CI the keyring is not used.",
            hint=N_("Set the environment variable HNSUBMIT_TOKEN from the CI system's secret store."),
        )
    from hnsubmit.client import token_file

    stored = token_file.get(endpoint, unit)  # only there when no keyring was usable at login
    if stored:
        return Credential(endpoint, unit, validate_token(stored), f"file {token_file.token_file_path()}")
    try:
        value, backend = _keyring_call("get", endpoint, unit)
    except NoKeyring:
        value, backend = None, ""
    if not value:
        raise CredentialsError(
            "No token stored for unit {unit} at {endpoint}.",
            hint=N_("Run `hnsubmit login --endpoint {endpoint} --unit {unit}`, or set HNSUBMIT_TOKEN."),
            unit=unit, endpoint=endpoint,
        )
    return Credential(endpoint, unit, validate_token(value), f"keyring {backend}")


def keyring_problem(timeout: float | None = None) -> CredentialsError | None:
    """None when a system keyring is usable, else why not (asked before the user types a token)."""
    try:
        _run_with_timeout(_usable_backend, KEYRING_TIMEOUT if timeout is None else timeout)
    except NoKeyring as exc:
        return exc
    except Exception as exc:  # a broken backend module is no keyring either
        if isinstance(exc, CredentialsError):
            return exc
        return NoKeyring("No keyring backend is available.", hint=_NO_BACKEND_HINT)
    return None


def store_token(endpoint: str, unit: str, token: Secret, environ: Mapping[str, str] | None = None,
                to_file: bool = False) -> str:
    """Save the token in the keyring (or, with `to_file`, in the file store); returns where.  Refused under CI."""
    from hnsubmit.client import token_file

    endpoint = normalize_endpoint(endpoint)
    unit = _check_unit(unit)
    if is_ci(environ):
        raise CredentialsError(
            "Under CI the keyring is not used; nothing was stored.",
            hint=N_("Set the environment variable HNSUBMIT_TOKEN from the CI system's secret store."),
        )
    if to_file:
        return f"file {token_file.put(endpoint, unit, token.reveal())}"
    _, backend = _keyring_call("set", endpoint, unit, token.reveal())
    token_file.delete(endpoint, unit)  # an older file entry would shadow the keyring's
    return backend


def delete_token(endpoint: str, unit: str, environ: Mapping[str, str] | None = None) -> bool:
    """Forget the stored token (file store and keyring); False when there was none."""
    from hnsubmit.client import token_file

    endpoint = normalize_endpoint(endpoint)
    unit = _check_unit(unit)
    if is_ci(environ):
        raise CredentialsError("Under CI the keyring is not used; nothing to remove.")
    in_file = token_file.delete(endpoint, unit)
    try:
        deleted, _ = _keyring_call("delete", endpoint, unit)
    except NoKeyring:  # no keyring: the file store was the only place a token could be
        return in_file
    return bool(deleted) or in_file


class Credentials:
    """The credentials of one invocation: each (endpoint, unit) is looked up once, since a keyring
    call may wait up to its timeout; a failed look-up is not remembered."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ
        self._found: dict[tuple[str, str], Credential] = {}
        self._lock = threading.Lock()

    def get(self, endpoint: str, unit: str) -> Credential:
        key = (normalize_endpoint(endpoint), (unit or "").strip())
        with self._lock:
            if key not in self._found:
                cred = get_credential(endpoint, unit, self._environ)
                self._found[key] = cred
                if cred.unit:
                    self._found.setdefault((key[0], cred.unit), cred)
            return self._found[key]
