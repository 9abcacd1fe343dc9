"""Browser sessions of the review console: a reviewer, approver or admin token, pasted once, becomes a session.

A session is a file under `<data>/console/sessions/`, named by the SHA-256 of the random session id the
cookie carries (as tokens are stored: the id itself is never written down).  It names the token it was
made from, so every request re-reads that token: revoking or expiring the token ends its sessions at
once, on the next request (server-side revocation with the token).  Files, not the metadata store: the
console adds no table to the storage interface, and a session made by one process (a one-time link
made by `hnsubmit demo`) is seen by the server's.

One-time sign-in links (`/console/link/<nonce>`) are files in `<data>/console/links/`, consumed by the
POST that turns them into a session (a GET only shows the button, so a link previewer cannot use it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from hnsubmit.exchange.auth import Principal, authenticate
from hnsubmit.exchange.problems import ExchangeError
from hnsubmit.exchange.store.storage import Storage

SESSION_LIFETIME = timedelta(hours=2)  # short: a reviewer signs in again after a long break
LINK_LIFETIME = timedelta(minutes=30)
CONSOLE_ROLES = ("reviewer", "approver", "admin")
_ID_LENGTH = 43  # secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Session:
    session_id: str  # what the cookie carries; never stored
    token_id: str
    csrf: str
    expires_at: datetime


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("ascii", "replace")).hexdigest()


def _folder(data_dir: Path, name: str) -> Path:
    folder = Path(data_dir) / "console" / name
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _write(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + f".{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _well_formed(value: str | None) -> bool:
    return bool(value) and len(value) == _ID_LENGTH and all(c.isalnum() or c in "-_" for c in value)


def refused_unit() -> ExchangeError:
    return ExchangeError(403, "console_role", "单位(信息员)凭据不能登录审核台;请使用审核员、审批人或管理员凭据。",
                         "A unit (liaison) token cannot sign in to the console; use a reviewer, approver or admin token.")


def principal_of(storage: Storage, token_id: str, now: datetime) -> Principal | None:
    """The principal a live console token stands for, or None (revoked, expired, gone, a unit token)."""
    token = storage.get_token(token_id)
    if token is None or token.revoked_at is not None or (token.expires_at is not None and now >= token.expires_at):
        return None
    if token.role not in CONSOLE_ROLES:
        return None
    unit = storage.get_unit(token.unit) if token.unit else None
    if token.unit and (unit is None or not unit.active):
        return None
    name = None
    if token.role == "approver":  # as auth.authenticate: an approver's registered name goes with it
        approver = storage.get_approver(token.token_id)
        if approver is None:
            return None
        name = approver.name
    return Principal(token.role, token.token_id, unit, name)


def sign_in(storage: Storage, data_dir: Path, secret: str, now: datetime) -> tuple[Session, Principal]:
    """A new session from a pasted token: the API's own authentication, then the console's roles."""
    who = authenticate(storage, "Bearer " + secret.strip(), now)
    if who.role not in CONSOLE_ROLES:
        raise refused_unit()
    return new_session(data_dir, who.token_id, now), who


def new_session(data_dir: Path, token_id: str, now: datetime) -> Session:
    session = Session(secrets.token_urlsafe(32), token_id, secrets.token_urlsafe(32), now + SESSION_LIFETIME)
    _write(_folder(data_dir, "sessions") / f"{_digest(session.session_id)}.json",
           {"token_id": token_id, "csrf": session.csrf, "expires_at": session.expires_at.isoformat()})
    return session


def resolve(storage: Storage, data_dir: Path, session_id: str | None, now: datetime) -> tuple[Session, Principal] | None:
    """The session a cookie names and its principal; None (and the file removed) when it is over."""
    if not _well_formed(session_id):
        return None
    path = _folder(data_dir, "sessions") / f"{_digest(session_id)}.json"
    data = _read(path)
    if data is None:
        return None
    try:
        expires = datetime.fromisoformat(data["expires_at"])
        session = Session(session_id, str(data["token_id"]), str(data["csrf"]), expires)
    except (KeyError, TypeError, ValueError):
        path.unlink(missing_ok=True)
        return None
    who = principal_of(storage, session.token_id, now) if now < expires else None
    if who is None:
        path.unlink(missing_ok=True)
        return None
    return session, who


def end(data_dir: Path, session_id: str | None) -> None:
    if _well_formed(session_id):
        (_folder(data_dir, "sessions") / f"{_digest(session_id)}.json").unlink(missing_ok=True)


def drop_expired(data_dir: Path, now: datetime) -> int:
    """Remove sessions and links past their expiry (the server calls it now and then)."""
    gone = 0
    for name in ("sessions", "links"):
        for path in _folder(data_dir, name).glob("*.json"):
            data = _read(path)
            try:
                over = data is None or now >= datetime.fromisoformat(data["expires_at"])
            except (KeyError, TypeError, ValueError):
                over = True
            if over:
                path.unlink(missing_ok=True)
                gone += 1
    return gone


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode("utf-8", "replace"))


# -- one-time sign-in links --------------------------------------------------------------------
def create_link(data_dir: Path, token_id: str, now: datetime) -> str:
    """A one-time nonce for `/console/link/<nonce>` that signs in as `token_id` (for `hnsubmit demo`)."""
    nonce = secrets.token_urlsafe(32)
    _write(_folder(data_dir, "links") / f"{_digest(nonce)}.json",
           {"token_id": token_id, "expires_at": (now + LINK_LIFETIME).isoformat()})
    return nonce


def link_valid(data_dir: Path, nonce: str, now: datetime) -> bool:
    if not _well_formed(nonce):
        return False
    data = _read(_folder(data_dir, "links") / f"{_digest(nonce)}.json")
    try:
        return data is not None and now < datetime.fromisoformat(data["expires_at"])
    except (KeyError, TypeError, ValueError):
        return False


def use_link(storage: Storage, data_dir: Path, nonce: str, now: datetime) -> tuple[Session, Principal] | None:
    """Consume a one-time link: its file is removed first, so two clicks cannot both sign in."""
    if not _well_formed(nonce):
        return None
    path = _folder(data_dir, "links") / f"{_digest(nonce)}.json"
    claimed = path.with_name(path.name + f".{secrets.token_hex(4)}.used")
    try:
        os.replace(path, claimed)  # atomic: one of two racing requests gets it
    except OSError:
        return None
    data = _read(claimed)
    claimed.unlink(missing_ok=True)
    try:
        if data is None or now >= datetime.fromisoformat(data["expires_at"]):
            return None
        who = principal_of(storage, str(data["token_id"]), now)
    except (KeyError, TypeError, ValueError):
        return None
    if who is None:
        return None
    return new_session(data_dir, who.token_id, now), who
